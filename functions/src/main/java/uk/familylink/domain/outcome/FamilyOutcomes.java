package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import uk.familylink.domain.family.FamilyHistory;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.outcome.InterventionOutcome.Result;
import uk.familylink.domain.outcome.ReReferralRule.Verdict;

/**
 * The evaluation outputs of the whole live population on one as-of date: each intervention's
 * outcome (family level, pseudonymous family IDs), re-referral counts at child and family level,
 * and the programme effect measures. Internal, unsuppressed and access-controlled: published
 * figures go through disclosure control first.
 *
 * @param datasets the datasets whose records contributed (any live record of a member)
 */
public record FamilyOutcomes(
    LocalDate asOf,
    Set<String> datasets,
    List<InterventionOutcome> outcomes,
    ReReferrals children,
    ReReferrals families,
    List<EffectResult> effects,
    OutcomeSettings settings) {

  /** Family-role code that makes a member a child for child-level re-referrals. */
  public static final String CHILD_ROLE = "CHILD";

  /** Dataset whose rows are always about a child (children's social care). */
  public static final String CHILDRENS_DATASET = "social-care";

  public static FamilyOutcomes of(
      List<FamilyHistory> population, LocalDate asOf, OutcomeSettings settings) {
    OutcomeRule outcomeRule = new OutcomeRule(settings);
    ReReferralRule referralRule = new ReReferralRule(settings);
    Set<String> datasets = new TreeSet<>();
    List<InterventionOutcome> outcomes = new ArrayList<>();
    List<List<Verdict>> familyVerdicts = new ArrayList<>();
    List<List<Verdict>> childVerdicts = new ArrayList<>();
    Set<PersonId> childrenSeen = new HashSet<>();
    Map<EffectMeasure, long[]> effects = new EnumMap<>(EffectMeasure.class);
    for (EffectMeasure m : EffectMeasure.values()) {
      effects.put(m, new long[3]);
    }
    for (FamilyHistory family : population) {
      String familyId = family.profile().family().asString();
      List<LinkedRecord> records = family.records();
      records.forEach(r -> datasets.add(r.dataset()));
      List<Episode> episodes = Episode.of(records, settings);
      for (Episode episode : episodes) {
        outcomes.add(outcomeRule.assess(familyId, episode, records, asOf));
      }
      familyVerdicts.add(referralRule.classify(familyReferrals(records, episodes, asOf, settings)));
      family
          .recordsByMember()
          .forEach(
              (person, own) -> {
                boolean child =
                    family.rolesByMember().getOrDefault(person, Set.of()).contains(CHILD_ROLE)
                        || own.stream().anyMatch(r -> CHILDRENS_DATASET.equals(r.dataset()));
                if (child && childrenSeen.add(person)) {
                  childVerdicts.add(referralRule.classify(childReferrals(own, asOf, settings)));
                }
              });
      measureEffects(episodes, records, asOf, settings, effects);
    }
    List<EffectResult> effectResults = new ArrayList<>();
    effects.forEach((m, c) -> effectResults.add(new EffectResult(m, c[0], c[1], c[2])));
    return new FamilyOutcomes(
        asOf,
        java.util.Collections.unmodifiableSet(datasets),
        List.copyOf(outcomes),
        ReReferrals.count(ReReferrals.Level.CHILD, childVerdicts),
        ReReferrals.count(ReReferrals.Level.FAMILY, familyVerdicts),
        List.copyOf(effectResults),
        settings);
  }

  /**
   * A family's referrals: one per intervention episode (its rows about several members are one
   * referral), and one per date for each other referral dataset (several children referred on one
   * day are one family referral).
   */
  static List<Referral> familyReferrals(
      List<LinkedRecord> records, List<Episode> episodes, LocalDate asOf, OutcomeSettings s) {
    List<Referral> referrals = new ArrayList<>();
    for (Episode e : episodes) {
      if (!e.referral().isAfter(asOf)) {
        referrals.add(new Referral(e.referral(), s.interventionDataset(), e.closure()));
      }
    }
    Set<String> seen = new LinkedHashSet<>();
    for (LinkedRecord r : records) {
      if (s.referralDatasets().contains(r.dataset())
          && !s.interventionDataset().equals(r.dataset())
          && r.eventDate() != null
          && !r.eventDate().isAfter(asOf)
          && seen.add(r.dataset() + "|" + r.eventDate())) {
        referrals.add(new Referral(r.eventDate(), r.dataset(), null));
      }
    }
    return referrals;
  }

  /** A child's referrals: every row of a referral dataset about them, dated by its event date. */
  static List<Referral> childReferrals(
      List<LinkedRecord> records, LocalDate asOf, OutcomeSettings s) {
    List<Referral> referrals = new ArrayList<>();
    for (LinkedRecord r : records) {
      if (s.referralDatasets().contains(r.dataset())
          && r.eventDate() != null
          && !r.eventDate().isAfter(asOf)) {
        LocalDate closure =
            s.interventionDataset().equals(r.dataset()) ? Episode.closureOf(r) : null;
        referrals.add(new Referral(r.eventDate(), r.dataset(), closure));
      }
    }
    return referrals;
  }

  /**
   * The family's latest intervention whose after window has elapsed on the as-of date: evidence in
   * [referral − window, referral) is "before", in (closure, closure + window] is "after".
   */
  private static void measureEffects(
      List<Episode> episodes,
      List<LinkedRecord> records,
      LocalDate asOf,
      OutcomeSettings s,
      Map<EffectMeasure, long[]> counts) {
    Episode measured = null;
    for (Episode e : episodes) {
      if (e.isClosed() && !asOf.isBefore(e.closure().plus(s.effectWindow()))) {
        measured = e;
      }
    }
    if (measured == null) {
      return;
    }
    LocalDate beforeFrom = measured.referral().minus(s.effectWindow());
    LocalDate afterTo = measured.closure().plus(s.effectWindow());
    for (EffectMeasure m : EffectMeasure.values()) {
      boolean before = false;
      boolean after = false;
      for (LinkedRecord r : records) {
        LocalDate d = r.eventDate();
        if (d == null || !m.evidencedBy(r)) {
          continue;
        }
        before |= !d.isBefore(beforeFrom) && d.isBefore(measured.referral());
        after |= d.isAfter(measured.closure()) && !d.isAfter(afterTo);
      }
      long[] c = counts.get(m);
      c[0]++;
      c[1] += before ? 1 : 0;
      c[2] += after ? 1 : 0;
    }
  }

  public long count(Result result) {
    return outcomes.stream().filter(o -> o.result() == result).count();
  }

  /** The results list the council claims against: families with significant, sustained progress. */
  public List<InterventionOutcome> sustainedProgress() {
    return outcomes.stream().filter(o -> o.result() == Result.SIGNIFICANT_AND_SUSTAINED).toList();
  }
}
