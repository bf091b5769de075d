package uk.familylink.domain.contract;

import java.util.List;

/**
 * A condition over one row's validated values, used by indicator rules. A blank cell never
 * satisfies a condition.
 */
public sealed interface Condition {

  /** The CODE column's value is one of {@code codes}. */
  record In(String column, List<String> codes) implements Condition {
    public In {
      codes = List.copyOf(codes);
    }
  }

  /** The CODE_LIST column contains at least one of {@code codes}. */
  record Contains(String column, List<String> codes) implements Condition {
    public Contains {
      codes = List.copyOf(codes);
    }
  }

  /** The BOOLEAN column equals {@code expected}. */
  record Is(String column, boolean expected) implements Condition {}

  /** The INTEGER column is at least {@code threshold}. */
  record AtLeast(String column, long threshold) implements Condition {}

  /**
   * numerator / denominator (two INTEGER columns) is at least {@code threshold}; false when the
   * denominator is 0.
   */
  record Ratio(String numerator, String denominator, double threshold) implements Condition {}

  /** Every condition holds. */
  record All(List<Condition> conditions) implements Condition {
    public All {
      conditions = List.copyOf(conditions);
    }
  }

  /** At least one condition holds. */
  record Any(List<Condition> conditions) implements Condition {
    public Any {
      conditions = List.copyOf(conditions);
    }
  }
}
