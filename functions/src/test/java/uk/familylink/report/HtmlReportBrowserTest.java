package uk.familylink.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.domain.statistics.StatisticsRelease;

/**
 * The HTML report as a browser renders it: headless Chromium loads the file (no network), and the
 * DOM after load must show every table as the release shows it and charts with bars only for shown
 * numbers, with no hidden value anywhere in the page; a screenshot must contain the bars' colour.
 * Skipped, with a message, where Chromium is not installed ({@code .ci/run} installs it).
 */
class HtmlReportBrowserTest {

  private static Chromium chromium;

  @BeforeAll
  static void findBrowser() {
    Optional<Chromium> found = Chromium.find();
    if (found.isEmpty()) {
      System.err.println(
          "SKIPPED HtmlReportBrowserTest: no chromium binary (apt-get install -y chromium)");
    }
    Assumptions.assumeTrue(found.isPresent(), "chromium is not installed");
    chromium = found.get();
  }

  @Test
  void chromiumRendersTablesAndChartsWithNoHiddenValue(@TempDir Path work) throws Exception {
    StatisticsRelease release = HtmlReportTest.release();
    byte[] html = HtmlReport.render(release);
    Path page = work.resolve("statistics.html");
    Files.write(page, html);

    String dom = chromium.dumpDom(page, work);
    Document rendered = Jsoup.parse(dom);
    assertThat(rendered.title()).contains("Supporting Families");
    ReportPages.tablesMatch(rendered, release);
    ReportPages.chartsDrawOnlyShownNumbers(rendered);
    assertThat(rendered.select("svg.chart rect.bar")).hasSizeGreaterThan(20);
    assertThat(ReportPages.noHiddenValue(rendered, dom, release)).isPositive();
    assertThat(
            ReportPages.noHiddenValue(
                Jsoup.parse(new String(html, StandardCharsets.UTF_8)),
                new String(html, StandardCharsets.UTF_8),
                release))
        .isPositive();

    BufferedImage shot = ImageIO.read(chromium.screenshot(page, work, 1000, 2400).toFile());
    long barPixels = 0;
    for (int y = 0; y < shot.getHeight(); y++) {
      for (int x = 0; x < shot.getWidth(); x++) {
        int rgb = shot.getRGB(x, y) & 0xFFFFFF;
        if (rgb == 0x1D70B8) {
          barPixels++;
        }
      }
    }
    // the bars (fill #1d70b8) are painted: thousands of pixels, not just a heading rule
    assertThat(barPixels).isGreaterThan(5_000);
  }
}
