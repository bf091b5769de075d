package uk.familylink.handler;

import java.time.Clock;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.KmsKeyPort;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.release.ResearchReleaseService;
import uk.familylink.domain.statistics.Geography;
import uk.familylink.domain.statistics.StatisticsService;
import uk.familylink.report.ReleasePublisher;
import uk.familylink.report.StatisticsPublisher;

/**
 * Cold-start wiring of the statistics and research release functions: SDK clients built once, the
 * linked-data reader, the audit, the exports bucket (SSE-KMS with the storage key). Only the
 * release function derives a key (its release's, per request) from the KMS root key.
 */
final class OutputsWiring {

  private static volatile StatisticsPublisher statistics;
  private static volatile ReleasePublisher release;

  private OutputsWiring() {}

  static synchronized StatisticsPublisher statistics() {
    if (statistics == null) {
      FunctionConfig config = FunctionConfig.fromEnvironment(System.getenv());
      OutputsConfig outputs = OutputsConfig.fromEnvironment(System.getenv());
      var http = UrlConnectionHttpClient.builder().build();
      DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
      S3Client s3 = S3Client.builder().httpClient(http).build();
      Clock clock = Clock.systemUTC();
      DisclosureControl control = new DisclosureControl(outputs.policy());
      StatisticsService service =
          new StatisticsService(
              new DynamoDbLinkedData(dynamo, config.table(), clock),
              EligibilityRule.supportingFamilies2022(),
              control,
              Geography.herefordshire(),
              new DynamoDbAuditLog(dynamo, config.auditTable()),
              clock,
              config.retention()::expiresAtEpochSecond);
      statistics =
          new StatisticsPublisher(
              service,
              control,
              new S3ObjectStore(s3, config.sseKmsKeyId() != null, config.sseKmsKeyId()),
              outputs.exportsBucket());
    }
    return statistics;
  }

  static synchronized ReleasePublisher release() {
    if (release == null) {
      FunctionConfig config = FunctionConfig.fromEnvironment(System.getenv());
      OutputsConfig outputs = OutputsConfig.fromEnvironment(System.getenv());
      var http = UrlConnectionHttpClient.builder().build();
      DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
      S3Client s3 = S3Client.builder().httpClient(http).build();
      KmsClient kms = KmsClient.builder().httpClient(http).build();
      Clock clock = Clock.systemUTC();
      ResearchReleaseService service =
          new ResearchReleaseService(
              new DynamoDbLinkedData(dynamo, config.table(), clock),
              new KmsKeyPort(kms, config.rootKeyId()),
              EligibilityRule.supportingFamilies2022(),
              new DynamoDbAuditLog(dynamo, config.auditTable()),
              clock,
              config.retention().programmeEnd().plusYears(config.retention().retentionYears()),
              config.retention()::expiresAtEpochSecond);
      release =
          new ReleasePublisher(
              service,
              new S3ObjectStore(s3, config.sseKmsKeyId() != null, config.sseKmsKeyId()),
              outputs.exportsBucket());
    }
    return release;
  }
}
