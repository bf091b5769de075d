package uk.familylink.handler;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.domain.retention.TtlEvidence;

/**
 * The TTL-evidence function's wiring, shared by Lambda and the local tool: one DynamoDB client
 * appending to the audit table. Nothing else: the function reads its input from the stream event,
 * never from the linked table.
 */
public final class TtlEvidenceWiring {

  /** The Lambda's service, built from its environment at cold start. */
  static final ColdStart<TtlEvidence> LAMBDA =
      ColdStart.fromEnvironment(
          TtlEvidenceConfig::fromEnvironment,
          c -> ttlEvidence(c, LambdaClients.dynamoDb(), Clock.systemUTC()));

  private TtlEvidenceWiring() {}

  public static TtlEvidence ttlEvidence(
      TtlEvidenceConfig config, DynamoDbClient dynamoDb, Clock clock) {
    return new TtlEvidence(
        new DynamoDbAuditLog(dynamoDb, config.auditTable()),
        config.retention(),
        config.auditRetention(),
        clock);
  }
}
