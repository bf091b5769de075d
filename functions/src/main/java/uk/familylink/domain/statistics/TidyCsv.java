package uk.familylink.domain.statistics;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The release as files in the style of the DfE open data standards: one CSV per table, one
 * observation per row (time, geography, filters, indicators, each a named column; symbols in place
 * of hidden numbers), a {@code .meta.csv} beside each naming every filter and indicator, and {@code
 * cells.csv} (every cell id and what was shown) so the next release can be checked against
 * differencing.
 */
public final class TidyCsv {

  private TidyCsv() {}

  static final List<String> TIME_AND_GEOGRAPHY =
      List.of(
          "time_period",
          "time_identifier",
          "geographic_level",
          "country_code",
          "country_name",
          "region_code",
          "region_name",
          "old_la_code",
          "new_la_code",
          "la_name");

  /** File name to bytes (UTF-8), in a stable order. */
  public static Map<String, byte[]> files(StatisticsRelease release) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (StatTable table : release.tables()) {
      files.put(table.id() + ".csv", data(release, table));
      files.put(table.id() + ".meta.csv", meta(table));
    }
    files.put("cells.csv", cells(release));
    return files;
  }

  static byte[] data(StatisticsRelease release, StatTable table) {
    StringWriter out = new StringWriter();
    try (CsvWriter csv = CsvWriter.builder().build(out)) {
      List<String> header = new ArrayList<>(TIME_AND_GEOGRAPHY);
      header.addAll(table.filters());
      header.add(table.indicator());
      if (table.shareIndicator() != null) {
        header.add(table.shareIndicator());
      }
      csv.writeRecord(header);
      Geography g = release.geography();
      for (StatTable.Row row : table.rows()) {
        List<String> record =
            new ArrayList<>(
                List.of(
                    release.timePeriod(),
                    release.timeIdentifier(),
                    g.level(),
                    g.countryCode(),
                    g.countryName(),
                    g.regionCode(),
                    g.regionName(),
                    g.oldLaCode(),
                    g.newLaCode(),
                    g.laName()));
        record.addAll(row.filterValues());
        record.add(release.shown(row));
        if (table.shareIndicator() != null) {
          record.add(release.share(row));
        }
        csv.writeRecord(record);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] meta(StatTable table) {
    StringWriter out = new StringWriter();
    try (CsvWriter csv = CsvWriter.builder().build(out)) {
      csv.writeRecord(
          "col_name",
          "col_type",
          "label",
          "indicator_grouping",
          "indicator_unit",
          "indicator_dp",
          "filter_hint",
          "filter_grouping_column");
      for (int i = 0; i < table.filters().size(); i++) {
        csv.writeRecord(
            table.filters().get(i), "Filter", table.filterLabels().get(i), "", "", "", "", "");
      }
      csv.writeRecord(table.indicator(), "Indicator", table.indicatorLabel(), "", "", "0", "", "");
      if (table.shareIndicator() != null) {
        csv.writeRecord(
            table.shareIndicator(), "Indicator", table.shareLabel(), "", "%", "1", "", "");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Reads an earlier release's {@code cells.csv} back, for the differencing check. */
  public static uk.familylink.domain.disclosure.PublishedRelease readCells(
      byte[] cellsCsv, boolean cumulative) {
    Map<String, String> shown = new LinkedHashMap<>();
    try (de.siegmar.fastcsv.reader.CsvReader<de.siegmar.fastcsv.reader.CsvRecord> csv =
        de.siegmar.fastcsv.reader.CsvReader.builder()
            .ofCsvRecord(new String(cellsCsv, StandardCharsets.UTF_8))) {
      boolean header = true;
      for (de.siegmar.fastcsv.reader.CsvRecord record : csv) {
        if (header) {
          header = false;
          if (!record.getFields().equals(List.of("cell_id", "shown"))) {
            throw new IllegalArgumentException("not a cells.csv file (cell_id,shown)");
          }
          continue;
        }
        if (record.getFieldCount() != 2) {
          throw new IllegalArgumentException("cells.csv line " + record.getStartingLineNumber());
        }
        shown.put(record.getField(0), record.getField(1));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new uk.familylink.domain.disclosure.PublishedRelease(shown, cumulative);
  }

  static byte[] cells(StatisticsRelease release) {
    StringWriter out = new StringWriter();
    try (CsvWriter csv = CsvWriter.builder().build(out)) {
      csv.writeRecord("cell_id", "shown");
      release.protection().shown().forEach(csv::writeRecord);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
