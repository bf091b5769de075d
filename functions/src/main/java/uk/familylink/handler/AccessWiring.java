package uk.familylink.handler;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbPersonReader;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.pseudonym.WorkingKeys;

/**
 * The subject access function's wiring, shared by Lambda and the local tool: DynamoDB (read the
 * linked data and tier 3's candidate index by key, append to the audit) and the ingest's working
 * keys (token and bloom), so a request is matched by the ingest's own rules. It builds no S3 client
 * and loads no contracts.
 */
public final class AccessWiring {

  /** The Lambda's service, built from its environment at cold start. */
  static final ColdStart<SubjectAccess> LAMBDA =
      ColdStart.fromEnvironment(
          AccessConfig::fromEnvironment,
          c -> {
            CompletableFuture<WorkingKeys> keys =
                LambdaClients.ingestKeysInBackground(c.rootKeyId());
            DynamoDbClient dynamoDb = LambdaClients.dynamoDb();
            return subjectAccess(c, dynamoDb, LambdaClients.join(keys), Clock.systemUTC());
          });

  private AccessWiring() {}

  public static SubjectAccess subjectAccess(
      AccessConfig config, DynamoDbClient dynamoDb, WorkingKeys keys, Clock clock) {
    return new SubjectAccess(
        new DynamoDbPersonReader(dynamoDb, config.table()),
        new DynamoDbAuditLog(dynamoDb, config.auditTable()),
        keys,
        EligibilityRule.supportingFamilies2022(),
        clock,
        config.retention()::expiresAtEpochSecond);
  }
}
