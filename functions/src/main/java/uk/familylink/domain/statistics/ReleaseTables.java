package uk.familylink.domain.statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import uk.familylink.domain.disclosure.CellSystem;
import uk.familylink.domain.disclosure.Symbol;
import uk.familylink.domain.need.Need;

/**
 * The tables of a statistics release and their additive structure, built from a {@link
 * StatisticsInput}. Cell ids are stable across releases (so the next release can be checked against
 * this one) and tables that publish the same number share the cell: the count of all families is
 * one cell, the families with a need are one cell in the needs table and the bound of every
 * dataset-coverage cell for that need.
 */
public record ReleaseTables(List<StatTable> tables, CellSystem cells) {

  public static final String TOTAL = "Total";
  static final String ALL_FAMILIES = "families/all";
  static final String ELIGIBLE = "families/eligible";

  public static ReleaseTables build(StatisticsInput input) {
    CellSystem.Builder cells = CellSystem.builder();
    List<StatTable> tables = new ArrayList<>();
    tables.add(byNumberOfNeeds(input, cells));
    tables.add(byNeed(input, cells));
    tables.add(byDataset(input, cells));
    tables.add(outcomes(input, cells));
    tables.add(reReferrals(input, cells));
    tables.add(effects(input, cells));
    return new ReleaseTables(tables, cells.build());
  }

  private static final String WITH_CHILD = "Dependent child or expectant parent";
  private static final String WITHOUT_CHILD = "No dependent child or expectant parent";

  private static StatTable byNumberOfNeeds(StatisticsInput input, CellSystem.Builder cells) {
    List<StatTable.Row> rows = new ArrayList<>();
    List<String> withChild = new ArrayList<>();
    List<String> withoutChild = new ArrayList<>();
    List<String> rowTotals = new ArrayList<>();
    List<String> eligible = new ArrayList<>();
    for (StatisticsInput.NeedCount n : input.byNeedCount()) {
      String base = "needs_count/" + n.needs();
      cells.cell(base + "/with_child", n.withChild());
      cells.cell(base + "/without_child", n.withoutChild());
      cells.total(base + "/all", n.withChild() + n.withoutChild());
      cells.sum(base + "/all", List.of(base + "/with_child", base + "/without_child"));
      withChild.add(base + "/with_child");
      withoutChild.add(base + "/without_child");
      rowTotals.add(base + "/all");
      if (n.needs() >= input.minimumNeeds()) {
        eligible.add(base + "/with_child");
      }
      String label = Integer.toString(n.needs());
      rows.add(new StatTable.Row(List.of(label, WITH_CHILD), base + "/with_child", null, null));
      rows.add(
          new StatTable.Row(List.of(label, WITHOUT_CHILD), base + "/without_child", null, null));
      rows.add(new StatTable.Row(List.of(label, TOTAL), base + "/all", null, null));
    }
    long withChildTotal = input.byNeedCount().stream().mapToLong(n -> n.withChild()).sum();
    long withoutTotal = input.byNeedCount().stream().mapToLong(n -> n.withoutChild()).sum();
    cells.total("needs_count/all/with_child", withChildTotal);
    cells.total("needs_count/all/without_child", withoutTotal);
    cells.total(ALL_FAMILIES, withChildTotal + withoutTotal);
    cells.sum("needs_count/all/with_child", withChild);
    cells.sum("needs_count/all/without_child", withoutChild);
    cells.sum(ALL_FAMILIES, rowTotals);
    cells.sum(ALL_FAMILIES, List.of("needs_count/all/with_child", "needs_count/all/without_child"));
    long eligibleFamilies =
        input.byNeedCount().stream()
            .filter(n -> n.needs() >= input.minimumNeeds())
            .mapToLong(StatisticsInput.NeedCount::withChild)
            .sum();
    cells.total(ELIGIBLE, eligibleFamilies);
    cells.sum(ELIGIBLE, eligible);
    rows.add(
        new StatTable.Row(List.of(TOTAL, WITH_CHILD), "needs_count/all/with_child", null, null));
    rows.add(
        new StatTable.Row(
            List.of(TOTAL, WITHOUT_CHILD), "needs_count/all/without_child", null, null));
    rows.add(new StatTable.Row(List.of(TOTAL, TOTAL), ALL_FAMILIES, null, null));
    rows.add(
        new StatTable.Row(
            List.of(input.minimumNeeds() + " or more (meets the rule)", WITH_CHILD),
            ELIGIBLE,
            null,
            ALL_FAMILIES));
    return new StatTable(
        "families_by_number_of_needs",
        "Families by number of headline needs",
        "Families linked so far by how many of the ten headline needs their members' records"
            + " evidence, and whether the family has a dependent child or an expectant parent. A"
            + " family meets the rule with a dependent child or expectant parent and "
            + input.minimumNeeds()
            + " or more needs.",
        List.of("number_of_needs", "family_type"),
        List.of("Number of headline needs", "Family type"),
        "families",
        "Families",
        "percent_of_families",
        "Percent of all families",
        rows,
        new StatTable.Chart(
            "Families by number of headline needs", Arrays.asList(null, TOTAL), 0, false));
  }

