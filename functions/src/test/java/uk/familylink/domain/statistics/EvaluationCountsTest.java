package uk.familylink.domain.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.EffectMeasure;
import uk.familylink.domain.outcome.EffectResult;
import uk.familylink.domain.outcome.FamilyOutcomes;
import uk.familylink.domain.outcome.InterventionOutcome;
import uk.familylink.domain.outcome.InterventionOutcome.Result;
import uk.familylink.domain.outcome.NeedOutcome;
import uk.familylink.domain.outcome.NeedOutcome.After;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.outcome.ReReferrals;
import uk.familylink.domain.statistics.StatisticsInput.EffectCount;
import uk.familylink.domain.statistics.StatisticsInput.OutcomeCount;
import uk.familylink.domain.statistics.StatisticsInput.ReReferralCount;

class EvaluationCountsTest {

  private static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);

  private static InterventionOutcome intervention(
      String family, String referral, Result result, NeedOutcome... needs) {
    LocalDate r = LocalDate.parse(referral);
    return new InterventionOutcome(
        family, r, r.plusMonths(6), r.plusMonths(12), List.of(needs), result);
  }

  private static NeedOutcome sustained(Need need) {
    return new NeedOutcome(need, true, false, After.SUSTAINED);
  }

  private static NeedOutcome notResolved(Need need) {
    return new NeedOutcome(need, true, true, After.NOT_APPLICABLE);
  }

  private static FamilyOutcomes outcomes(
      List<InterventionOutcome> interventions,
      Map<String, ReReferrals.Quarter> childQuarters,
      List<EffectResult> effects) {
    return new FamilyOutcomes(
        AS_OF,
        Set.of("early-help"),
        interventions,
        new ReReferrals(ReReferrals.Level.CHILD, childQuarters),
        new ReReferrals(ReReferrals.Level.FAMILY, Map.of()),
        effects,
        OutcomeSettings.supportingFamilies2022());
  }

  @Test
  void eachFamilyCountsOnceByItsLatestJudgedInterventionAndUnjudgedOnesAreLeftOut() {
    FamilyOutcomes out =
        outcomes(
            List.of(
                // f1: an earlier success, then a later intervention that did not achieve: the
                // later one is the family's outcome
                intervention(
                    "f1", "2023-01-01", Result.SIGNIFICANT_AND_SUSTAINED, sustained(Need.CRIME)),
                intervention("f1", "2024-01-01", Result.NOT_ACHIEVED, notResolved(Need.CRIME)),
                intervention(
                    "f2",
                    "2024-02-01",
                    Result.SIGNIFICANT_AND_SUSTAINED,
                    sustained(Need.CRIME),
                    sustained(Need.EDUCATION)),
                // not judged yet: neither counted
                intervention("f3", "2025-09-01", Result.PENDING, sustained(Need.CRIME)),
                intervention("f4", "2026-01-01", Result.OPEN, notResolved(Need.HEALTH))),
            Map.of(),
            List.of());

    List<OutcomeCount> counts = EvaluationCounts.outcomes(out);

    assertThat(counts).hasSize(Need.values().length);
    assertThat(counts)
        .contains(
            new OutcomeCount(Need.CRIME, 2, 1),
            new OutcomeCount(Need.EDUCATION, 1, 1),
            new OutcomeCount(Need.HEALTH, 0, 0));
  }

  @Test
  void withNothingJudgedTheOutcomesTableStaysNotAvailable() {
    FamilyOutcomes out =
        outcomes(
            List.of(intervention("f3", "2025-09-01", Result.PENDING, sustained(Need.CRIME))),
            Map.of(),
            List.of());

    assertThat(EvaluationCounts.outcomes(out)).isEmpty();
  }

  @Test
  void reReferralsAreChildLevelQuartersWithReferralsAndEffectsMeasuresWithFamilies() {
    FamilyOutcomes out =
        outcomes(
            List.of(),
            Map.of(
                "2025-Q1", new ReReferrals.Quarter(3, 1, 0, 0),
                // only duplicates: no referral counted, no row
                "2025-Q2", new ReReferrals.Quarter(0, 0, 2, 1)),
            List.of(
                new EffectResult(EffectMeasure.OFFENDING, 4, 3, 1),
                new EffectResult(EffectMeasure.UNAUTHORISED_ABSENCE, 0, 0, 0)));

    assertThat(EvaluationCounts.reReferrals(out))
        .containsExactly(new ReReferralCount("2025-Q1", 3, 1));
    assertThat(EvaluationCounts.effects(out))
        .containsExactly(new EffectCount("OFFENDING", 4, 3, 1));
  }
}
