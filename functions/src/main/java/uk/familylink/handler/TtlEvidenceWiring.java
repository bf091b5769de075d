package uk.familylink.handler;

import java.time.Clock;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.domain.retention.TtlEvidence;

/**
 * Cold-start wiring of the TTL-evidence function: one DynamoDB client appending to the audit table.
 * Nothing else: the function reads its input from the stream event, never from the linked table.
 */
final class TtlEvidenceWiring {

  private static volatile TtlEvidence instance;

  private TtlEvidenceWiring() {}

  static TtlEvidence ttlEvidence() {
    TtlEvidence local = instance;
    if (local == null) {
      synchronized (TtlEvidenceWiring.class) {
        local = instance;
        if (local == null) {
          local = build(FunctionConfig.fromEnvironment(System.getenv()));
          instance = local;
        }
      }
    }
    return local;
  }

  private static TtlEvidence build(FunctionConfig config) {
    DynamoDbClient dynamo =
        DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.builder().build()).build();
    // Kept as long as the sweep's destruction entries: both are evidence of destruction.
    return new TtlEvidence(
        new DynamoDbAuditLog(dynamo, config.auditTable()),
        config.retention(),
        SweepSettings.DEFAULT_AUDIT_RETENTION,
        TtlEvidenceHandler::isDuplicateEntry,
        Clock.systemUTC());
  }
}