  private static final String MEETS = "Meets the rule";
  private static final String NOT_MEETS = "Does not meet the rule";

  private static StatTable byNeed(StatisticsInput input, CellSystem.Builder cells) {
    List<StatTable.Row> rows = new ArrayList<>();
    for (Map.Entry<Need, StatisticsInput.EligibilitySplit> e : input.byNeed().entrySet()) {
      String base = "need/" + e.getKey().name();
      StatisticsInput.EligibilitySplit split = e.getValue();
      cells.cell(base + "/eligible", split.eligible());
      cells.cell(base + "/not_eligible", split.notEligible());
      cells.total(base + "/all", split.eligible() + split.notEligible());
      cells.sum(base + "/all", List.of(base + "/eligible", base + "/not_eligible"));
      cells.atMost(base + "/all", ALL_FAMILIES);
      cells.atMost(base + "/eligible", ELIGIBLE);
      String label = e.getKey().label();
      rows.add(new StatTable.Row(List.of(label, MEETS), base + "/eligible", null, ELIGIBLE));
      rows.add(new StatTable.Row(List.of(label, NOT_MEETS), base + "/not_eligible", null, null));
      rows.add(new StatTable.Row(List.of(label, TOTAL), base + "/all", null, ALL_FAMILIES));
    }
    return new StatTable(
        "families_by_need",
        "Families by headline need",
        "Families whose members' records evidence each headline need. A family with several needs"
            + " is counted under each, so the needs do not add up to the number of families.",
        List.of("need", "eligibility"),
        List.of("Headline need", "Eligibility"),
        "families",
        "Families",
        "percent",
        "Percent of families (of all families, or of those meeting the rule)",
        rows,
        new StatTable.Chart(
            "Families with each headline need", Arrays.asList(null, TOTAL), 0, false));
  }

  private static StatTable byDataset(StatisticsInput input, CellSystem.Builder cells) {
    List<StatTable.Row> rows = new ArrayList<>();
    for (Need need : Need.values()) {
      Map<String, Long> byDataset = input.byNeedAndDataset().getOrDefault(need, Map.of());
      for (String dataset : input.datasets()) {
        String id = "need_dataset/" + need.name() + "/" + dataset;
        String base = "need/" + need.name();
        if (!byDataset.containsKey(dataset)) {
          rows.add(
              new StatTable.Row(
                  List.of(need.label(), dataset), null, Symbol.NOT_APPLICABLE.code(), null));
          continue;
        }
        cells.cell(id, byDataset.get(dataset));
        cells.atMost(id, base + "/all");
        rows.add(new StatTable.Row(List.of(need.label(), dataset), id, null, base + "/all"));
      }
    }
    return new StatTable(
        "needs_by_dataset",
        "Headline needs by the datasets that evidence them",
        "Families with each need whose evidence includes a record from each dataset (a need can be"
            + " evidenced by several datasets). z: the dataset evidences no family's need here.",
        List.of("need", "dataset"),
        List.of("Headline need", "Dataset"),
        "families",
        "Families",
        "percent_of_need",
        "Percent of the families with the need",
        rows,
        null);
  }

  private static final String SUSTAINED = "Resolved and sustained";
  private static final String NOT_SUSTAINED = "Not sustained";

