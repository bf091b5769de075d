package uk.familylink.domain.retention;

import java.time.Duration;
import java.time.Period;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * What the retention sweep deletes and how carefully it stops.
 *
 * @param retention the programme-wide retention (objects under {@code expiringPrefixes} go when it
 *     has passed)
 * @param bucket the landing bucket (uploads, reports, exports)
 * @param earliestMonth first expiry month whose index partitions are queried; months before it are
 *     never looked at
 * @param auditRetention how long a destruction entry outlives the data it describes: its own
 *     expiresAt is max(now, retention expiry) + this period, after which a later sweep removes it
 *     too
 * @param strayUploadAge an upload still under {@code incoming/} this long after it was written is
 *     deleted (P2)
 * @param safetyMargin the sweep stops starting new work when less than this remains before the
 *     deadline (room to record the destruction entry)
 * @param expiringPrefixes object prefixes destroyed as a whole once the retention date has passed
 */
public record SweepSettings(
    RetentionPolicy retention,
    String bucket,
    YearMonth earliestMonth,
    Period auditRetention,
    Duration strayUploadAge,
    Duration safetyMargin,
    List<String> expiringPrefixes) {

  public static final YearMonth DEFAULT_EARLIEST_MONTH = YearMonth.of(2020, 1);
  public static final Period DEFAULT_AUDIT_RETENTION = Period.ofYears(1);
  public static final String INCOMING_PREFIX = "incoming/";

  public SweepSettings {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(earliestMonth, "earliestMonth");
    Objects.requireNonNull(auditRetention, "auditRetention");
    Objects.requireNonNull(strayUploadAge, "strayUploadAge");
    Objects.requireNonNull(safetyMargin, "safetyMargin");
    expiringPrefixes = List.copyOf(expiringPrefixes);
    if (auditRetention.isNegative() || strayUploadAge.isNegative() || safetyMargin.isNegative()) {
      throw new IllegalArgumentException(
          "audit retention, stray upload age and safety margin must not be negative");
    }
    if (expiringPrefixes.stream()
        .anyMatch(p -> p.isEmpty() || !p.endsWith("/") || p.equals(INCOMING_PREFIX))) {
      throw new IllegalArgumentException(
          "expiring prefixes must be folders (ending in /) other than incoming/");
    }
  }

  public static SweepSettings defaults(RetentionPolicy retention, String bucket) {
    return new SweepSettings(
        retention,
        bucket,
        DEFAULT_EARLIEST_MONTH,
        DEFAULT_AUDIT_RETENTION,
        Duration.ofDays(1),
        Duration.ofSeconds(30),
        List.of("reports/", "exports/"));
  }

  public SweepSettings withEarliestMonth(YearMonth month) {
    return new SweepSettings(
        retention, bucket, month, auditRetention, strayUploadAge, safetyMargin, expiringPrefixes);
  }

  public SweepSettings withAuditRetention(Period period) {
    return new SweepSettings(
        retention, bucket, earliestMonth, period, strayUploadAge, safetyMargin, expiringPrefixes);
  }
}
