package uk.familylink.handler;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbFileLedger;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.KmsKeyPort;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.adapter.aws.SqsContinuations;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.ingest.Sleeper;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.WorkingKeys;

/**
 * Builds the functions' collaborators once per Lambda execution environment (cold start): SDK
 * clients, adapters, contracts and the working keys derived from the KMS root key.
 */
final class AwsWiring {

  private static volatile AwsWiring instance;

  private final IngestService ingestService;

  private AwsWiring(FunctionConfig config, String continuationQueueUrl) {
    // Chunks issue up to DynamoDbLinkedData.DEFAULT_CONCURRENCY calls at once; keep that many
    // connections alive (the JDK's default keeps 5 per host).
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "32");
    }
    var http = UrlConnectionHttpClient.builder().build();
    S3Client s3 = S3Client.builder().httpClient(http).build();
    DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
    KmsClient kms = KmsClient.builder().httpClient(http).build();
    SqsClient sqs = SqsClient.builder().httpClient(http).build();
    Clock clock = Clock.systemUTC();
    DynamoDbLinkedData linked = new DynamoDbLinkedData(dynamo, config.table(), clock);
    WorkingKeys keys = new WorkingKeys(new KmsKeyPort(kms, config.rootKeyId()));
    IngestSettings settings =
        IngestSettings.defaults(config.retention())
            .withPartnerPrincipals(config.partnerPrincipals())
            .withMaxInvalidShare(config.maxInvalidShare());
    this.ingestService =
        new IngestService(
            ContractRegistry.fromClasspath(),
            new S3ObjectStore(s3, config.sseKmsKeyId() != null, config.sseKmsKeyId()),
            linked,
            new DynamoDbFileLedger(dynamo, config.table()),
            new DynamoDbAuditLog(dynamo, config.auditTable()),
            keys,
            settings,
            clock,
            AwsWiring::newPersonId,
            new SqsContinuations(sqs, continuationQueueUrl),
            Sleeper.REAL);
  }

  static AwsWiring instance() {
    AwsWiring local = instance;
    if (local == null) {
      synchronized (AwsWiring.class) {
        local = instance;
        if (local == null) {
          Map<String, String> env = System.getenv();
          FunctionConfig config = FunctionConfig.fromEnvironment(env);
          String queue = env.get(IngestHandler.CONTINUATION_QUEUE_URL);
          if (queue == null || queue.isBlank()) {
            throw new IllegalStateException(
                "FamilyLink configuration is invalid: "
                    + IngestHandler.CONTINUATION_QUEUE_URL
                    + " is not set");
          }
          local = new AwsWiring(config, queue.trim());
          instance = local;
        }
      }
    }
    return local;
  }

  IngestService ingestService() {
    return ingestService;
  }

  /** Random, never derived from an identifier. */
  public static PersonId newPersonId() {
    return new PersonId("P" + UUID.randomUUID().toString().replace("-", ""));
  }
}
