package uk.familylink.domain.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.disclosure.PublishedRelease;

class StatisticsReleaseTest {

  private final DisclosureControl dfe = new DisclosureControl(DisclosurePolicy.dfe());

  @Test
  void everyProducedTablePassesTheAttackerCheck() {
    StatisticsRelease release =
        StatisticsRelease.publish(
            StatisticsInputs.countyWithEvaluation(),
            Geography.herefordshire(),
            dfe,
            PublishedRelease.none());
    assertThat(release.protection().report().safe()).isTrue();
    assertThat(release.protection().primary()).isNotEmpty();
    assertThat(release.protection().report().intervals())
        .allSatisfy(i -> assertThat(i.width()).isGreaterThanOrEqualTo(10));
    // a small cell is hidden, its row total still shown, and so a partner hidden beside it
    assertThat(release.protection().show("needs_count/7/with_child")).isEqualTo("c");
    assertThat(release.protection().show("rereferral/2026-Q2/re_referral")).isEqualTo("c");
    assertThat(release.protection().secondary()).isNotEmpty();
  }

  @Test
  void csvFilesAreTidyWithMetadataAndTheSameShownValues() {
    StatisticsRelease release =
        StatisticsRelease.publish(
            StatisticsInputs.county(), Geography.herefordshire(), dfe, PublishedRelease.none());
    Map<String, byte[]> files = TidyCsv.files(release);
    assertThat(files)
        .containsKeys(
            "families_by_number_of_needs.csv",
            "families_by_number_of_needs.meta.csv",
            "families_by_need.csv",
            "needs_by_dataset.csv",
            "outcomes_by_need.csv",
            "re_referrals_by_quarter.csv",
            "effect_measures.csv",
            "cells.csv");
    List<String> lines =
        new String(files.get("families_by_number_of_needs.csv"), StandardCharsets.UTF_8)
            .lines()
            .toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
                + "region_name,old_la_code,new_la_code,la_name,number_of_needs,family_type,"
                + "families,percent_of_families");
    assertThat(lines)
        .contains(
            "2026,Q4,Local authority,E92000001,England,E12000005,West Midlands,884,E06000019,"
                + "\"Herefordshire, County of\",7,Dependent child or expectant parent,c,");
    String meta = new String(files.get("families_by_need.meta.csv"), StandardCharsets.UTF_8);
    assertThat(meta).contains("need,Filter,Headline need").contains("families,Indicator,Families");
    String outcomes = new String(files.get("outcomes_by_need.csv"), StandardCharsets.UTF_8);
    assertThat(outcomes.lines().skip(1)).allSatisfy(l -> assertThat(l).endsWith(",x,x"));

    // cells.csv reads back as the previous release of the next one
    PublishedRelease previous = TidyCsv.readCells(files.get("cells.csv"), true);
    assertThat(previous.shown()).isEqualTo(release.protection().shown());
    StatisticsRelease next =
        StatisticsRelease.publish(
            StatisticsInputs.county(), Geography.herefordshire(), dfe, previous);
    assertThat(next.protection().report().safe()).isTrue();
  }

  @Test
  void sharesComeFromShownValuesAndAreHiddenWithTheirCounts() {
    StatisticsRelease release =
        StatisticsRelease.publish(
            StatisticsInputs.countyWithEvaluation(),
            Geography.herefordshire(),
            dfe,
            PublishedRelease.none());
    StatTable reReferrals =
        release.tables().stream()
            .filter(t -> t.id().equals("re_referrals_by_quarter"))
            .findFirst()
            .orElseThrow();
    StatTable.Row q2 =
        reReferrals.rows().stream()
            .filter(r -> r.filterValues().equals(List.of("2026-Q2", "Re-referral")))
            .findFirst()
            .orElseThrow();
    assertThat(release.share(q2)).isEqualTo("c");
    StatTable.Row q1 =
        reReferrals.rows().stream()
            .filter(r -> r.filterValues().equals(List.of("2026-Q1", "Re-referral")))
            .findFirst()
            .orElseThrow();
    // 38 of 210 (the total shown rounded to 210)
    assertThat(release.share(q1)).isEqualTo("18.1");
  }

  @Test
  void aTinyPopulationStillGetsASafeReleaseBecauseMoreIsHidden() {
    // mostly small counts, and a singleton margin (one family with 5 needs): its insider learns
    // only about their own family, so the check must not refuse the release for it
    java.util.List<StatisticsInput.NeedCount> counts = new java.util.ArrayList<>();
    long[][] c = {
      {10, 3}, {12, 2}, {8, 1}, {4, 2}, {3, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}
    };
    for (int n = 0; n < c.length; n++) {
      counts.add(new StatisticsInput.NeedCount(n, c[n][0], c[n][1]));
    }
    StatisticsInput tiny =
        new StatisticsInput(
            java.time.LocalDate.of(2026, 12, 1),
            3,
            counts,
            Map.of(
                uk.familylink.domain.need.Need.EDUCATION,
                new StatisticsInput.EligibilitySplit(4, 9),
                uk.familylink.domain.need.Need.CRIME,
                new StatisticsInput.EligibilitySplit(2, 7)),
            Map.of(
                uk.familylink.domain.need.Need.EDUCATION, Map.of("school-attendance", 13L),
                uk.familylink.domain.need.Need.CRIME, Map.of("police-incidents", 9L)),
            List.of(),
            List.of(),
            List.of());
    StatisticsRelease release =
        StatisticsRelease.publish(tiny, Geography.herefordshire(), dfe, PublishedRelease.none());
    assertThat(release.protection().report().safe()).isTrue();
    assertThat(release.protection().show("needs_count/5/with_child")).isEqualTo("c");
    assertThat(release.protection().secondary()).hasSizeGreaterThan(5);
  }
}
