package uk.familylink.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import uk.familylink.domain.disclosure.CellSystem;
import uk.familylink.domain.statistics.StatTable;
import uk.familylink.domain.statistics.StatisticsRelease;

/** Checks of a rendered statistics page shared by the plain and the browser tests. */
final class ReportPages {

  private static final Set<String> ALLOWED_ATTRIBUTES =
      Set.of(
          "lang",
          "charset",
          "name",
          "content",
          "http-equiv",
          "id",
          "class",
          "scope",
          "xmlns",
          "viewbox",
          "width",
          "height",
          "role",
          "x",
          "y",
          "text-anchor");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

  private ReportPages() {}

  /** Every table's cells read exactly as the release shows them, in order. */
  static void tablesMatch(Document page, StatisticsRelease release) {
    for (StatTable table : release.tables()) {
      Element section = page.getElementById(table.id());
      assertThat(section).as(table.id()).isNotNull();
      List<Element> rows = section.select("table tbody tr");
      assertThat(rows).hasSize(table.rows().size());
      for (int i = 0; i < rows.size(); i++) {
        StatTable.Row row = table.rows().get(i);
        List<Element> cells = rows.get(i).select("td");
        assertThat(cells.get(row.filterValues().size()).text()).isEqualTo(release.shown(row));
        if (table.shareIndicator() != null) {
          assertThat(cells.get(row.filterValues().size() + 1).text()).isEqualTo(release.share(row));
        }
      }
    }
  }

  /**
   * No hidden value anywhere: no hover text or data attribute on any element, no bar for a hidden
   * value, and no hidden cell's true count in the page source unless that number is also a
   * published number of the page. Returns how many hidden counts were looked for.
   */
  static int noHiddenValue(Document page, String source, StatisticsRelease release) {
    for (Element e : page.getAllElements()) {
      e.attributes()
          .forEach(
              a ->
                  assertThat(ALLOWED_ATTRIBUTES)
                      .as("attribute %s on <%s>", a.getKey(), e.tagName())
                      .contains(a.getKey().toLowerCase(java.util.Locale.ROOT)));
      if (e.tagName().equals("title")) {
        assertThat(e.parent() == null || !e.parent().tagName().equals("g")).isTrue();
      }
    }
    Set<String> published = new HashSet<>();
    Matcher text = NUMBER.matcher(page.text());
    while (text.find()) {
      published.add(text.group());
    }
    Set<String> inSource = new HashSet<>();
    Matcher all = NUMBER.matcher(source);
    while (all.find()) {
      inSource.add(all.group());
    }
    int checked = 0;
    CellSystem cells = release.structure().cells();
    Set<String> hidden = new HashSet<>(release.protection().primary());
    hidden.addAll(release.protection().secondary());
    for (String id : hidden) {
      String trueValue = Long.toString(cells.cell(id).value());
      if (!published.contains(trueValue)) {
        assertThat(inSource)
            .as("hidden count of %s in the page source", id)
            .doesNotContain(trueValue);
        checked++;
      }
    }
    return checked;
  }

  /** One bar per shown number of each chart, none for a symbol, lengths proportional. */
  static void chartsDrawOnlyShownNumbers(Document page) {
    List<Element> charts = page.select("svg.chart");
    assertThat(charts).isNotEmpty();
    for (Element chart : charts) {
      double ratio = Double.NaN;
      for (Element row : chart.select("g.row")) {
        Element value = row.selectFirst("text.value, text.symbol");
        Element bar = row.selectFirst("rect.bar");
        if (value.hasClass("symbol")) {
          assertThat(bar).isNull();
          assertThat(value.text()).doesNotContainPattern("\\d");
          continue;
        }
        double shown = Double.parseDouble(value.text().replace("%", ""));
        double width = Double.parseDouble(bar.attr("width"));
        if (shown > 0) {
          double r = width / shown;
          if (Double.isNaN(ratio)) {
            ratio = r;
          } else {
            assertThat(r).isCloseTo(ratio, org.assertj.core.data.Offset.offset(0.05 * ratio + 0.1));
          }
        }
      }
    }
  }
}
