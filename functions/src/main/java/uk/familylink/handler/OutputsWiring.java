package uk.familylink.handler;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbPopulationReader;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.adapter.metrics.EmfMetrics;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.metrics.Metrics;
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

  /** The shared variables the statistics and release functions read (besides their own). */
  static final java.util.Set<String> COMMON_VARIABLES =
      java.util.Set.of(
          FunctionConfig.TABLE,
          FunctionConfig.AUDIT_TABLE,
          FunctionConfig.ROOT_KEY_ID,
          FunctionConfig.PROGRAMME_END,
          FunctionConfig.RETENTION_YEARS,
          FunctionConfig.SSE_KMS_KEY_ID);

  /** What both functions read from the shared variables, checked once, every problem named. */
  record Common(
      String table,
      String auditTable,
      String rootKeyId,
      uk.familylink.domain.retention.RetentionPolicy retention,
      String sseKmsKeyId) {

    static Common fromEnvironment(java.util.Map<String, String> env, String function) {
      FunctionConfig.Reader r = new FunctionConfig.Reader(env);
      String table = r.required(FunctionConfig.TABLE);
      String auditTable = r.required(FunctionConfig.AUDIT_TABLE);
      String rootKeyId = r.required(FunctionConfig.ROOT_KEY_ID);
      var retention = r.retention();
      String sse = r.optional(FunctionConfig.SSE_KMS_KEY_ID);
      r.check(function);
      return new Common(table, auditTable, rootKeyId, retention, sse);
    }
  }

  private static volatile StatisticsPublisher statistics;
  private static volatile ReleasePublisher release;

  private OutputsWiring() {}

  /** The {@code function} dimension of the statistics function's metrics. */
  public static final String STATISTICS_FUNCTION = "statistics";

  /**
   * The statistics function's metrics: CloudWatch EMF lines under {@value #STATISTICS_FUNCTION}.
   */
  public static Metrics statisticsMetrics(Clock clock) {
    return new EmfMetrics(STATISTICS_FUNCTION, clock);
  }

  static synchronized StatisticsPublisher statistics() {
    if (statistics == null) {
      Common config = Common.fromEnvironment(System.getenv(), "statistics");
      OutputsConfig outputs = OutputsConfig.fromEnvironment(System.getenv());
      DynamoDbClient dynamo = LambdaClients.dynamoDb();
      S3Client s3 = LambdaClients.s3();
      Clock clock = Clock.systemUTC();
      DisclosureControl control = new DisclosureControl(outputs.policy());
      StatisticsService service =
          new StatisticsService(
              new DynamoDbPopulationReader(dynamo, config.table()),
              EligibilityRule.supportingFamilies2022(),
              uk.familylink.domain.outcome.OutcomeSettings.supportingFamilies2022(),
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
      Common config = Common.fromEnvironment(System.getenv(), "research release");
      OutputsConfig outputs = OutputsConfig.fromEnvironment(System.getenv());
      DynamoDbClient dynamo = LambdaClients.dynamoDb();
      S3Client s3 = LambdaClients.s3();
      Clock clock = Clock.systemUTC();
      ResearchReleaseService service =
          new ResearchReleaseService(
              new DynamoDbPopulationReader(dynamo, config.table()),
              LambdaClients.rootKey(config.rootKeyId()),
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
