package uk.familylink.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.statistics.StatTable;
import uk.familylink.domain.statistics.StatisticsRelease;

/**
 * The statistics release as one self-contained HTML page (inline CSS and SVG; no script, no
 * external request), rendered with a Mustache template ({@code report/statistics.mustache}, HTML
 * escaping on). Every number in it is a shown value of the release, the same text the CSV files
 * carry.
 */
public final class HtmlReport {

  private static final Mustache TEMPLATE =
      new DefaultMustacheFactory("report").compile("statistics.mustache");

  private HtmlReport() {}

  public static byte[] render(StatisticsRelease release) {
    StringWriter out = new StringWriter();
    TEMPLATE.execute(out, model(release));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, Object> model(StatisticsRelease release) {
    DisclosurePolicy policy = release.policy();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", "Supporting Families: families identified and their needs");
    model.put("area", release.geography().laName());
    model.put("asOf", release.asOf().toString());
    model.put("period", release.timePeriod() + " " + release.timeIdentifier());
    model.put(
        "policy",
        "Counts from "
            + policy.low()
            + " to "
            + policy.high()
            + " are shown as "
            + policy.confidential()
            + ", and further counts are hidden where they would let a hidden count be worked out"
            + " from totals, from another table or from the previous release."
            + (policy.cellRounding() > 1
                ? " Counts are rounded to the nearest " + policy.cellRounding() + "."
                : "")
            + (policy.totalRounding() > 1
                ? " Totals are rounded to the nearest " + policy.totalRounding() + "."
                : ""));
    model.put("confidential", policy.confidential());
    model.put("reliabilityMinimum", Long.toString(policy.reliabilityMinimum()));
    List<Map<String, Object>> tables = new ArrayList<>();
    for (StatTable table : release.tables()) {
      tables.add(table(release, table));
    }
    model.put("tables", tables);
    return model;
  }

  private static Map<String, Object> table(StatisticsRelease release, StatTable table) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", table.id());
    t.put("title", table.title());
    t.put("description", table.description());
    t.put("available", table.available());
    List<String> headers = new ArrayList<>(table.filterLabels());
    headers.add(table.indicatorLabel());
    boolean share = table.shareIndicator() != null;
    if (share) {
      headers.add(table.shareLabel());
    }
    t.put("headers", headers);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (StatTable.Row row : table.rows()) {
      List<String> cells = new ArrayList<>(row.filterValues());
      cells.add(release.shown(row));
      if (share) {
        cells.add(release.share(row));
      }
      rows.add(Map.of("cells", cells, "total", row.filterValues().contains("Total")));
    }
    t.put("rows", rows);
    if (table.chart() != null && table.available()) {
      t.put("chart", chart(release, table));
    }
    return t;
  }

  private static String chart(StatisticsRelease release, StatTable table) {
    StatTable.Chart chart = table.chart();
    List<SvgBarChart.Bar> bars = new ArrayList<>();
    for (StatTable.Row row : table.rows()) {
      String label = row.filterValues().get(chart.labelFilter());
      if (!matches(chart.select(), row.filterValues()) || label.equals("Total")) {
        continue; // a total bar would dwarf the bars it adds up
      }
      String shown = chart.shares() ? release.share(row) : release.shown(row);
      Double value = null;
      if (!shown.isEmpty() && Character.isDigit(shown.charAt(0))) {
        value = Double.parseDouble(shown);
      }
      bars.add(new SvgBarChart.Bar(label, shown, value));
    }
    return SvgBarChart.render(chart.title(), bars, chart.shares() ? "%" : "");
  }

  private static boolean matches(List<String> select, List<String> values) {
    for (int i = 0; i < select.size(); i++) {
      if (select.get(i) != null && !select.get(i).equals(values.get(i))) {
        return false;
      }
    }
    return true;
  }
}
