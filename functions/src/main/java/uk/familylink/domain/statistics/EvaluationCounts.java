package uk.familylink.domain.statistics;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.EffectResult;
import uk.familylink.domain.outcome.FamilyOutcomes;
import uk.familylink.domain.outcome.InterventionOutcome;
import uk.familylink.domain.outcome.InterventionOutcome.Result;
import uk.familylink.domain.outcome.NeedOutcome;
import uk.familylink.domain.outcome.ReReferrals;
import uk.familylink.domain.statistics.StatisticsInput.EffectCount;
import uk.familylink.domain.statistics.StatisticsInput.OutcomeCount;
import uk.familylink.domain.statistics.StatisticsInput.ReReferralCount;

/**
 * The evaluation outputs ({@link FamilyOutcomes}) reduced to the counts the published tables need.
 * The rules themselves (what an outcome, a re-referral or an effect is) live in {@code
 * domain.outcome}; this only counts.
 */
public final class EvaluationCounts {

  private EvaluationCounts() {}

  /** {@code input} with its evaluation tables filled from {@code outcomes}. */
  public static StatisticsInput fill(StatisticsInput input, FamilyOutcomes outcomes) {
    return input.withEvaluation(outcomes(outcomes), reReferrals(outcomes), effects(outcomes));
  }

  /**
   * Per need: families whose latest judged intervention (closed, sustain window elapsed or need
   * recurred) had the need at its start, and those where it was resolved at closure and sustained.
   * One intervention per family, so the unit is families as the table says.
   */
  static List<OutcomeCount> outcomes(FamilyOutcomes outcomes) {
    Map<String, InterventionOutcome> latestJudged = new HashMap<>();
    for (InterventionOutcome o : outcomes.outcomes()) {
      if (o.result() != Result.SIGNIFICANT_AND_SUSTAINED && o.result() != Result.NOT_ACHIEVED) {
        continue;
      }
      latestJudged.merge(o.familyId(), o, (a, b) -> b.referral().isAfter(a.referral()) ? b : a);
    }
    Map<Need, long[]> byNeed = new EnumMap<>(Need.class);
    for (InterventionOutcome o : latestJudged.values()) {
      for (NeedOutcome n : o.needs()) {
        if (n.atStart()) {
          long[] c = byNeed.computeIfAbsent(n.need(), k -> new long[2]);
          c[0]++;
          c[1] += n.resolvedAndSustained() ? 1 : 0;
        }
      }
    }
    List<OutcomeCount> counts = new ArrayList<>();
    if (latestJudged.isEmpty()) {
      return counts;
    }
    for (Need need : Need.values()) {
      long[] c = byNeed.getOrDefault(need, new long[2]);
      counts.add(new OutcomeCount(need, c[0], c[1]));
    }
    return counts;
  }

  /** Child-level referrals by quarter (the DfE children-in-need definition the table cites). */
  static List<ReReferralCount> reReferrals(FamilyOutcomes outcomes) {
    List<ReReferralCount> counts = new ArrayList<>();
    for (Map.Entry<String, ReReferrals.Quarter> q : outcomes.children().byQuarter().entrySet()) {
      if (q.getValue().referrals() > 0) {
        counts.add(
            new ReReferralCount(q.getKey(), q.getValue().referrals(), q.getValue().reReferrals()));
      }
    }
    return counts;
  }

  static List<EffectCount> effects(FamilyOutcomes outcomes) {
    List<EffectCount> counts = new ArrayList<>();
    for (EffectResult e : outcomes.effects()) {
      if (e.families() > 0) {
        counts.add(new EffectCount(e.measure().name(), e.families(), e.before(), e.after()));
      }
    }
    return counts;
  }
}
