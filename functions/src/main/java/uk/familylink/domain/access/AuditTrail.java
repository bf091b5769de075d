package uk.familylink.domain.access;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import uk.familylink.domain.audit.AuditEntry;

/**
 * Lists audit entries by date range and kind: one partition query per UTC day, never a scan, so the
 * cost grows with the days asked for, not with the size of the trail.
 */
public final class AuditTrail {

  /** Longest range one listing may cover (one query per day). */
  public static final int MAX_DAYS = 400;

  private final AuditReader reader;

  public AuditTrail(AuditReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /**
   * Entries from {@code from} to {@code to} inclusive (UTC days), oldest first.
   *
   * @param kind an entry kind such as {@code INGEST} or {@code SUBJECT_ACCESS}; null or blank for
   *     all
   */
  public List<AuditEntry> list(LocalDate from, LocalDate to, String kind) {
    if (from == null || to == null) {
      throw new IllegalArgumentException(
          "both the first and the last day of the range are required");
    }
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "the range ends (" + to + ") before it starts (" + from + ")");
    }
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    if (days > MAX_DAYS) {
      throw new IllegalArgumentException(
          "the range covers " + days + " days; at most " + MAX_DAYS + " at a time");
    }
    String wanted = kind == null || kind.isBlank() ? null : kind.trim().toUpperCase(Locale.ROOT);
    List<AuditEntry> out = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      reader.forEachOnDay(day, wanted, out::add);
    }
    return out;
  }
}
