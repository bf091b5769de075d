package uk.familylink.handler;

import static uk.familylink.handler.FunctionConfig.AUDIT_RETENTION_YEARS;
import static uk.familylink.handler.FunctionConfig.AUDIT_TABLE;
import static uk.familylink.handler.FunctionConfig.PROGRAMME_END;
import static uk.familylink.handler.FunctionConfig.RETENTION_YEARS;

import java.time.Period;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.SweepSettings;

/**
 * The TTL-evidence function's configuration: it appends to the audit table only.
 *
 * @param auditRetention how long its entries outlive the data they describe (as the sweep's
 *     destruction entries: both are evidence of destruction)
 */
public record TtlEvidenceConfig(
    String auditTable, RetentionPolicy retention, Period auditRetention) {

  /** The variables this function reads; the template must set each one. */
  public static final Set<String> VARIABLES =
      Set.of(AUDIT_TABLE, PROGRAMME_END, RETENTION_YEARS, AUDIT_RETENTION_YEARS);

  public TtlEvidenceConfig {
    Objects.requireNonNull(auditTable, "auditTable");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(auditRetention, "auditRetention");
  }

  public static TtlEvidenceConfig fromEnvironment(Map<String, String> env) {
    FunctionConfig.Reader r = new FunctionConfig.Reader(env);
    String auditTable = r.required(AUDIT_TABLE);
    RetentionPolicy retention = r.retention();
    // the same variable and default as the sweep's destruction entries: both are evidence
    Period auditRetention = r.auditRetention(SweepSettings.DEFAULT_AUDIT_RETENTION);
    r.check("TTL-evidence");
    return new TtlEvidenceConfig(auditTable, retention, auditRetention);
  }
}
