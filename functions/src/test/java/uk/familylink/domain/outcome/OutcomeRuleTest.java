package uk.familylink.domain.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.familylink.domain.outcome.Records.d;
import static uk.familylink.domain.outcome.Records.earlyHelp;
import static uk.familylink.domain.outcome.Records.evidence;

import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.InterventionOutcome.Result;
import uk.familylink.domain.outcome.NeedOutcome.After;

/**
 * Hand-computed examples. The episode: referral 2025-01-15, closure 2025-07-31; sustain window 6
 * months ends 2026-01-31 (inclusive); closure window 3 months starts 2025-04-30; start look-back 12
 * months starts 2024-01-15.
 */
class OutcomeRuleTest {

  private final OutcomeSettings settings = OutcomeSettings.supportingFamilies2022();
  private final OutcomeRule rule = new OutcomeRule(settings);

  private InterventionOutcome assess(String asOf, LinkedRecord... more) {
    List<LinkedRecord> records = new ArrayList<>();
    records.add(earlyHelp("parent", "2025-01-15", "2025-07-31", Need.FAMILY_RELATIONSHIPS));
    records.addAll(List.of(more));
    Episode episode = Episode.of(records, settings).get(0);
    return rule.assess("FAMILY_REF:fam1", episode, records, d(asOf));
  }

  private static NeedOutcome need(InterventionOutcome o, Need need) {
    return o.needs().stream().filter(n -> n.need() == need).findFirst().orElseThrow();
  }

  @Test
  void everyStartNeedResolvedAndNothingForSixMonthsIsSignificantAndSustained() {
    InterventionOutcome o =
        assess("2026-02-01", evidence("police-incidents", "parent", "2024-11-02", Need.CRIME));

    assertThat(o.startNeeds()).containsExactlyInAnyOrder(Need.FAMILY_RELATIONSHIPS, Need.CRIME);
    assertThat(o.sustainedUntil()).isEqualTo(d("2026-01-31"));
    assertThat(o.result()).isEqualTo(Result.SIGNIFICANT_AND_SUSTAINED);
    assertThat(need(o, Need.CRIME).resolvedAndSustained()).isTrue();
  }

  @Test
  void evidenceExactlySixMonthsAfterClosureBreaksSustainAndADayLaterDoesNot() {
    InterventionOutcome onTheDay =
        assess(
            "2026-03-01",
            evidence("police-incidents", "parent", "2024-11-02", Need.CRIME),
            evidence("police-incidents", "parent", "2026-01-31", Need.CRIME));
    assertThat(need(onTheDay, Need.CRIME).afterClosure()).isEqualTo(After.RECURRED);
    assertThat(onTheDay.result()).isEqualTo(Result.NOT_ACHIEVED);

    InterventionOutcome dayAfter =
        assess(
            "2026-03-01",
            evidence("police-incidents", "parent", "2024-11-02", Need.CRIME),
            evidence("police-incidents", "parent", "2026-02-01", Need.CRIME));
    assertThat(need(dayAfter, Need.CRIME).afterClosure()).isEqualTo(After.SUSTAINED);
    assertThat(dayAfter.result()).isEqualTo(Result.SIGNIFICANT_AND_SUSTAINED);
  }

  @Test
  void theResultIsKnownOnTheDayTheSixMonthsEndAndPendingTheDayBefore() {
    assertThat(assess("2026-01-30").result()).isEqualTo(Result.PENDING);
    assertThat(assess("2026-01-31").result()).isEqualTo(Result.SIGNIFICANT_AND_SUSTAINED);
  }

  @Test
  void aNeedEvidencedOnTheClosureDayIsPresentAtClosureAndNotAfterIt() {
    InterventionOutcome o =
        assess("2026-02-01", evidence("school-attendance", "child", "2025-07-31", Need.EDUCATION));

    NeedOutcome education = need(o, Need.EDUCATION);
    assertThat(education.atStart()).isFalse();
    assertThat(education.atClosure()).isTrue();
    assertThat(education.afterClosure()).isEqualTo(After.SUSTAINED);
    // not a start need, so the family's result rests on FAMILY_RELATIONSHIPS alone
    assertThat(o.result()).isEqualTo(Result.SIGNIFICANT_AND_SUSTAINED);

    InterventionOutcome startNeed =
        assess(
            "2026-02-01",
            evidence("school-attendance", "child", "2024-12-20", Need.EDUCATION),
            evidence("school-attendance", "child", "2025-07-31", Need.EDUCATION));
    assertThat(need(startNeed, Need.EDUCATION).atClosure()).isTrue();
    assertThat(startNeed.result()).isEqualTo(Result.NOT_ACHIEVED);
  }

