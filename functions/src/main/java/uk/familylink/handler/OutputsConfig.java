package uk.familylink.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.familylink.domain.disclosure.DisclosurePolicy;

/**
 * Configuration of the statistics and research release functions beyond {@link FunctionConfig}: the
 * exports bucket, and for statistics the disclosure policy. Read once; fails fast naming every
 * problem.
 */
public record OutputsConfig(String exportsBucket, DisclosurePolicy policy) {

  public static final String EXPORTS_BUCKET = "FAMILYLINK_EXPORTS_BUCKET";
  public static final String DISCLOSURE_POLICY = "FAMILYLINK_DISCLOSURE_POLICY";
  public static final String PROTECTION = "FAMILYLINK_DISCLOSURE_PROTECTION";

  /** The statistics function's own variables. */
  public static final Set<String> STATISTICS_VARIABLES =
      Set.of(EXPORTS_BUCKET, DISCLOSURE_POLICY, PROTECTION);

  /** The release function's own variables. */
  public static final Set<String> RELEASE_VARIABLES = Set.of(EXPORTS_BUCKET);

  /** Every variable the statistics function reads: its own and the shared ones. */
  public static Set<String> statisticsVariables() {
    Set<String> all = new java.util.TreeSet<>(STATISTICS_VARIABLES);
    all.addAll(OutputsWiring.COMMON_VARIABLES);
    return Set.copyOf(all);
  }

  /** Every variable the research release function reads: its own and the shared ones. */
  public static Set<String> releaseVariables() {
    Set<String> all = new java.util.TreeSet<>(RELEASE_VARIABLES);
    all.addAll(OutputsWiring.COMMON_VARIABLES);
    return Set.copyOf(all);
  }

  public static OutputsConfig fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String bucket = env.get(EXPORTS_BUCKET);
    if (bucket == null || bucket.isBlank()) {
      problems.add(EXPORTS_BUCKET + " is not set");
    }
    DisclosurePolicy policy = DisclosurePolicy.dfe();
    try {
      policy = DisclosurePolicy.named(env.get(DISCLOSURE_POLICY));
    } catch (IllegalArgumentException e) {
      problems.add(DISCLOSURE_POLICY + " must be DFE or NHS");
    }
    String protection = env.get(PROTECTION);
    if (protection != null && !protection.isBlank()) {
      try {
        long range = Long.parseLong(protection.trim());
        if (range < 1) {
          problems.add(PROTECTION + " must be at least 1");
        } else {
          policy = policy.withProtection(range);
        }
      } catch (NumberFormatException e) {
        problems.add(PROTECTION + " must be a whole number");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "FamilyLink configuration is invalid: " + String.join("; ", problems));
    }
    return new OutputsConfig(bucket.trim(), policy);
  }
}
