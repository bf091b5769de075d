package uk.familylink.handler;

import static uk.familylink.handler.FunctionConfig.AUDIT_RETENTION_YEARS;
import static uk.familylink.handler.FunctionConfig.AUDIT_TABLE;
import static uk.familylink.handler.FunctionConfig.LANDING_BUCKET;
import static uk.familylink.handler.FunctionConfig.PROGRAMME_END;
import static uk.familylink.handler.FunctionConfig.RETENTION_YEARS;
import static uk.familylink.handler.FunctionConfig.SWEEP_EARLIEST_MONTH;
import static uk.familylink.handler.FunctionConfig.TABLE;

import java.time.Period;
import java.time.YearMonth;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.SweepSettings;

/**
 * The retention sweep function's configuration (the sweep and the re-stamp that runs before it).
 *
 * @param settings the landing bucket, the configured retention, the earliest expiry month queried
 *     and how long destruction evidence is kept
 */
public record SweepConfig(String table, String auditTable, SweepSettings settings) {

  /** The variables this function reads; the template must set each one. */
  public static final Set<String> VARIABLES =
      Set.of(
          TABLE,
          AUDIT_TABLE,
          LANDING_BUCKET,
          PROGRAMME_END,
          RETENTION_YEARS,
          SWEEP_EARLIEST_MONTH,
          AUDIT_RETENTION_YEARS);

  /** Of {@link #VARIABLES}, those with a default (the template passes them as parameters). */
  public static final Set<String> OPTIONAL = Set.of(SWEEP_EARLIEST_MONTH, AUDIT_RETENTION_YEARS);

  public SweepConfig {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(auditTable, "auditTable");
    Objects.requireNonNull(settings, "settings");
  }

  /** Default settings for {@code retention} and {@code bucket}. */
  public static SweepConfig defaults(
      String table, String auditTable, RetentionPolicy retention, String bucket) {
    return new SweepConfig(table, auditTable, SweepSettings.defaults(retention, bucket));
  }

  public static SweepConfig fromEnvironment(Map<String, String> env) {
    FunctionConfig.Reader r = new FunctionConfig.Reader(env);
    String table = r.required(TABLE);
    String auditTable = r.required(AUDIT_TABLE);
    String bucket = r.required(LANDING_BUCKET);
    RetentionPolicy retention = r.retention();
    YearMonth earliest = r.month(SWEEP_EARLIEST_MONTH, SweepSettings.DEFAULT_EARLIEST_MONTH);
    Period auditRetention = r.auditRetention(SweepSettings.DEFAULT_AUDIT_RETENTION);
    r.check("sweep");
    return new SweepConfig(
        table,
        auditTable,
        SweepSettings.defaults(retention, bucket)
            .withEarliestMonth(earliest)
            .withAuditRetention(auditRetention));
  }

  public RetentionPolicy retention() {
    return settings.retention();
  }
}
