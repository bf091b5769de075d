package uk.familylink.handler;

import java.time.Clock;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbPersonReader;
import uk.familylink.adapter.aws.KmsKeyPort;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.pseudonym.WorkingKeys;

/**
 * Cold-start wiring of the subject access function: DynamoDB (read the linked data by key, append
 * to the audit), KMS (derive the token working key once). Kept apart from {@link AwsWiring} so the
 * access function does not build the ingest function's S3 client and contracts.
 */
final class AccessWiring {

  private static volatile SubjectAccess instance;

  private AccessWiring() {}

  static SubjectAccess subjectAccess() {
    SubjectAccess local = instance;
    if (local == null) {
      synchronized (AccessWiring.class) {
        local = instance;
        if (local == null) {
          local = build(FunctionConfig.fromEnvironment(System.getenv()));
          instance = local;
        }
      }
    }
    return local;
  }

  private static SubjectAccess build(FunctionConfig config) {
    var http = UrlConnectionHttpClient.builder().build();
    DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
    KmsClient kms = KmsClient.builder().httpClient(http).build();
    WorkingKeys keys = new WorkingKeys(new KmsKeyPort(kms, config.rootKeyId()));
    return new SubjectAccess(
        new DynamoDbPersonReader(dynamo, config.table()),
        new DynamoDbAuditLog(dynamo, config.auditTable()),
        keys,
        EligibilityRule.supportingFamilies2022(),
        Clock.systemUTC(),
        config.retention()::expiresAtEpochSecond);
  }
}
