package uk.familylink.domain.outcome;

import uk.familylink.domain.need.Need;

/**
 * One need's course through an intervention.
 *
 * @param atStart evidenced at the start (assessment or evidence in the look-back window)
 * @param atClosure evidenced near closure (so not resolved when the case closed)
 * @param afterClosure what the sustain window shows
 */
public record NeedOutcome(Need need, boolean atStart, boolean atClosure, After afterClosure) {

  /** What the six months (configurable) after closure show for a need. */
  public enum After {
    /** No evidence of the need in the window, and the window has fully elapsed. */
    SUSTAINED,
    /** The need was evidenced again within the window. */
    RECURRED,
    /** No evidence so far, but the window has not elapsed on the as-of date. */
    PENDING,
    /** The case is not closed. */
    NOT_APPLICABLE
  }

  /** Resolved at closure and sustained: the need counts towards "significant and sustained". */
  public boolean resolvedAndSustained() {
    return !atClosure && afterClosure == After.SUSTAINED;
  }
}