  private static StatTable outcomes(StatisticsInput input, CellSystem.Builder cells) {
    List<StatTable.Row> rows = new ArrayList<>();
    if (input.outcomes().isEmpty()) {
      for (Need need : Need.values()) {
        rows.add(
            new StatTable.Row(List.of(need.label(), TOTAL), null, Symbol.UNAVAILABLE.code(), null));
      }
    }
    for (StatisticsInput.OutcomeCount o : input.outcomes()) {
      String base = "outcome/" + o.need().name();
      cells.cell(base + "/sustained", o.sustained());
      cells.cell(base + "/not_sustained", o.identified() - o.sustained());
      cells.total(base + "/identified", o.identified());
      cells.sum(base + "/identified", List.of(base + "/sustained", base + "/not_sustained"));
      String label = o.need().label();
      rows.add(
          new StatTable.Row(
              List.of(label, SUSTAINED), base + "/sustained", null, base + "/identified"));
      rows.add(
          new StatTable.Row(
              List.of(label, NOT_SUSTAINED), base + "/not_sustained", null, base + "/identified"));
      rows.add(new StatTable.Row(List.of(label, TOTAL), base + "/identified", null, null));
    }
    return new StatTable(
        "outcomes_by_need",
        "Outcomes by headline need",
        "Families with a closed intervention, by each need identified at its start: resolved at"
            + " closure and sustained six months after (Supporting Families Outcome Framework).",
        List.of("need", "outcome"),
        List.of("Headline need", "Outcome"),
        "families",
        "Families",
        "percent",
        "Percent of families with the need",
        rows,
        new StatTable.Chart(
            "Share of needs resolved and sustained", Arrays.asList(null, SUSTAINED), 0, true));
  }

  private static final String RE_REFERRED = "Re-referral";
  private static final String FIRST = "Not a re-referral";

  private static StatTable reReferrals(StatisticsInput input, CellSystem.Builder cells) {
    List<StatTable.Row> rows = new ArrayList<>();
    if (input.reReferrals().isEmpty()) {
      rows.add(new StatTable.Row(List.of(TOTAL, TOTAL), null, Symbol.UNAVAILABLE.code(), null));
    }
    for (StatisticsInput.ReReferralCount r : input.reReferrals()) {
      String base = "rereferral/" + r.quarter();
      cells.cell(base + "/re_referral", r.reReferrals());
      cells.cell(base + "/not", r.referrals() - r.reReferrals());
      cells.total(base + "/referrals", r.referrals());
      cells.sum(base + "/referrals", List.of(base + "/re_referral", base + "/not"));
      rows.add(
          new StatTable.Row(
              List.of(r.quarter(), RE_REFERRED), base + "/re_referral", null, base + "/referrals"));
      rows.add(
          new StatTable.Row(List.of(r.quarter(), FIRST), base + "/not", null, base + "/referrals"));
      rows.add(new StatTable.Row(List.of(r.quarter(), TOTAL), base + "/referrals", null, null));
    }
    return new StatTable(
        "re_referrals_by_quarter",
        "Re-referrals by quarter",
        "Referrals in each quarter and those within 12 months of a previous referral (DfE"
            + " children-in-need definition).",
        List.of("quarter", "referral_type"),
        List.of("Quarter", "Referral type"),
        "referrals",
        "Referrals",
        "percent",
        "Percent of referrals",
        rows,
        new StatTable.Chart(
            "Re-referral rate by quarter", Arrays.asList(null, RE_REFERRED), 0, true));
  }

  private static StatTable effects(StatisticsInput input, CellSystem.Builder cells) {
    List<StatTable.Row> rows = new ArrayList<>();
    if (input.effects().isEmpty()) {
      rows.add(new StatTable.Row(List.of(TOTAL, TOTAL), null, Symbol.UNAVAILABLE.code(), null));
    }
    for (StatisticsInput.EffectCount e : input.effects()) {
      String base = "effect/" + e.measure().toLowerCase(Locale.ROOT);
      cells.total(base + "/families", e.families());
      cells.cell(base + "/before", e.before());
      cells.cell(base + "/after", e.after());
      cells.atMost(base + "/before", base + "/families");
      cells.atMost(base + "/after", base + "/families");
      String words = e.measure().toLowerCase(Locale.ROOT).replace('_', ' ');
      String label = Character.toUpperCase(words.charAt(0)) + words.substring(1);
      rows.add(
          new StatTable.Row(
              List.of(label, "12 months before"), base + "/before", null, base + "/families"));
      rows.add(
          new StatTable.Row(
              List.of(label, "12 months after closure"),
              base + "/after",
              null,
              base + "/families"));
      rows.add(new StatTable.Row(List.of(label, TOTAL), base + "/families", null, null));
    }
    return new StatTable(
        "effect_measures",
        "Programme effect measures",
        "Families with a closed intervention and evidence of each measure in the 12 months before"
            + " the intervention and the 12 months after closure.",
        List.of("measure", "period"),
        List.of("Measure", "Period"),
        "families",
        "Families",
        "percent",
        "Percent of families with a closed intervention",
        rows,
        new StatTable.Chart(
            "Share with evidence before and after",
            Arrays.asList(null, "12 months after closure"),
            0,
            true));
  }
}
