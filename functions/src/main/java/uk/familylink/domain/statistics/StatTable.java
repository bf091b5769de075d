package uk.familylink.domain.statistics;

import java.util.List;
import java.util.Objects;

/**
 * One published table in tidy form: each {@link Row} is one observation, named by its filter
 * values, whose indicator is one cell of the release's {@code CellSystem} (or a fixed symbol, such
 * as {@code x} for a table that is not available yet). A row may also carry a share: its cell over
 * a denominator cell, shown only when both are shown.
 *
 * @param id file-safe name ({@code families_by_need})
 * @param filters filter column names, in order ({@code need}, {@code eligibility})
 * @param filterLabels their readable labels
 * @param indicator indicator column name ({@code families})
 * @param shareIndicator share column name, or null when the table has no share
 * @param chart what the report draws for this table, or null
 */
public record StatTable(
    String id,
    String title,
    String description,
    List<String> filters,
    List<String> filterLabels,
    String indicator,
    String indicatorLabel,
    String shareIndicator,
    String shareLabel,
    List<Row> rows,
    Chart chart) {

  /**
   * One observation.
   *
   * @param cell the indicator's cell id, or null when {@code symbol} stands for it
   * @param denominator the share's denominator cell, or null
   */
  public record Row(List<String> filterValues, String cell, String symbol, String denominator) {
    public Row {
      filterValues = List.copyOf(filterValues);
      if ((cell == null) == (symbol == null)) {
        throw new IllegalArgumentException("a row has a cell or a symbol, not both");
      }
    }
  }

  /**
   * A bar chart of some rows: one bar per row whose filter values match {@code select} (null
   * entries match anything), labelled by filter {@code labelFilter}; bars show the share when
   * {@code shares}, else the count.
   */
  public record Chart(String title, List<String> select, int labelFilter, boolean shares) {}

  public StatTable {
    Objects.requireNonNull(id, "id");
    filters = List.copyOf(filters);
    filterLabels = List.copyOf(filterLabels);
    rows = List.copyOf(rows);
    if (filters.size() != filterLabels.size()) {
      throw new IllegalArgumentException("every filter needs a label");
    }
    for (Row row : rows) {
      if (row.filterValues().size() != filters.size()) {
        throw new IllegalArgumentException("row of " + id + " does not name every filter");
      }
    }
  }

  public boolean available() {
    return rows.stream().anyMatch(r -> r.cell() != null);
  }
}
