package uk.familylink.domain.linkage;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The comparison of a record with a candidate: the agreement level of each field, the total
 * Fellegi–Sunter weight and the decision. Holds no value, only levels and numbers, so it can be
 * stored as the explanation of a link and shown to a data subject.
 */
public record MatchScore(
    Map<MatchModel.Field, MatchModel.Level> levels,
    boolean namesSwapped,
    double weight,
    Decision decision,
    String modelVersion) {

  /** What the score means. */
  public enum Decision {
    LINK,
    POSSIBLE,
    NO_LINK
  }

  public MatchModel.Level level(MatchModel.Field field) {
    return levels.getOrDefault(field, MatchModel.Level.MISSING);
  }

  /** E.g. {@code GIVEN_NAME=EXACT;FAMILY_NAME=PART;DATE_OF_BIRTH=EXACT;POSTCODE=SECTOR}. */
  public String breakdown() {
    return levels.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(";"))
        + (namesSwapped ? ";NAMES_SWAPPED" : "");
  }

  static MatchScore of(
      EnumMap<MatchModel.Field, MatchModel.Level> levels,
      boolean swapped,
      double weight,
      Decision decision,
      String version) {
    return new MatchScore(
        java.util.Collections.unmodifiableMap(new EnumMap<>(levels)),
        swapped,
        weight,
        decision,
        version);
  }
}
