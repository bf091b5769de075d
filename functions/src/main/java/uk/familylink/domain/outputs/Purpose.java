package uk.familylink.domain.outputs;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The two purposes of the privacy notice. A deployment names the ones it serves (the template's
 * {@code Purposes} parameter); an output of a purpose not named is never produced.
 */
public enum Purpose {
  /** Need-to-know identification of eligible families for the Supporting Families team. */
  IDENTIFICATION,
  /** Research only: outcomes, re-referrals, programme effect measures (never about individuals). */
  EVALUATION;

  /**
   * Parses {@code IDENTIFICATION}, {@code EVALUATION} or both, comma-separated; fails naming the
   * allowed values (the configuration is not a partner value, so it may be repeated).
   */
  public static Set<Purpose> parse(String text) {
    List<String> problems = new ArrayList<>();
    Set<Purpose> purposes = EnumSet.noneOf(Purpose.class);
    if (text == null || text.isBlank()) {
      problems.add("no purpose named");
    } else {
      for (String part : text.split(",", -1)) {
        String name = part.trim();
        try {
          purposes.add(Purpose.valueOf(name));
        } catch (IllegalArgumentException e) {
          problems.add("unknown purpose '" + name + "'");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          String.join("; ", problems) + " (expected IDENTIFICATION, EVALUATION or both)");
    }
    return Set.copyOf(purposes);
  }
}
