package uk.familylink.handler;

import static uk.familylink.handler.FunctionConfig.AUDIT_TABLE;
import static uk.familylink.handler.FunctionConfig.PROGRAMME_END;
import static uk.familylink.handler.FunctionConfig.RETENTION_YEARS;
import static uk.familylink.handler.FunctionConfig.ROOT_KEY_ID;
import static uk.familylink.handler.FunctionConfig.TABLE;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import uk.familylink.domain.retention.RetentionPolicy;

/**
 * The subject access function's configuration: it reads the linked table, appends to the audit
 * (entries expire with the data) and derives the token key from the root key.
 *
 * @param rootKeyId the KMS root key (Lambda); the local tool uses its keyring instead
 */
public record AccessConfig(
    String table, String auditTable, String rootKeyId, RetentionPolicy retention) {

  /** The variables this function reads; the template must set each one. */
  public static final Set<String> VARIABLES =
      Set.of(TABLE, AUDIT_TABLE, ROOT_KEY_ID, PROGRAMME_END, RETENTION_YEARS);

  public AccessConfig {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(auditTable, "auditTable");
    Objects.requireNonNull(retention, "retention");
  }

  public static AccessConfig fromEnvironment(Map<String, String> env) {
    FunctionConfig.Reader r = new FunctionConfig.Reader(env);
    String table = r.required(TABLE);
    String auditTable = r.required(AUDIT_TABLE);
    String rootKeyId = r.required(ROOT_KEY_ID);
    RetentionPolicy retention = r.retention();
    r.check("subject access");
    return new AccessConfig(table, auditTable, rootKeyId, retention);
  }
}
