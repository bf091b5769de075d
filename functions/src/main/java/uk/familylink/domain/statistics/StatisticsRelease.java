package uk.familylink.domain.statistics;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.disclosure.ProtectedRelease;
import uk.familylink.domain.disclosure.PublishedRelease;

/**
 * A statistics release after disclosure control: its tables and, for every row, the only text any
 * output (CSV, HTML, chart) may print. Built once; every writer reads the same shown values, so the
 * CSV and the report agree by construction.
 */
public final class StatisticsRelease {

  private final LocalDate asOf;
  private final Geography geography;
  private final ReleaseTables tables;
  private final ProtectedRelease protectedRelease;
  private final DisclosurePolicy policy;

  private StatisticsRelease(
      LocalDate asOf,
      Geography geography,
      ReleaseTables tables,
      ProtectedRelease protectedRelease,
      DisclosurePolicy policy) {
    this.asOf = asOf;
    this.geography = geography;
    this.tables = tables;
    this.protectedRelease = protectedRelease;
    this.policy = policy;
  }

  /**
   * Builds the tables, suppresses them together (one cell system across every table) against the
   * previous release, and keeps the result only if the attacker check passed.
   */
  public static StatisticsRelease publish(
      StatisticsInput input,
      Geography geography,
      DisclosureControl control,
      PublishedRelease previous) {
    Objects.requireNonNull(input, "input");
    ReleaseTables tables = ReleaseTables.build(input);
    ProtectedRelease result = control.protect(tables.cells(), previous);
    return new StatisticsRelease(input.asOf(), geography, tables, result, control.policy());
  }

  public LocalDate asOf() {
    return asOf;
  }

  public Geography geography() {
    return geography;
  }

  public List<StatTable> tables() {
    return tables.tables();
  }

  public ReleaseTables structure() {
    return tables;
  }

  public ProtectedRelease protection() {
    return protectedRelease;
  }

  public DisclosurePolicy policy() {
    return policy;
  }

  /** The published text of a row's indicator. */
  public String shown(StatTable.Row row) {
    return row.cell() == null ? row.symbol() : protectedRelease.show(row.cell());
  }

  /**
   * The published share (percent, one decimal) of a row over its denominator, computed from the
   * shown values only; the confidential symbol when either is hidden, {@code u} under the
   * reliability minimum, empty when the row has no share.
   */
  public String share(StatTable.Row row) {
    if (row.denominator() == null) {
      return row.cell() == null ? row.symbol() : "";
    }
    Long numerator = number(shown(row));
    Long denominator = number(protectedRelease.show(row.denominator()));
    if (numerator == null || denominator == null) {
      return policy.confidential();
    }
    if (denominator == 0) {
      return "z";
    }
    if (denominator < policy.reliabilityMinimum()) {
      return "u";
    }
    return String.format(Locale.ROOT, "%.1f", 100.0 * numerator / denominator);
  }

  /** A shown value as a number, or null for a symbol. */
  public static Long number(String shown) {
    if (shown == null || shown.isEmpty() || !Character.isDigit(shown.charAt(0))) {
      return null;
    }
    return Long.parseLong(shown);
  }

  /** A time period in the DfE style: the calendar year and quarter of the as-of date. */
  public String timePeriod() {
    return Integer.toString(asOf.getYear());
  }

  public String timeIdentifier() {
    return "Q" + ((asOf.getMonthValue() - 1) / 3 + 1);
  }
}
