package uk.familylink.domain.outputs;

import java.time.LocalDate;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import uk.familylink.domain.identification.CaseloadAnswer;
import uk.familylink.domain.identification.IdentificationList;
import uk.familylink.domain.identification.IdentifiedFamily;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.EffectResult;
import uk.familylink.domain.outcome.FamilyOutcomes;
import uk.familylink.domain.outcome.InterventionOutcome;
import uk.familylink.domain.outcome.NeedOutcome;
import uk.familylink.domain.outcome.ReReferrals;

/**
 * Renders the outputs as CSV files and short readable summaries. Every row of every CSV carries the
 * as-of date; aggregate rows also name the contributing datasets. Values are pseudonymous family
 * IDs, need IDs, dataset names, dates and counts only.
 */
public final class OutputFiles {

  private OutputFiles() {}

  /** File name → content of the evaluation outputs. */
  public static Map<String, String> evaluation(FamilyOutcomes o) {
    Map<String, String> files = new TreeMap<>();
    files.put("outcomes.csv", outcomes(o));
    files.put("re-referrals.csv", reReferrals(o));
    files.put("effect-measures.csv", effects(o));
    files.put("evaluation-summary.txt", evaluationSummary(o));
    return files;
  }

  /** File name → content of the identification outputs. */
  public static Map<String, String> identification(IdentificationList list) {
    Map<String, String> files = new TreeMap<>();
    StringBuilder families =
        new StringBuilder(
            "as_of,family_id,first_met,need_count,needs,dependent_child,expectant_parent\n");
    StringBuilder evidence =
        new StringBuilder("as_of,family_id,need,dataset,contract_version,event_date\n");
    for (IdentifiedFamily f : list.families()) {
      families
          .append(list.asOf())
          .append(',')
          .append(f.familyId())
          .append(',')
          .append(date(f.firstMet()))
          .append(',')
          .append(f.needs().size())
          .append(',')
          .append(needs(f.needs()))
          .append(',')
          .append(f.dependentChild() ? "Y" : "N")
          .append(',')
          .append(f.expectantParent() ? "Y" : "N")
          .append('\n');
      for (IdentifiedFamily.Evidence e : f.evidence()) {
        evidence
            .append(list.asOf())
            .append(',')
            .append(f.familyId())
            .append(',')
            .append(e.need())
            .append(',')
            .append(e.dataset())
            .append(',')
            .append(e.contractVersion())
            .append(',')
            .append(date(e.eventDate()))
            .append('\n');
      }
    }
    files.put("identification/families.csv", families.toString());
    files.put("identification/evidence.csv", evidence.toString());
    StringBuilder s = new StringBuilder();
    s.append("FamilyLink identification list (need-to-know; Supporting Families team)\n");
    s.append("As of ").append(list.asOf()).append("; datasets: ").append(joined(list.datasets()));
    s.append('\n');
    s.append(
        String.format(
            Locale.ROOT,
            "Rule: dependent child (0-%d, or to %d in education) or expectant parent, and %d+ of"
                + " the ten headline needs.%n",
            list.rule().dependentMaxAge(),
            list.rule().educationMaxAge(),
            list.rule().minimumNeeds()));
    s.append(
        String.format(
            Locale.ROOT, "Families meeting the rule: %,d%n", (long) list.families().size()));
    s.append(
        "Families are named by their keyed pseudonymous ID; Early Help (or any partner) learns"
            + " which of its own references they are by uploading its caseload.\n");
    files.put("identification-summary.txt", s.toString());
    return files;
  }

  /** The answer file a partner receives for its caseload (by row number, no reference). */
  public static String caseloadCsv(CaseloadAnswer a) {
    StringBuilder b = new StringBuilder("as_of,row,status,need_count,needs,first_met\n");
    for (CaseloadAnswer.Row r : a.rows()) {
      b.append(a.asOf())
          .append(',')
          .append(r.row())
          .append(',')
          .append(r.status())
          .append(',')
          .append(r.needs().size())
          .append(',')
          .append(needs(r.needs()))
          .append(',')
          .append(date(r.firstMet()))
          .append('\n');
    }
    return b.toString();
  }

  public static String caseloadSummary(CaseloadAnswer a, Set<String> datasets) {
    return String.format(
        Locale.ROOT,
        "FamilyLink caseload answer for %s, as of %s (datasets: %s)%n"
            + "Rows: %,d. Eligible: %,d. Not eligible: %,d. Not known: %,d. Invalid reference: %,d.%n"
            + "Eligible families this caseload does not name: %,d (of which named by no %s row:"
            + " %,d).%n"
            + "Rows are answered by row number (row 1 = first data row); join them back to the"
            + " file you sent.%n",
        a.partnerDataset(),
        a.asOf(),
        joined(datasets),
        (long) a.rows().size(),
        a.count(CaseloadAnswer.Status.ELIGIBLE),
        a.count(CaseloadAnswer.Status.NOT_ELIGIBLE),
        a.count(CaseloadAnswer.Status.NOT_KNOWN),
        a.count(CaseloadAnswer.Status.INVALID_REFERENCE),
        a.eligibleNotInCaseload(),
        a.partnerDataset(),
        a.eligibleNotKnownToPartner());
  }

