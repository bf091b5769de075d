package uk.familylink.domain.metrics;

import java.util.regex.Pattern;

/**
 * Where the functions count what they did (rows by outcome, files by status, links by tier,
 * durations). A port, so domain code stays free of AWS: the adapter publishes what was recorded as
 * CloudWatch Embedded Metric Format when the invocation ends ({@link #flush()}).
 *
 * <p>A metric is a name chosen by the code (letters and digits, checked) and a number: it cannot
 * carry a value from a partner file (P1). Values of one name add up until the flush.
 */
public interface Metrics {

  /** What the number measures. */
  enum Unit {
    COUNT,
    MILLISECONDS
  }

  /** Names the code chooses: a letter, then letters and digits, at most 64. */
  Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");

  /** Records nothing (tests, tools that do not publish metrics). */
  Metrics NONE = (name, value, unit) -> check(name);

  /** Adds {@code value} to the metric {@code name}. */
  void add(String name, long value, Unit unit);

  default void count(String name, long n) {
    add(name, n, Unit.COUNT);
  }

  default void millis(String name, long millis) {
    add(name, millis, Unit.MILLISECONDS);
  }

  /** Publishes what was recorded since the last flush (once per invocation); then starts over. */
  default void flush() {}

  /**
   * {@code name} when it is a name the code could have chosen; refused otherwise, so a value can
   * never become a metric name.
   */
  static String check(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metric names are letters and digits, starting with a letter (at most 64)");
    }
    return name;
  }

  /**
   * {@code text} (a code constant such as an item kind or an outcome, e.g. {@code
   * ACCEPTED_WITH_ERRORS}) as a metric name part: {@code AcceptedWithErrors}.
   */
  static String camel(String text) {
    StringBuilder out = new StringBuilder();
    boolean upper = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        upper = false;
      }
    }
    return out.toString();
  }
}
