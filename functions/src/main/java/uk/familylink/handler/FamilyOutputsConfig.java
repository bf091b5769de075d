package uk.familylink.handler;

import static uk.familylink.handler.FunctionConfig.AUDIT_TABLE;
import static uk.familylink.handler.FunctionConfig.PARTNER_PRINCIPALS;
import static uk.familylink.handler.FunctionConfig.PROGRAMME_END;
import static uk.familylink.handler.FunctionConfig.RETENTION_YEARS;
import static uk.familylink.handler.FunctionConfig.ROOT_KEY_ID;
import static uk.familylink.handler.FunctionConfig.SSE_KMS_KEY_ID;
import static uk.familylink.handler.FunctionConfig.TABLE;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.retention.RetentionPolicy;

/**
 * The family outputs functions' configuration (one function deployed per purpose). Only the
 * identification function is given the root key and the partners' principals: it pseudonymises
 * caseload references and checks who uploaded them; the evaluation function reads neither.
 *
 * @param rootKeyId null for evaluation
 * @param partnerPrincipals empty for evaluation
 */
public record FamilyOutputsConfig(
    Purpose purpose,
    String table,
    String auditTable,
    String rootKeyId,
    RetentionPolicy retention,
    Map<String, String> partnerPrincipals,
    String sseKmsKeyId,
    String exportsBucket) {

  /** The purpose this function serves: IDENTIFICATION or EVALUATION. */
  public static final String PURPOSE = "FAMILYLINK_PURPOSE";

  /** The exports bucket the outputs are written to. */
  public static final String EXPORTS_BUCKET = "FAMILYLINK_EXPORTS_BUCKET";

  private static final Set<String> COMMON =
      Set.of(
          PURPOSE,
          EXPORTS_BUCKET,
          TABLE,
          AUDIT_TABLE,
          PROGRAMME_END,
          RETENTION_YEARS,
          SSE_KMS_KEY_ID);

  /** The variables the function serving {@code purpose} reads; the template must set each one. */
  public static Set<String> variables(Purpose purpose) {
    Set<String> all = new TreeSet<>(COMMON);
    if (purpose == Purpose.IDENTIFICATION) {
      all.add(ROOT_KEY_ID);
      all.add(PARTNER_PRINCIPALS);
    }
    return Set.copyOf(all);
  }

  /** Where each purpose's outputs go in the exports bucket. */
  public static String prefixOf(Purpose purpose) {
    return "outputs/" + purpose.name().toLowerCase(Locale.ROOT) + "/";
  }

  public FamilyOutputsConfig {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(auditTable, "auditTable");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(exportsBucket, "exportsBucket");
    partnerPrincipals = Map.copyOf(partnerPrincipals);
  }

  public static FamilyOutputsConfig fromEnvironment(Map<String, String> env) {
    FunctionConfig.Reader r = new FunctionConfig.Reader(env);
    Purpose purpose = r.constant(PURPOSE, Purpose.class);
    String table = r.required(TABLE);
    String auditTable = r.required(AUDIT_TABLE);
    RetentionPolicy retention = r.retention();
    String sseKey = r.optional(SSE_KMS_KEY_ID);
    String bucket = r.required(EXPORTS_BUCKET);
    String rootKeyId = null;
    Map<String, String> principals = Map.of();
    if (purpose == Purpose.IDENTIFICATION) {
      rootKeyId = r.required(ROOT_KEY_ID);
      principals = r.stringMap(PARTNER_PRINCIPALS, "partner to principal ID");
    }
    r.check("family outputs");
    return new FamilyOutputsConfig(
        purpose, table, auditTable, rootKeyId, retention, principals, sseKey, bucket);
  }
}
