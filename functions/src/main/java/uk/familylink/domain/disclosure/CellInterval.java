package uk.familylink.domain.disclosure;

/**
 * What an attacker can deduce about one suppressed cell: the true count lies in [{@code lower},
 * {@code upper}] ({@link Long#MAX_VALUE} = unbounded), and whether that is wide enough.
 *
 * @param attacker {@code "outsider"} (everything published) or {@code "insider:<cell>"} (also
 *     knowing that singleton cell exactly)
 */
public record CellInterval(
    String cell, long lower, long upper, boolean isProtected, String attacker) {

  public boolean unbounded() {
    return upper == Long.MAX_VALUE;
  }

  public long width() {
    return unbounded() ? Long.MAX_VALUE : upper - lower;
  }
}
