package uk.familylink.domain.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.outcome.Records.d;

import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.outcome.ReReferralRule.Kind;
import uk.familylink.domain.outcome.ReReferralRule.Verdict;

class ReReferralRuleTest {

  private final OutcomeSettings settings = OutcomeSettings.supportingFamilies2022();
  private final ReReferralRule rule = new ReReferralRule(settings);

  private static Referral socialCare(String date) {
    return new Referral(d(date), "social-care", null);
  }

  private static Referral earlyHelp(String date, String closure) {
    return new Referral(d(date), "early-help", closure == null ? null : d(closure));
  }

  private static List<Kind> kinds(List<Verdict> verdicts) {
    return verdicts.stream().map(Verdict::kind).toList();
  }

  @Test
  void aReferralExactlyTwelveMonthsAfterThePreviousIsAReReferralAndADayLaterIsNot() {
    assertThat(kinds(rule.classify(List.of(socialCare("2024-03-15"), socialCare("2025-03-15")))))
        .containsExactly(Kind.REFERRAL, Kind.RE_REFERRAL);
    assertThat(kinds(rule.classify(List.of(socialCare("2024-03-15"), socialCare("2025-03-16")))))
        .containsExactly(Kind.REFERRAL, Kind.REFERRAL);
  }

  @Test
  void theWindowRunsFromThePreviousCountedReferralNotTheFirst() {
    // 2024-01-10 -> 2024-11-01 (re-referral) -> 2025-10-01 (11 months after the previous:
    // re-referral)
    assertThat(
            kinds(
                rule.classify(
                    List.of(
                        socialCare("2025-10-01"),
                        socialCare("2024-01-10"),
                        socialCare("2024-11-01")))))
        .containsExactly(Kind.REFERRAL, Kind.RE_REFERRAL, Kind.RE_REFERRAL);
  }

  @Test
  void sameDayReferralsFromAnyDatasetAreOneReferral() {
    List<Verdict> verdicts =
        rule.classify(
            List.of(
                socialCare("2025-02-01"),
                earlyHelp("2025-02-01", "2025-05-01"),
                socialCare("2025-02-01")));
    assertThat(kinds(verdicts))
        .containsExactly(Kind.REFERRAL, Kind.SAME_DAY_DUPLICATE, Kind.SAME_DAY_DUPLICATE);
    // the early-help row sorts first on the day (by dataset), so it is the one counted
    assertThat(verdicts.get(0).referral().dataset()).isEqualTo("early-help");
  }

  @Test
  void anEarlyHelpReferralWhileTheEarlyHelpCaseIsOpenIsPartOfThatCase() {
    assertThat(
            kinds(
                rule.classify(
                    List.of(
                        earlyHelp("2025-01-01", "2025-06-30"),
                        earlyHelp("2025-06-30", null),
                        earlyHelp("2025-07-01", null)))))
        .containsExactly(Kind.REFERRAL, Kind.WHILE_OPEN, Kind.RE_REFERRAL);
    // no closure at all: the case is still open
    assertThat(
            kinds(
                rule.classify(
                    List.of(earlyHelp("2025-01-01", null), earlyHelp("2026-05-01", null)))))
        .containsExactly(Kind.REFERRAL, Kind.WHILE_OPEN);
  }

  @Test
  void aSocialCareReferralWhileAnEarlyHelpCaseIsOpenCounts() {
    assertThat(
            kinds(rule.classify(List.of(earlyHelp("2025-01-01", null), socialCare("2025-03-01")))))
        .containsExactly(Kind.REFERRAL, Kind.RE_REFERRAL);
  }

  @Test
  void theWindowIsConfiguration() {
    ReReferralRule sixMonths =
        new ReReferralRule(settings.withReReferralWindow(Period.ofMonths(6)));
    assertThat(
            kinds(sixMonths.classify(List.of(socialCare("2024-03-15"), socialCare("2024-12-01")))))
        .containsExactly(Kind.REFERRAL, Kind.REFERRAL);
  }

  @Test
  void quarterlyRatesCountEachSubjectsReferralsInTheQuarterOfTheirDate() {
    List<Verdict> childA =
        rule.classify(
            List.of(socialCare("2024-12-31"), socialCare("2025-01-01"), socialCare("2025-01-01")));
    List<Verdict> childB = rule.classify(List.of(socialCare("2025-03-31")));
    ReReferrals r = ReReferrals.count(ReReferrals.Level.CHILD, List.of(childA, childB));

    assertThat(r.byQuarter()).containsOnlyKeys("2024-Q4", "2025-Q1");
    assertThat(r.byQuarter().get("2024-Q4")).isEqualTo(new ReReferrals.Quarter(1, 0, 0, 0));
    ReReferrals.Quarter q1 = r.byQuarter().get("2025-Q1");
    assertThat(q1).isEqualTo(new ReReferrals.Quarter(2, 1, 1, 0));
    assertThat(q1.rate()).isEqualTo(0.5);
    assertThat(r.total()).isEqualTo(new ReReferrals.Quarter(3, 1, 1, 0));
    assertThat(ReReferrals.quarterOf(d("2025-04-01"))).isEqualTo("2025-Q2");
  }
}
