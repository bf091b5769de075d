package uk.familylink.domain.linkage;

import java.util.EnumMap;
import java.util.Map;

/**
 * A versioned Fellegi–Sunter model: for each field and agreement level, m = P(level | same person)
 * and u = P(level | different persons); the level's weight is log2(m/u). Thresholds turn a total
 * weight into link / possible link / no link. The version is stored with every probabilistic link,
 * so a link can be explained by the model that made it.
 *
 * <p>The default (version {@code fs-v1-prior}) is a prior set from the published error rates of
 * administrative data (names agree exactly in about 90% of true pairs; a date of birth shared by
 * chance about 3 in 10,000 within a block), not fitted to any one data set.
 */
public record MatchModel(
    String version,
    Map<Field, Map<Level, double[]>> mu,
    double linkThreshold,
    double possibleThreshold) {

  /** Compared fields. */
  public enum Field {
    GIVEN_NAME,
    FAMILY_NAME,
    DATE_OF_BIRTH,
    POSTCODE
  }

  /** Agreement levels, from strongest agreement to disagreement; not every field uses every one. */
  public enum Level {
    EXACT,
    PART,
    VARIANT,
    CLOSE,
    SWAPPED,
    NEAR,
    SECTOR,
    DISTRICT,
    DIFFERENT,
    MISSING
  }

  public double weight(Field field, Level level) {
    if (level == Level.MISSING) {
      return 0;
    }
    double[] p = mu.get(field).get(level);
    if (p == null) {
      throw new IllegalArgumentException("no m/u for " + field + " " + level);
    }
    return Math.log(p[0] / p[1]) / Math.log(2);
  }

  public static MatchModel prior() {
    Map<Field, Map<Level, double[]>> mu = new EnumMap<>(Field.class);
    mu.put(
        Field.GIVEN_NAME,
        levels(
            Level.EXACT,
            .88,
            .01,
            Level.VARIANT,
            .05,
            .003,
            Level.CLOSE,
            .05,
            .01,
            Level.DIFFERENT,
            .02,
            .977));
    mu.put(
        Field.FAMILY_NAME,
        levels(
            Level.EXACT,
            .86,
            .005,
            Level.PART,
            .03,
            .0005,
            Level.VARIANT,
            .02,
            .002,
            Level.CLOSE,
            .04,
            .006,
            Level.DIFFERENT,
            .05,
            .9865));
    mu.put(
        Field.DATE_OF_BIRTH,
        levels(
            Level.EXACT,
            .94,
            .0003,
            Level.SWAPPED,
            .01,
            .00003,
            Level.NEAR,
            .02,
            .0006,
            Level.CLOSE,
            .025,
            .03,
            Level.DIFFERENT,
            .005,
            .96907));
    mu.put(
        Field.POSTCODE,
        levels(
            Level.EXACT,
            .80,
            .003,
            Level.SECTOR,
            .03,
            .02,
            Level.DISTRICT,
            .03,
            .1,
            Level.DIFFERENT,
            .14,
            .877));
    return new MatchModel("fs-v1-prior", mu, 17, 11);
  }

  private static Map<Level, double[]> levels(Object... pairs) {
    Map<Level, double[]> m = new EnumMap<>(Level.class);
    for (int i = 0; i < pairs.length; i += 3) {
      m.put((Level) pairs[i], new double[] {(Double) pairs[i + 1], (Double) pairs[i + 2]});
    }
    return m;
  }
}
