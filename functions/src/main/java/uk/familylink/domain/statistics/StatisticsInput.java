package uk.familylink.domain.statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import uk.familylink.domain.family.FamilyProfile;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.need.Need;

/**
 * The unsuppressed counts a statistics release is built from: nothing but counts and coarse labels
 * (never a family, person or partner value). The needs tables come from the family needs profiles;
 * the evaluation tables (outcomes, re-referrals, effect measures) are filled by the outputs of the
 * evaluation purpose when they exist and are otherwise published as not available ({@code x}).
 *
 * @param asOf the data's as-of date (time columns)
 * @param minimumNeeds the eligibility rule's threshold (for labels)
 * @param byNeedCount families by number of needs and whether they have a dependent child or an
 *     expectant parent
 * @param byNeed families with each need, meeting the rule or not
 * @param byNeedAndDataset families with each need evidenced by each dataset
 * @param outcomes families per need identified at the start of an intervention and with that need
 *     resolved and sustained six months after closure
 * @param reReferrals referrals per quarter and how many were re-referrals (DfE: within 12 months of
 *     a previous referral)
 * @param effects families with a closed intervention per measure, and those with evidence in the 12
 *     months before and after
 */
public record StatisticsInput(
    LocalDate asOf,
    int minimumNeeds,
    List<NeedCount> byNeedCount,
    Map<Need, EligibilitySplit> byNeed,
    Map<Need, Map<String, Long>> byNeedAndDataset,
    List<OutcomeCount> outcomes,
    List<ReReferralCount> reReferrals,
    List<EffectCount> effects) {

  /** Families with {@code needs} needs; {@code withChild}: dependent child or expectant parent. */
  public record NeedCount(int needs, long withChild, long withoutChild) {}

  public record EligibilitySplit(long eligible, long notEligible) {}

  public record OutcomeCount(Need need, long identified, long sustained) {
    public OutcomeCount {
      if (sustained > identified) {
        throw new IllegalArgumentException("sustained cannot exceed identified");
      }
    }
  }

  /**
   * Referrals in one quarter.
   *
   * @param quarter e.g. {@code 2026-Q3}
   */
  public record ReReferralCount(String quarter, long referrals, long reReferrals) {
    public ReReferralCount {
      if (!quarter.matches("[0-9]{4}-Q[1-4]")) {
        throw new IllegalArgumentException("quarter must look like 2026-Q3");
      }
      if (reReferrals > referrals) {
        throw new IllegalArgumentException("re-referrals cannot exceed referrals");
      }
    }
  }

  /**
   * One before/after measure.
   *
   * @param measure e.g. {@code OFFENDING}, {@code UNAUTHORISED_ABSENCE}, {@code OUT_OF_WORK}
   */
  public record EffectCount(String measure, long families, long before, long after) {
    public EffectCount {
      if (before > families || after > families) {
        throw new IllegalArgumentException("before and after cannot exceed families");
      }
    }
  }

  public StatisticsInput {
    Objects.requireNonNull(asOf, "asOf");
    byNeedCount = List.copyOf(byNeedCount);
    byNeed = Collections.unmodifiableMap(new EnumMap<>(complete(byNeed)));
    Map<Need, Map<String, Long>> datasets = new EnumMap<>(Need.class);
    byNeedAndDataset.forEach(
        (k, v) -> datasets.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    byNeedAndDataset = Collections.unmodifiableMap(datasets);
    outcomes = List.copyOf(outcomes);
    reReferrals = List.copyOf(reReferrals);
    effects = List.copyOf(effects);
  }

  private static Map<Need, EligibilitySplit> complete(Map<Need, EligibilitySplit> byNeed) {
    Map<Need, EligibilitySplit> all = new EnumMap<>(Need.class);
    for (Need need : Need.values()) {
      all.put(need, byNeed.getOrDefault(need, new EligibilitySplit(0, 0)));
    }
    return all;
  }

  public long families() {
    return byNeedCount.stream().mapToLong(n -> n.withChild() + n.withoutChild()).sum();
  }

  /** Every dataset seen evidencing any need, sorted. */
  public Set<String> datasets() {
    Set<String> all = new TreeSet<>();
    byNeedAndDataset.values().forEach(m -> all.addAll(m.keySet()));
    return all;
  }

  /** The same input with the evaluation tables filled (from the outputs of issue 10). */
  public StatisticsInput withEvaluation(
      List<OutcomeCount> outcomes, List<ReReferralCount> reReferrals, List<EffectCount> effects) {
    return new StatisticsInput(
        asOf, minimumNeeds, byNeedCount, byNeed, byNeedAndDataset, outcomes, reReferrals, effects);
  }

  /** Counts from the family needs profiles; the evaluation tables are left empty. */
  public static StatisticsInput fromProfiles(
      PopulationProfile profile, int minimumNeeds, LocalDate asOf) {
    int maxNeeds = Need.values().length;
    long[][] byCount = new long[maxNeeds + 1][2];
    Map<Need, long[]> byNeed = new EnumMap<>(Need.class);
    Map<Need, Map<String, Long>> byDataset = new EnumMap<>(Need.class);
    for (FamilyProfile family : profile.families()) {
      boolean child = family.hasDependentChild() || family.hasExpectantParent();
      byCount[family.needCount()][child ? 0 : 1]++;
      for (Map.Entry<Need, Set<String>> e : family.evidence().entrySet()) {
        byNeed.computeIfAbsent(e.getKey(), k -> new long[2])[family.eligible() ? 0 : 1]++;
        for (String dataset : e.getValue()) {
          byDataset.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).merge(dataset, 1L, Long::sum);
        }
      }
    }
    List<NeedCount> counts = new ArrayList<>();
    for (int n = 0; n <= maxNeeds; n++) {
      counts.add(new NeedCount(n, byCount[n][0], byCount[n][1]));
    }
    Map<Need, EligibilitySplit> splits = new EnumMap<>(Need.class);
    byNeed.forEach((k, v) -> splits.put(k, new EligibilitySplit(v[0], v[1])));
    return new StatisticsInput(
        asOf, minimumNeeds, counts, splits, byDataset, List.of(), List.of(), List.of());
  }
}
