package uk.familylink.handler;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbFileLedger;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.adapter.aws.SqsContinuations;
import uk.familylink.adapter.metrics.EmfMetrics;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.ingest.Continuations;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.ingest.Sleeper;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.WorkingKeys;

/**
 * The ingest function's wiring, shared by Lambda and the local tool: given the SDK clients, the
 * working keys and the typed configuration, builds the service with its adapters. Lambda builds it
 * once per execution environment ({@link #LAMBDA}); the local tool passes its emulators' clients
 * and the local keyring.
 */
public final class IngestWiring {

  /** The Lambda's service, built from its environment at cold start. */
  static final ColdStart<IngestService> LAMBDA =
      ColdStart.fromEnvironment(
          IngestConfig::fromEnvironment,
          c -> {
            CompletableFuture<WorkingKeys> keys =
                LambdaClients.ingestKeysInBackground(c.rootKeyId());
            S3Client s3 = LambdaClients.s3();
            DynamoDbClient dynamoDb = LambdaClients.dynamoDb();
            return ingestService(
                c,
                s3,
                dynamoDb,
                LambdaClients.join(keys),
                Clock.systemUTC(),
                onFirstRequest(c.continuationQueueUrl()),
                Sleeper.REAL);
          });

  /** The {@code function} dimension of the ingest's metrics. */
  public static final String FUNCTION = "ingest";

  private IngestWiring() {}

  /**
   * The continuation queue, its SQS client built when a file first needs it: most invocations
   * finish their file and never send one, so the client stays off the cold start.
   */
  static Continuations onFirstRequest(String queueUrl) {
    ColdStart<SqsContinuations> queue =
        new ColdStart<>(() -> new SqsContinuations(LambdaClients.sqs(), queueUrl));
    return upload -> queue.get().request(upload);
  }

  /**
   * The ingest service over the given clients, with the configuration's settings.
   *
   * @param keys the working keys, derived from the root key once (KMS on Lambda, the keyring
   *     locally) with {@link WorkingKeys#forIngest}: the token key and tier 3's bloom key
   */
  public static IngestService ingestService(
      IngestConfig config,
      S3Client s3,
      DynamoDbClient dynamoDb,
      WorkingKeys keys,
      Clock clock,
      Continuations continuations,
      Sleeper sleeper) {
    return ingestService(
        config, config.settings(), s3, dynamoDb, keys, clock, continuations, sleeper);
  }

  /**
   * The ingest service with settings other than the configuration's; metrics go to {@link
   * EmfMetrics} under the function name {@value #FUNCTION}.
   *
   * @param settings the service's settings, normally {@code config.settings()}; the local tool
   *     shortens the processing lease (it alone delivers, so a claim older than that is a crash's)
   * @param continuations where a large file's remainder goes when the invocation runs out of time
   *     (the SQS queue on Lambda, none locally)
   */
  public static IngestService ingestService(
      IngestConfig config,
      IngestSettings settings,
      S3Client s3,
      DynamoDbClient dynamoDb,
      WorkingKeys keys,
      Clock clock,
      Continuations continuations,
      Sleeper sleeper) {
    return ingestService(
        config,
        settings,
        s3,
        dynamoDb,
        keys,
        clock,
        continuations,
        sleeper,
        IngestWiring::newPersonId);
  }

  /**
   * As above, with the person IDs new persons get from {@code newPersonIds} (a reproducible
   * measurement's seeded source; the service's own are {@link #newPersonId}).
   */
  public static IngestService ingestService(
      IngestConfig config,
      IngestSettings settings,
      S3Client s3,
      DynamoDbClient dynamoDb,
      WorkingKeys keys,
      Clock clock,
      Continuations continuations,
      Sleeper sleeper,
      Supplier<PersonId> newPersonIds) {
    DynamoDbLinkedData linked = new DynamoDbLinkedData(dynamoDb, config.table(), clock);
    return new IngestService(
        ContractRegistry.fromClasspath(),
        new S3ObjectStore(s3, config.sseKmsKeyId() != null, config.sseKmsKeyId()),
        linked,
        new DynamoDbFileLedger(dynamoDb, config.table()),
        new DynamoDbAuditLog(dynamoDb, config.auditTable()),
        keys,
        settings,
        clock,
        newPersonIds,
        continuations,
        sleeper,
        new EmfMetrics(FUNCTION, clock));
  }

  /** Random, never derived from an identifier. */
  public static PersonId newPersonId() {
    return new PersonId("P" + UUID.randomUUID().toString().replace("-", ""));
  }
}