  private static String outcomes(FamilyOutcomes o) {
    StringBuilder b =
        new StringBuilder(
            "as_of,family_id,referral_date,closure_date,sustained_until,result,start_needs,"
                + "needs_at_closure,needs_recurred\n");
    for (InterventionOutcome io : o.outcomes()) {
      Set<Need> closure = EnumSet.noneOf(Need.class);
      Set<Need> recurred = EnumSet.noneOf(Need.class);
      for (NeedOutcome n : io.needs()) {
        if (n.atClosure()) {
          closure.add(n.need());
        }
        if (n.afterClosure() == NeedOutcome.After.RECURRED) {
          recurred.add(n.need());
        }
      }
      b.append(o.asOf())
          .append(',')
          .append(io.familyId())
          .append(',')
          .append(io.referral())
          .append(',')
          .append(date(io.closure()))
          .append(',')
          .append(date(io.sustainedUntil()))
          .append(',')
          .append(io.result())
          .append(',')
          .append(needs(io.startNeeds()))
          .append(',')
          .append(needs(closure))
          .append(',')
          .append(needs(recurred))
          .append('\n');
    }
    return b.toString();
  }

  private static String reReferrals(FamilyOutcomes o) {
    StringBuilder b =
        new StringBuilder(
            "as_of,datasets,level,quarter,referrals,re_referrals,rate,same_day_duplicates,"
                + "while_open\n");
    String datasets = joined(o.settings().referralDatasets());
    for (ReReferrals r : new ReReferrals[] {o.children(), o.families()}) {
      r.byQuarter()
          .forEach(
              (quarter, q) ->
                  b.append(o.asOf())
                      .append(',')
                      .append(datasets)
                      .append(',')
                      .append(r.level())
                      .append(',')
                      .append(quarter)
                      .append(',')
                      .append(q.referrals())
                      .append(',')
                      .append(q.reReferrals())
                      .append(',')
                      .append(share(q.rate()))
                      .append(',')
                      .append(q.sameDayDuplicates())
                      .append(',')
                      .append(q.whileOpen())
                      .append('\n'));
    }
    return b.toString();
  }

  private static String effects(FamilyOutcomes o) {
    StringBuilder b =
        new StringBuilder(
            "as_of,datasets,measure,families,before,share_before,after,share_after\n");
    for (EffectResult e : o.effects()) {
      b.append(o.asOf())
          .append(',')
          .append(o.settings().interventionDataset())
          .append(';')
          .append(e.measure().dataset())
          .append(',')
          .append(e.measure())
          .append(',')
          .append(e.families())
          .append(',')
          .append(e.before())
          .append(',')
          .append(share(e.shareBefore()))
          .append(',')
          .append(e.after())
          .append(',')
          .append(share(e.shareAfter()))
          .append('\n');
    }
    return b.toString();
  }

  private static String evaluationSummary(FamilyOutcomes o) {
    StringBuilder s = new StringBuilder();
    s.append("FamilyLink evaluation outputs (internal, unsuppressed; research use only)\n");
    s.append("As of ").append(o.asOf()).append("; datasets: ").append(joined(o.datasets()));
    s.append('\n');
    s.append(
        String.format(
            Locale.ROOT,
            "Windows: needs at start %s before referral; at closure %s before closure; sustained"
                + " %s after closure; re-referral %s; effect measures %s before/after.%n",
            o.settings().startLookBack(),
            o.settings().closureWindow(),
            o.settings().sustainWindow(),
            o.settings().reReferralWindow(),
            o.settings().effectWindow()));
    s.append(
        String.format(
            Locale.ROOT,
            "Interventions (%s episodes): %,d%n",
            o.settings().interventionDataset(),
            (long) o.outcomes().size()));
    for (InterventionOutcome.Result r : InterventionOutcome.Result.values()) {
      s.append(String.format(Locale.ROOT, "  %-28s %,d%n", r, o.count(r)));
    }
    for (ReReferrals r : new ReReferrals[] {o.children(), o.families()}) {
      ReReferrals.Quarter t = r.total();
      s.append(
          String.format(
              Locale.ROOT,
              "Re-referrals (%s level, from %s): %,d of %,d referrals (%s); same-day duplicates"
                  + " %,d, while open %,d%n",
              r.level(),
              joined(o.settings().referralDatasets()),
              t.reReferrals(),
              t.referrals(),
              share(t.rate()),
              t.sameDayDuplicates(),
              t.whileOpen()));
    }
    s.append(
        "Programme effect measures (families with a closed intervention, 12 months before vs after):\n");
    for (EffectResult e : o.effects()) {
      s.append(
          String.format(
              Locale.ROOT,
              "  %-34s %,d families: before %,d (%s), after %,d (%s) [%s]%n",
              e.measure().label(),
              e.families(),
              e.before(),
              share(e.shareBefore()),
              e.after(),
              share(e.shareAfter()),
              e.measure().dataset()));
    }
    return s.toString();
  }

  private static String needs(Collection<Need> needs) {
    return needs.stream().sorted().map(Need::name).collect(Collectors.joining(";"));
  }

  private static String joined(Collection<String> values) {
    return values.stream().sorted().collect(Collectors.joining(";"));
  }

  private static String date(LocalDate d) {
    return d == null ? "" : d.toString();
  }

  private static String share(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
  }
}
