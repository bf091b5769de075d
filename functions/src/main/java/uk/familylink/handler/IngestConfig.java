package uk.familylink.handler;

import static uk.familylink.handler.FunctionConfig.AUDIT_TABLE;
import static uk.familylink.handler.FunctionConfig.MAX_INVALID_SHARE;
import static uk.familylink.handler.FunctionConfig.PARTNER_PRINCIPALS;
import static uk.familylink.handler.FunctionConfig.PROGRAMME_END;
import static uk.familylink.handler.FunctionConfig.RETENTION_YEARS;
import static uk.familylink.handler.FunctionConfig.ROOT_KEY_ID;
import static uk.familylink.handler.FunctionConfig.SSE_KMS_KEY_ID;
import static uk.familylink.handler.FunctionConfig.TABLE;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.retention.RetentionPolicy;

/**
 * The ingest function's configuration.
 *
 * @param rootKeyId the KMS root key (Lambda); the local tool uses its keyring instead
 * @param sseKmsKeyId the KMS key reports are encrypted with; null for the bucket's default (and for
 *     stores that reject SSE headers)
 * @param continuationQueueUrl the queue a large file's remainder is handed to (ADR 0121); null
 *     locally, where no continuation is sent
 */
public record IngestConfig(
    String table,
    String auditTable,
    String rootKeyId,
    RetentionPolicy retention,
    double maxInvalidShare,
    Map<String, String> partnerPrincipals,
    String sseKmsKeyId,
    String continuationQueueUrl) {

  /** The variables this function reads; the template must set each one. */
  public static final Set<String> VARIABLES =
      Set.of(
          TABLE,
          AUDIT_TABLE,
          ROOT_KEY_ID,
          PROGRAMME_END,
          RETENTION_YEARS,
          MAX_INVALID_SHARE,
          PARTNER_PRINCIPALS,
          SSE_KMS_KEY_ID,
          IngestHandler.CONTINUATION_QUEUE_URL);

  public IngestConfig {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(auditTable, "auditTable");
    Objects.requireNonNull(retention, "retention");
    partnerPrincipals = Map.copyOf(partnerPrincipals);
  }

  /** Local defaults: no uploader check, the default invalid-row share, no SSE. */
  public static IngestConfig local(String table, String auditTable, RetentionPolicy retention) {
    IngestSettings defaults = IngestSettings.defaults(retention);
    return new IngestConfig(
        table, auditTable, null, retention, defaults.maxInvalidShare(), Map.of(), null, null);
  }

  public static IngestConfig fromEnvironment(Map<String, String> env) {
    FunctionConfig.Reader r = new FunctionConfig.Reader(env);
    String table = r.required(TABLE);
    String auditTable = r.required(AUDIT_TABLE);
    String rootKeyId = r.required(ROOT_KEY_ID);
    RetentionPolicy retention = r.retention();
    double maxInvalidShare = r.share(MAX_INVALID_SHARE, 0.05);
    Map<String, String> principals = r.stringMap(PARTNER_PRINCIPALS, "partner to principal ID");
    String sseKey = r.optional(SSE_KMS_KEY_ID);
    String continuationQueue = r.required(IngestHandler.CONTINUATION_QUEUE_URL);
    r.check("ingest");
    return new IngestConfig(
        table,
        auditTable,
        rootKeyId,
        retention,
        maxInvalidShare,
        principals,
        sseKey,
        continuationQueue);
  }

  /** The same configuration with another share of invalid rows above which a file is refused. */
  public IngestConfig withMaxInvalidShare(double share) {
    return new IngestConfig(
        table,
        auditTable,
        rootKeyId,
        retention,
        share,
        partnerPrincipals,
        sseKmsKeyId,
        continuationQueueUrl);
  }

  /** The ingest service's settings. */
  public IngestSettings settings() {
    return IngestSettings.defaults(retention)
        .withPartnerPrincipals(partnerPrincipals)
        .withMaxInvalidShare(maxInvalidShare);
  }
}
