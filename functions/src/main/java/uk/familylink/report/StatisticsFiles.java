package uk.familylink.report;

import java.util.LinkedHashMap;
import java.util.Map;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.PublishedRelease;
import uk.familylink.domain.statistics.StatisticsRelease;
import uk.familylink.domain.statistics.TidyCsv;

/**
 * Every file of a statistics release: the tidy CSVs with their metadata, {@code cells.csv}, and
 * {@code report.html}. Before anything is handed out, the exact values the files print are attacked
 * once more ({@link DisclosureControl#verify}); an unsafe release throws and nothing is written.
 */
public final class StatisticsFiles {

  public static final String REPORT = "report.html";
  public static final String CELLS = "cells.csv";

  private StatisticsFiles() {}

  public static Map<String, byte[]> of(
      StatisticsRelease release, DisclosureControl control, PublishedRelease previous) {
    java.util.Set<String> hidden = new java.util.LinkedHashSet<>(release.protection().primary());
    hidden.addAll(release.protection().secondary());
    control.verify(release.structure().cells(), release.protection().shown(), hidden, previous);
    Map<String, byte[]> files = new LinkedHashMap<>(TidyCsv.files(release));
    files.put(REPORT, HtmlReport.render(release));
    return files;
  }
}
