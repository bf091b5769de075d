package uk.familylink.domain.outcome;

import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Windows and datasets of the evaluation rules (Supporting Families Outcome Framework). All are
 * configuration: the framework's wording has changed between phases.
 *
 * @param startLookBack evidence dated in [referral − startLookBack, referral] shows a need at the
 *     start of an intervention (default 12 months)
 * @param closureWindow evidence dated after the referral and in [closure − closureWindow, closure]
 *     shows a need still present at closure (default 3 months)
 * @param sustainWindow a need is sustained when nothing evidences it in (closure, closure +
 *     sustainWindow] (default 6 months)
 * @param reReferralWindow a referral is a re-referral when a previous one is on or after its date −
 *     reReferralWindow (DfE: 12 months)
 * @param effectWindow the before/after windows of the programme effect measures (12 months)
 * @param interventionDataset dataset whose rows are intervention episodes (referral = event date,
 *     closure = the {@code closure_date} attribute)
 * @param referralDatasets datasets whose event dates are referrals
 */
public record OutcomeSettings(
    Period startLookBack,
    Period closureWindow,
    Period sustainWindow,
    Period reReferralWindow,
    Period effectWindow,
    String interventionDataset,
    Set<String> referralDatasets) {

  /** The attribute the contract's {@code CLOSURE_DATE} column is kept under. */
  public static final String CLOSURE_ATTRIBUTE = "closure_date";

  public OutcomeSettings {
    List<String> problems = new ArrayList<>();
    check(problems, "startLookBack", startLookBack);
    check(problems, "closureWindow", closureWindow);
    check(problems, "sustainWindow", sustainWindow);
    check(problems, "reReferralWindow", reReferralWindow);
    check(problems, "effectWindow", effectWindow);
    if (interventionDataset == null || interventionDataset.isBlank()) {
      problems.add("interventionDataset is required");
    }
    if (referralDatasets == null || referralDatasets.isEmpty()) {
      problems.add("referralDatasets must name at least one dataset");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Outcome settings are invalid: " + String.join("; ", problems));
    }
    referralDatasets = Set.copyOf(referralDatasets);
  }

  private static void check(List<String> problems, String name, Period p) {
    if (p == null) {
      problems.add(name + " is required");
    } else if (p.isNegative() || p.isZero()) {
      problems.add(name + " must be a positive period");
    }
  }

  public static OutcomeSettings supportingFamilies2022() {
    return new OutcomeSettings(
        Period.ofMonths(12),
        Period.ofMonths(3),
        Period.ofMonths(6),
        Period.ofMonths(12),
        Period.ofMonths(12),
        "early-help",
        Set.of("early-help", "social-care"));
  }

  public OutcomeSettings withSustainWindow(Period p) {
    return new OutcomeSettings(
        startLookBack,
        closureWindow,
        p,
        reReferralWindow,
        effectWindow,
        interventionDataset,
        referralDatasets);
  }

  public OutcomeSettings withReReferralWindow(Period p) {
    return new OutcomeSettings(
        startLookBack,
        closureWindow,
        sustainWindow,
        p,
        effectWindow,
        interventionDataset,
        referralDatasets);
  }
}