  @Test
  void closureWindowStartsThreeMonthsBeforeClosure() {
    // 2025-04-30 is exactly three months before 2025-07-31: inside; 2025-04-29 is outside
    assertThat(
            need(
                    assess(
                        "2026-02-01",
                        evidence("health", "parent", "2025-04-30", Need.HEALTH),
                        evidence("health", "parent", "2024-06-01", Need.HEALTH)),
                    Need.HEALTH)
                .atClosure())
        .isTrue();
    assertThat(
            need(
                    assess(
                        "2026-02-01",
                        evidence("health", "parent", "2025-04-29", Need.HEALTH),
                        evidence("health", "parent", "2024-06-01", Need.HEALTH)),
                    Need.HEALTH)
                .atClosure())
        .isFalse();
  }

  @Test
  void startLookBackIsTwelveMonthsBeforeTheReferralInclusive() {
    assertThat(
            assess("2026-02-01", evidence("housing", "parent", "2024-01-15", Need.HOUSING))
                .startNeeds())
        .contains(Need.HOUSING);
    assertThat(
            assess("2026-02-01", evidence("housing", "parent", "2024-01-14", Need.HOUSING))
                .startNeeds())
        .doesNotContain(Need.HOUSING);
  }

  @Test
  void theEpisodesOwnAssessmentRowsNeverCountAtClosure() {
    // a short episode: its assessment row (dated at referral) falls inside the closure window
    List<LinkedRecord> records =
        List.of(earlyHelp("parent", "2025-06-01", "2025-07-01", Need.HOUSING));
    Episode episode = Episode.of(records, settings).get(0);
    InterventionOutcome o = rule.assess("f", episode, records, d("2026-01-01"));
    assertThat(need(o, Need.HOUSING).atClosure()).isFalse();
    assertThat(o.result()).isEqualTo(Result.SIGNIFICANT_AND_SUSTAINED);
  }

  @Test
  void anOpenCaseHasNoResultAndAClosureAfterTheAsOfDateIsNotYetKnown() {
    List<LinkedRecord> open = List.of(earlyHelp("parent", "2025-06-01", null, Need.HOUSING));
    assertThat(rule.assess("f", Episode.of(open, settings).get(0), open, d("2026-01-01")).result())
        .isEqualTo(Result.OPEN);
    assertThat(assess("2025-07-30").result()).isEqualTo(Result.OPEN);
  }

  @Test
  void aLongerSustainWindowIsConfiguration() {
    OutcomeRule twelve = new OutcomeRule(settings.withSustainWindow(Period.ofMonths(12)));
    List<LinkedRecord> records =
        List.of(
            earlyHelp("parent", "2025-01-15", "2025-07-31", Need.CRIME),
            evidence("police-incidents", "parent", "2026-05-01", Need.CRIME));
    Episode episode = Episode.of(records, settings).get(0);
    assertThat(rule.assess("f", episode, records, d("2026-08-01")).result())
        .isEqualTo(Result.SIGNIFICANT_AND_SUSTAINED);
    assertThat(twelve.assess("f", episode, records, d("2026-08-01")).result())
        .isEqualTo(Result.NOT_ACHIEVED);
  }

  @Test
  void episodesAreOneReferralDateWithTheLatestClosureOfItsRows() {
    List<Episode> episodes =
        Episode.of(
            List.of(
                earlyHelp("parent", "2025-01-15", "2025-07-31", Need.CRIME),
                earlyHelp("child", "2025-01-15", "2025-08-05", Need.EDUCATION),
                earlyHelp("child", "2026-03-01", "2025-01-01"),
                evidence("police-incidents", "parent", "2025-01-15", Need.CRIME)),
            settings);
    assertThat(episodes).hasSize(2);
    assertThat(episodes.get(0).closure()).isEqualTo(d("2025-08-05"));
    assertThat(episodes.get(0).needsIdentified())
        .containsExactlyInAnyOrder(Need.CRIME, Need.EDUCATION);
    // a closure before the referral is not believed: the case counts as open
    assertThat(episodes.get(1).isClosed()).isFalse();
  }

  @Test
  void settingsRefuseMissingOrNonPositiveWindowsNamingEach() {
    assertThatThrownBy(
            () ->
                new OutcomeSettings(
                    Period.ZERO,
                    null,
                    Period.ofMonths(6),
                    Period.ofMonths(12),
                    Period.ofMonths(-1),
                    "",
                    java.util.Set.of()))
        .hasMessageContaining("startLookBack must be a positive period")
        .hasMessageContaining("closureWindow is required")
        .hasMessageContaining("effectWindow must be a positive period")
        .hasMessageContaining("interventionDataset is required")
        .hasMessageContaining("referralDatasets");
  }
}
