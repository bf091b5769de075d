package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import uk.familylink.domain.outcome.ReReferralRule.Kind;
import uk.familylink.domain.outcome.ReReferralRule.Verdict;

/**
 * Re-referral counts at one level (children or families) by calendar quarter of the referral date
 * ({@code 2025-Q1} = January to March). Counts only; no subject is named.
 */
public record ReReferrals(Level level, Map<String, Quarter> byQuarter) {

  /** The subject the rule was applied to. */
  public enum Level {
    CHILD,
    FAMILY
  }

  /**
   * One quarter's referrals.
   *
   * @param referrals counted referrals (first referrals and re-referrals)
   * @param reReferrals counted referrals within the window of a previous one
   * @param sameDayDuplicates referrals collapsed into another on the same day (not counted)
   * @param whileOpen referrals made while the same service's case was open (not counted)
   */
  public record Quarter(long referrals, long reReferrals, long sameDayDuplicates, long whileOpen) {
    /** Re-referrals as a share of referrals; NaN when there were none. */
    public double rate() {
      return referrals == 0 ? Double.NaN : (double) reReferrals / referrals;
    }

    Quarter plus(Kind kind) {
      return switch (kind) {
        case REFERRAL -> new Quarter(referrals + 1, reReferrals, sameDayDuplicates, whileOpen);
        case RE_REFERRAL ->
            new Quarter(referrals + 1, reReferrals + 1, sameDayDuplicates, whileOpen);
        case SAME_DAY_DUPLICATE ->
            new Quarter(referrals, reReferrals, sameDayDuplicates + 1, whileOpen);
        case WHILE_OPEN -> new Quarter(referrals, reReferrals, sameDayDuplicates, whileOpen + 1);
      };
    }
  }

  public static String quarterOf(LocalDate date) {
    return date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1);
  }

  /** Adds up verdicts (all subjects of one level) by quarter, quarters in order. */
  public static ReReferrals count(Level level, List<List<Verdict>> verdictsBySubject) {
    Map<String, Quarter> quarters = new TreeMap<>();
    for (List<Verdict> subject : verdictsBySubject) {
      for (Verdict v : subject) {
        quarters.merge(
            quarterOf(v.referral().date()),
            new Quarter(0, 0, 0, 0).plus(v.kind()),
            (a, b) ->
                new Quarter(
                    a.referrals + b.referrals,
                    a.reReferrals + b.reReferrals,
                    a.sameDayDuplicates + b.sameDayDuplicates,
                    a.whileOpen + b.whileOpen));
      }
    }
    return new ReReferrals(level, java.util.Collections.unmodifiableMap(quarters));
  }

  public Quarter total() {
    long r = 0;
    long re = 0;
    long d = 0;
    long o = 0;
    for (Quarter q : byQuarter.values()) {
      r += q.referrals;
      re += q.reReferrals;
      d += q.sameDayDuplicates;
      o += q.whileOpen;
    }
    return new Quarter(r, re, d, o);
  }
}
