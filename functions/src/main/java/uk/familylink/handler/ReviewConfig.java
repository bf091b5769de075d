package uk.familylink.handler;

import static uk.familylink.handler.FunctionConfig.AUDIT_TABLE;
import static uk.familylink.handler.FunctionConfig.PROGRAMME_END;
import static uk.familylink.handler.FunctionConfig.RETENTION_YEARS;
import static uk.familylink.handler.FunctionConfig.TABLE;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import uk.familylink.domain.retention.RetentionPolicy;

/**
 * The link review function's configuration: it reads and decides reviews in the linked table,
 * merges persons there, and appends each decision to the audit (entries and merges expire with the
 * data). It needs no key: reviews hold pseudonymous ids only.
 */
public record ReviewConfig(String table, String auditTable, RetentionPolicy retention) {

  /** The variables this function reads; the template must set each one. */
  public static final Set<String> VARIABLES =
      Set.of(TABLE, AUDIT_TABLE, PROGRAMME_END, RETENTION_YEARS);

  public ReviewConfig {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(auditTable, "auditTable");
    Objects.requireNonNull(retention, "retention");
  }

  public static ReviewConfig fromEnvironment(Map<String, String> env) {
    FunctionConfig.Reader r = new FunctionConfig.Reader(env);
    String table = r.required(TABLE);
    String auditTable = r.required(AUDIT_TABLE);
    RetentionPolicy retention = r.retention();
    r.check("link review");
    return new ReviewConfig(table, auditTable, retention);
  }
}
