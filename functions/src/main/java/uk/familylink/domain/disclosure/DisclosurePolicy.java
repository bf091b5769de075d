package uk.familylink.domain.disclosure;

import java.util.Locale;
import java.util.Objects;

/**
 * How published counts are protected (P6, DESIGN.md section 9).
 *
 * @param low smallest count that is suppressed (0 is never suppressed: an empty cell discloses no
 *     one)
 * @param high largest count that is suppressed (DfE 5, NHS 7)
 * @param cellRounding cells are rounded to the nearest multiple, half up (1 = no rounding; NHS 5)
 * @param totalRounding totals are rounded to the nearest multiple (DfE 10 for totals; NHS 5)
 * @param confidential symbol of a suppressed cell ({@code c} DfE, {@code *} NHS)
 * @param protection the attacker check's protection range: for every suppressed cell, what an
 *     attacker can deduce from everything published must be an interval at least this wide, and for
 *     a cell suppressed for being small it must reach down to 0 ("the cell could be anything from 0
 *     to at least 10")
 * @param singletonAttack also check each suppressed cell against an insider: the one member of a
 *     suppressed cell of 1, who knows that cell exactly
 * @param reliabilityMinimum a share whose denominator is below this is shown as {@code u}
 */
public record DisclosurePolicy(
    long low,
    long high,
    long cellRounding,
    long totalRounding,
    String confidential,
    long protection,
    boolean singletonAttack,
    long reliabilityMinimum) {

  public DisclosurePolicy {
    if (low < 1 || high < low) {
      throw new IllegalArgumentException(
          "suppression range must satisfy 1 <= low <= high, got " + low + ".." + high);
    }
    if (cellRounding < 1 || totalRounding < 1) {
      throw new IllegalArgumentException("rounding bases must be 1 (no rounding) or more");
    }
    Objects.requireNonNull(confidential, "confidential");
    if (confidential.isBlank() || Character.isDigit(confidential.charAt(0))) {
      throw new IllegalArgumentException("the confidential symbol must not look like a number");
    }
    if (protection < 1) {
      throw new IllegalArgumentException("the protection range must be at least 1");
    }
    if (reliabilityMinimum < 0) {
      throw new IllegalArgumentException("the reliability minimum cannot be negative");
    }
  }

  /** DfE: 1-5 -> {@code c}; cells unrounded; totals to the nearest 10; protection 10. */
  public static DisclosurePolicy dfe() {
    return new DisclosurePolicy(1, 5, 1, 10, Symbol.CONFIDENTIAL.code(), 10, true, 30);
  }

  /** NHS statistical outputs: 1-7 -> {@code *}; every count rounded to the nearest 5. */
  public static DisclosurePolicy nhs() {
    return new DisclosurePolicy(1, 7, 5, 5, "*", 10, true, 30);
  }

  /** The policy named in configuration: {@code DFE} (default) or {@code NHS}. */
  public static DisclosurePolicy named(String name) {
    if (name == null || name.isBlank()) {
      return dfe();
    }
    return switch (name.trim().toUpperCase(Locale.ROOT)) {
      case "DFE" -> dfe();
      case "NHS" -> nhs();
      default -> throw new IllegalArgumentException("disclosure policy must be DFE or NHS");
    };
  }

  public DisclosurePolicy withProtection(long range) {
    return new DisclosurePolicy(
        low,
        high,
        cellRounding,
        totalRounding,
        confidential,
        range,
        singletonAttack,
        reliabilityMinimum);
  }

  /** True when this count must be hidden whatever its table looks like. */
  public boolean isPrimary(long count) {
    return count >= low && count <= high;
  }

  /** The rounding base for a cell ({@code total} = a margin of its table). */
  public long roundingBase(boolean total) {
    return total ? totalRounding : cellRounding;
  }

  /**
   * A count published on its own, tied to nothing else shown (a console summary line): small counts
   * hidden, others shown as cells. Tables go through {@link DisclosureControl}.
   */
  public String showAlone(long count) {
    return isPrimary(count) ? confidential : show(count, false);
  }

  /** Shown value of a count that is published (not suppressed). */
  public String show(long count, boolean total) {
    if (count < 0) {
      throw new IllegalArgumentException("counts cannot be negative");
    }
    if (count == 0) {
      return "0";
    }
    long rounded = round(count, roundingBase(total));
    return rounded == 0 ? Symbol.LOW.code() : Long.toString(rounded);
  }

  /**
   * What an attacker learns about the true count from its shown value alone: the closed interval of
   * counts that would be shown so. Upper bound {@link Long#MAX_VALUE} means unbounded.
   */
  public long[] knownBounds(String shown, boolean total) {
    long base = roundingBase(total);
    if (shown.equals(Symbol.LOW.code())) {
      return new long[] {1, halfUp(base) - 1};
    }
    if (shown.equals(confidential)) {
      return new long[] {0, Long.MAX_VALUE};
    }
    long value = Long.parseLong(shown);
    if (base <= 1 || value == 0) {
      return new long[] {value, value};
    }
    // v is shown as r when round(v / base) * base == r (half up): r - base/2 <= v < r + base/2
    return new long[] {Math.max(0, value - base / 2), value + halfUp(base) - 1};
  }

  private static long halfUp(long base) {
    return (base + 1) / 2;
  }

  static long round(long count, long base) {
    if (base <= 1) {
      return count;
    }
    return ((count + base / 2) / base) * base;
  }
}
