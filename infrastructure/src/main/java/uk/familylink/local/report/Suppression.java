package uk.familylink.local.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Disclosure control for published counts (DESIGN.md section 9, P6): small counts are replaced by a
 * symbol, and when a table with a total would let a hidden cell be worked out, a second cell is
 * hidden too.
 */
public final class Suppression {

  /**
   * A suppression and rounding policy.
   *
   * @param low smallest count that is suppressed (0 is never suppressed: an empty cell discloses no
   *     one)
   * @param high largest count that is suppressed
   * @param roundingBase cells are rounded to the nearest multiple (1 = no rounding)
   * @param totalRoundingBase totals are rounded to the nearest multiple (DfE: 10 for
   *     national/regional totals)
   * @param suppressed symbol for a suppressed cell
   * @param roundsToZero symbol for a count that rounds to 0 but is not 0
   * @param notApplicable symbol for a cell that does not apply
   * @param unavailable symbol for a value that is not available
   */
  public record Policy(
      long low,
      long high,
      long roundingBase,
      long totalRoundingBase,
      String suppressed,
      String roundsToZero,
      String notApplicable,
      String unavailable) {
    public Policy {
      if (low < 1 || high < low) {
        throw new IllegalArgumentException(
            "Suppression range must satisfy 1 <= low <= high, got " + low + ".." + high);
      }
      if (roundingBase < 1 || totalRoundingBase < 1) {
        throw new IllegalArgumentException("Rounding bases must be 1 (no rounding) or more");
      }
      Objects.requireNonNull(suppressed);
      Objects.requireNonNull(roundsToZero);
      Objects.requireNonNull(notApplicable);
      Objects.requireNonNull(unavailable);
    }

    /** DfE: 1-5 -> "c", cells unrounded, totals to the nearest 10; z, x, k. */
    public static Policy dfe() {
      return new Policy(1, 5, 1, 10, "c", "k", "z", "x");
    }

    /** NHS statistical outputs: 1-7 -> "*", rounded to the nearest 5. */
    public static Policy nhs() {
      return new Policy(1, 7, 5, 5, "*", "*", "z", "x");
    }
  }

  /** A one-dimensional table after suppression: cells in the input order, and the total. */
  public record Table(Map<String, String> cells, String total) {}

  private final Policy policy;

  public Suppression(Policy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public static Suppression dfe() {
    return new Suppression(Policy.dfe());
  }

  public Policy policy() {
    return policy;
  }

  /** One published cell. */
  public String format(long count) {
    return format(count, policy.roundingBase());
  }

  /** A total (rounded with the total rounding base). */
  public String formatTotal(long count) {
    return format(count, policy.totalRoundingBase());
  }

  private String format(long count, long base) {
    if (count < 0) {
      throw new IllegalArgumentException("Counts cannot be negative, got " + count);
    }
    if (count == 0) {
      return "0";
    }
    if (count >= policy.low() && count <= policy.high()) {
      return policy.suppressed();
    }
    long rounded = round(count, base);
    return rounded == 0 ? policy.roundsToZero() : Long.toString(rounded);
  }

  private static long round(long count, long base) {
    return base <= 1 ? count : Math.round(count / (double) base) * base;
  }

  /**
   * Suppresses a table whose total is the sum of its cells. Primary: every small cell. Secondary:
   * if exactly one cell is hidden it could be derived from the total, so the next-smallest non-zero
   * cell is hidden as well (or the total, when there is no other cell to hide).
   */
  public Table suppressTable(Map<String, Long> counts) {
    Map<String, String> cells = new LinkedHashMap<>();
    List<String> hidden = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      long count = e.getValue();
      total += count;
      String shown = format(count);
      cells.put(e.getKey(), shown);
      if (shown.equals(policy.suppressed()) && count != 0) {
        hidden.add(e.getKey());
      }
    }
    String shownTotal = formatTotal(total);
    if (hidden.size() == 1) {
      String secondary =
          counts.entrySet().stream()
              .filter(e -> !hidden.contains(e.getKey()) && e.getValue() > 0)
              .min(Comparator.comparingLong(Map.Entry<String, Long>::getValue))
              .map(Map.Entry::getKey)
              .orElse(null);
      if (secondary != null) {
        cells.put(secondary, policy.suppressed());
      } else {
        shownTotal = policy.suppressed();
      }
    }
    return new Table(cells, shownTotal);
  }
}
