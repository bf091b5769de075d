package uk.familylink.handler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.retention.TtlEvidence;

/**
 * Cold-start wiring of the TTL-evidence function: one DynamoDB client appending to the audit table.
 * Nothing else: the function reads its input from the stream event, never from the linked table.
 */
public final class TtlEvidenceWiring {

  /** The function's own variable, read in addition to {@link FunctionConfig#VARIABLES}. */
  public static final Set<String> VARIABLES = Set.of(AuditRetentionSetting.VARIABLE);

  private static volatile TtlEvidence instance;

  private TtlEvidenceWiring() {}

  static TtlEvidence ttlEvidence() {
    TtlEvidence local = instance;
    if (local == null) {
      synchronized (TtlEvidenceWiring.class) {
        local = instance;
        if (local == null) {
          Map<String, String> env = System.getenv();
          local = build(FunctionConfig.fromEnvironment(env), env);
          instance = local;
        }
      }
    }
    return local;
  }

  private static TtlEvidence build(FunctionConfig config, Map<String, String> env) {
    DynamoDbClient dynamo =
        DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.builder().build()).build();
    return evidence(
        new DynamoDbAuditLog(dynamo, config.auditTable()), config, env, Clock.systemUTC());
  }

  /**
   * The domain service over a given audit log. Kept as long as the sweep's destruction entries (the
   * same variable, {@link AuditRetentionSetting}): both are evidence of destruction.
   */
  static TtlEvidence evidence(
      AuditLog audit, FunctionConfig config, Map<String, String> env, Clock clock) {
    List<String> problems = new ArrayList<>();
    var auditRetention = AuditRetentionSetting.read(env, problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "FamilyLink TTL-evidence configuration is invalid: " + String.join("; ", problems));
    }
    return new TtlEvidence(
        audit, config.retention(), auditRetention, TtlEvidenceHandler::isDuplicateEntry, clock);
  }
}
