package uk.familylink.domain.linkage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A versioned Fellegi–Sunter model: for each field and agreement level, m = P(level | same person)
 * and u = P(level | different persons); the level's weight is log2(m/u). Thresholds turn a total
 * weight into link / possible link / no link. The version is stored with every probabilistic link,
 * so a link can be explained by the model that made it.
 *
 * <p>The default (version {@code fs-v1.1-prior}) is a prior set from the published error rates of
 * administrative data (names agree exactly in about 90% of true pairs; a date of birth shared by
 * chance about 3 in 10,000 within a block), not fitted to any one data set. A model fitted by
 * {@link MatchModelFit} is stored as JSON ({@link #toJson}); {@link #shipped()} is the one ingest
 * scores with.
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
    POSTCODE,
    /** Optional (since fs-v1.1-prior with address lines); a model without it takes the prior's. */
    ADDRESS_LINE
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

  /** Classpath resource of the model ingest uses; absent means the prior. */
  public static final String SHIPPED_RESOURCE = "/uk/familylink/domain/linkage/match-model.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public MatchModel {
    Map<Field, Map<Level, double[]>> copy = new EnumMap<>(Field.class);
    for (var f : mu.entrySet()) {
      Map<Level, double[]> levels = new EnumMap<>(Level.class);
      for (var l : f.getValue().entrySet()) {
        double[] p = l.getValue();
        if (p.length != 2 || !(p[0] > 0 && p[0] <= 1) || !(p[1] > 0 && p[1] <= 1)) {
          throw new IllegalArgumentException(
              "m and u must be in (0, 1] for " + f.getKey() + " " + l.getKey());
        }
        levels.put(l.getKey(), p.clone());
      }
      copy.put(f.getKey(), Collections.unmodifiableMap(levels));
    }
    mu = Collections.unmodifiableMap(copy);
  }

  /** m = P(level | same person). */
  public double m(Field field, Level level) {
    return mu.get(field).get(level)[0];
  }

  /** u = P(level | different persons). */
  public double u(Field field, Level level) {
    return mu.get(field).get(level)[1];
  }

  /**
   * The model ingest scores with: the fitted model stored at {@link #SHIPPED_RESOURCE} when there
   * is one, else {@link #prior()}.
   */
  public static MatchModel shipped() {
    try (InputStream in = MatchModel.class.getResourceAsStream(SHIPPED_RESOURCE)) {
      return in == null ? prior() : fromJson(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the shipped match model", e);
    }
  }

  /** JSON: version, thresholds and, per field and level, m and u. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", version);
    root.put("linkThreshold", linkThreshold);
    root.put("possibleThreshold", possibleThreshold);
    ObjectNode fields = root.putObject("fields");
    for (var f : mu.entrySet()) {
      ObjectNode levels = fields.putObject(f.getKey().name());
      for (var l : f.getValue().entrySet()) {
        levels.putObject(l.getKey().name()).put("m", l.getValue()[0]).put("u", l.getValue()[1]);
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static MatchModel fromJson(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("match model is not JSON", e);
    }
    Map<Field, Map<Level, double[]>> mu = new EnumMap<>(Field.class);
    for (Map.Entry<String, JsonNode> f : root.path("fields").properties()) {
      Map<Level, double[]> levels = new EnumMap<>(Level.class);
      for (Map.Entry<String, JsonNode> l : f.getValue().properties()) {
        levels.put(
            Level.valueOf(l.getKey()),
            new double[] {l.getValue().path("m").asDouble(), l.getValue().path("u").asDouble()});
      }
      mu.put(Field.valueOf(f.getKey()), levels);
    }
    if (!mu.containsKey(Field.ADDRESS_LINE)) {
      // fitted before address lines were compared: no evidence on them, so the prior's m/u
      mu.put(Field.ADDRESS_LINE, prior().mu().get(Field.ADDRESS_LINE));
    }
    for (Field f : Field.values()) {
      if (!mu.containsKey(f)) {
        throw new IllegalArgumentException("match model has no field " + f);
      }
    }
    String version = root.path("version").asText("");
    if (version.isBlank()) {
      throw new IllegalArgumentException("match model has no version");
    }
    return new MatchModel(
        version,
        mu,
        root.path("linkThreshold").asDouble(),
        root.path("possibleThreshold").asDouble());
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
    // The address line as written: exactly the same after normalisation; the same house number
    // (or none on one side) and a street whose letters nearly agree (a typo, a run-together word);
    // the same street with another house number (a neighbour, or the number mistyped); other.
    // u is the chance among different persons who share a blocking key; address and postcode
    // measure the same residence, so MatchScorer does not add their agreements twice.
    mu.put(
        Field.ADDRESS_LINE,
        levels(
            Level.EXACT,
            .70,
            .002,
            Level.CLOSE,
            .10,
            .002,
            Level.PART,
            .04,
            .01,
            Level.DIFFERENT,
            .16,
            .986));
    return new MatchModel("fs-v1.1-prior", mu, 17, 11);
  }

  private static Map<Level, double[]> levels(Object... pairs) {
    Map<Level, double[]> m = new EnumMap<>(Level.class);
    for (int i = 0; i < pairs.length; i += 3) {
      m.put((Level) pairs[i], new double[] {(Double) pairs[i + 1], (Double) pairs[i + 2]});
    }
    return m;
  }
}
