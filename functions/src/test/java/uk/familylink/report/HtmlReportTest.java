package uk.familylink.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.disclosure.PublishedRelease;
import uk.familylink.domain.statistics.Geography;
import uk.familylink.domain.statistics.StatisticsInputs;
import uk.familylink.domain.statistics.StatisticsRelease;

class HtmlReportTest {

  static StatisticsRelease release() {
    return StatisticsRelease.publish(
        StatisticsInputs.countyWithEvaluation(),
        Geography.herefordshire(),
        new DisclosureControl(DisclosurePolicy.dfe()),
        PublishedRelease.none());
  }

  @Test
  void theReportIsSelfContainedAndShowsWhatTheCsvShows() {
    StatisticsRelease release = release();
    String html = new String(HtmlReport.render(release), StandardCharsets.UTF_8);
    Document page = Jsoup.parse(html);
    assertThat(page.select("script, link, img, iframe, object")).isEmpty();
    assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=").doesNotContain("url(");
    ReportPages.tablesMatch(page, release);
    ReportPages.chartsDrawOnlyShownNumbers(page);
    assertThat(ReportPages.noHiddenValue(page, html, release)).isPositive();
    assertThat(page.select("svg.chart")).hasSize(5);
  }

  @Test
  void tablesNotYetProducedSayNotAvailable() {
    StatisticsRelease release =
        StatisticsRelease.publish(
            StatisticsInputs.county(),
            Geography.herefordshire(),
            new DisclosureControl(DisclosurePolicy.dfe()),
            PublishedRelease.none());
    Document page = Jsoup.parse(new String(HtmlReport.render(release), StandardCharsets.UTF_8));
    assertThat(page.getElementById("outcomes_by_need").select(".notice").text())
        .contains("Not available");
    assertThat(page.getElementById("outcomes_by_need").select("svg")).isEmpty();
    assertThat(page.select("svg.chart")).hasSize(2);
  }
}
