package uk.familylink.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.DynamoDbPopulationReader;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.ingest.Continuations;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.ingest.Sleeper;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.outputs.FamilyOutputs;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.pseudonym.KeyPort;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.review.LinkReviews;
import uk.familylink.handler.AccessConfig;
import uk.familylink.handler.AccessWiring;
import uk.familylink.handler.FamilyOutputsHandler;
import uk.familylink.handler.FamilyOutputsWiring;
import uk.familylink.handler.IngestConfig;
import uk.familylink.handler.IngestHandler;
import uk.familylink.handler.IngestWiring;
import uk.familylink.handler.ReviewConfig;
import uk.familylink.handler.ReviewWiring;
import uk.familylink.handler.SweepConfig;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.S3EventSink;

/**
 * FamilyLink on the embedded services: the same IngestService and IngestHandler as in Lambda, with
 * the local keyring in place of KMS. Creates the tables (with TTL on expiresAt) on start.
 */
public final class LocalFamilyLink {

  public static final String TABLE = "familylink-linked";
  public static final String AUDIT_TABLE = "familylink-audit";

  /** Local default; a deployment sets its own programme end date. */
  public static final LocalDate DEFAULT_PROGRAMME_END = LocalDate.of(2026, 3, 31);

  /**
   * How long an ingest's claim on a file holds locally. Only this tool delivers uploads, and never
   * one already in flight, so a claim older than this is an ingest that died with the process
   * (serve stopped mid-file): after a restart the upload is taken over and finished once.
   */
  static final Duration PROCESSING_LEASE = Duration.ofSeconds(10);

  private final EmbeddedAws aws;
  private final DynamoDbPopulationReader linkedData;
  private final DynamoDbLinkedData linkStore;
  private final WorkingKeys keys;
  private final IngestHandler handler;
  private final ContractRegistry contracts;

  public LocalFamilyLink(EmbeddedAws aws, Path home, Clock clock, IngestConfig config) {
    this(aws, new LocalKeyring(home.resolve("root.key")), clock, config);
  }

  /** Scoring tier 3 with {@code model} instead of the shipped one (to compare models). */
  public LocalFamilyLink(
      EmbeddedAws aws, Path home, Clock clock, IngestConfig config, MatchModel model) {
    this(aws, home, clock, config, model, IngestWiring::newPersonId);
  }

  /**
   * As above, new persons taking their IDs from {@code newPersonIds}: a measurement's seeded
   * source, so that two runs on the same key break ties between persons alike ({@link
   * ReproduciblePersonIds}).
   */
  public LocalFamilyLink(
      EmbeddedAws aws,
      Path home,
      Clock clock,
      IngestConfig config,
      MatchModel model,
      Supplier<PersonId> newPersonIds) {
    this(
        aws,
        aws.s3(),
        aws.dynamoDb(),
        new LocalKeyring(home.resolve("root.key")),
        clock,
        config,
        localSettings(config.settings()).withMatchModel(model),
        Continuations.NONE,
        newPersonIds);
  }

  /**
   * FamilyLink on the given services and root key.
   *
   * @param rootKey the local keyring, or an external KMS's root key
   */
  public LocalFamilyLink(EmbeddedAws aws, KeyPort rootKey, Clock clock, IngestConfig config) {
    this(
        aws,
        aws.s3(),
        aws.dynamoDb(),
        rootKey,
        clock,
        config,
        localSettings(config.settings()),
        Continuations.NONE,
        IngestWiring::newPersonId);
  }

  /**
   * With the ingest's own SDK clients (e.g. over an instrumented or fault-injecting HTTP client)
   * and a continuation port; the tables are created through {@code aws}'s own client.
   */
  public LocalFamilyLink(
      EmbeddedAws aws,
      S3Client s3,
      DynamoDbClient dynamoDb,
      Path home,
      Clock clock,
      IngestSettings settings,
      Continuations continuations) {
    this(
        aws,
        s3,
        dynamoDb,
        new LocalKeyring(home.resolve("root.key")),
        clock,
        IngestConfig.local(TABLE, AUDIT_TABLE, settings.retention()),
        settings,
        continuations,
        IngestWiring::newPersonId);
  }

  private LocalFamilyLink(
      EmbeddedAws aws,
      S3Client s3,
      DynamoDbClient dynamoDb,
      KeyPort rootKey,
      Clock clock,
      IngestConfig config,
      IngestSettings settings,
      Continuations continuations,
      Supplier<PersonId> newPersonIds) {
    this.aws = aws;
    DynamoDbTables.createTable(aws.dynamoDb(), config.table());
    DynamoDbTables.createAuditTable(aws.dynamoDb(), config.auditTable());
    // For the tool's own reads (demo profiles, tests); the ingest function wires its own.
    this.linkedData = new DynamoDbPopulationReader(aws.dynamoDb(), config.table());
    this.linkStore = new DynamoDbLinkedData(aws.dynamoDb(), config.table(), clock);
    this.keys = WorkingKeys.forIngest(rootKey);
    this.contracts = ContractRegistry.fromClasspath();
    this.handler =
        new IngestHandler(
            IngestWiring.ingestService(
                config,
                settings,
                s3,
                dynamoDb,
                keys,
                clock,
                continuations,
                Sleeper.REAL,
                newPersonIds));
  }

  /** The local tool alone delivers uploads, so a claim older than a short lease is a crash's. */
  private static IngestSettings localSettings(IngestSettings settings) {
    return settings.withLease(
        PROCESSING_LEASE, PROCESSING_LEASE.plusSeconds(30), settings.maxFailures());
  }

  /**
   * Turns on the linked table's stream, as template.yaml declares it (NEW_AND_OLD_IMAGES): where
   * the TTL service's deletions appear for the TTL-evidence function. Not on by default: nothing
   * reads the stream locally, and DynamoDB Local writing a stream record per item slowed ingest by
   * ~12% (bench store, 5 rounds). Left as it is if already enabled.
   */
  public static void enableLinkedTableStream(EmbeddedAws aws) {
    enableStream(aws.dynamoDb(), TABLE);
  }

  private static void enableStream(DynamoDbClient ddb, String table) {
    StreamSpecification current =
        ddb.describeTable(b -> b.tableName(table)).table().streamSpecification();
    if (current == null || !Boolean.TRUE.equals(current.streamEnabled())) {
      ddb.updateTable(
          b ->
              b.tableName(table)
                  .streamSpecification(
                      s ->
                          s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
    }
  }

  public static LocalFamilyLink start(EmbeddedAws aws, Path home, Clock clock) {
    return new LocalFamilyLink(aws, home, clock, ingestConfig());
  }

  /** The retention the local environment stamps items with. */
  public static RetentionPolicy localRetention() {
    return new RetentionPolicy(DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS);
  }

  /** The ingest function's configuration locally: the local tables, no SSE, no uploader check. */
  public static IngestConfig ingestConfig() {
    return IngestConfig.local(TABLE, AUDIT_TABLE, localRetention());
  }

  /** The subject access function's configuration locally. */
  public static AccessConfig accessConfig() {
    return new AccessConfig(TABLE, AUDIT_TABLE, null, localRetention());
  }

  /** The retention sweep function's configuration locally, for {@code configured} retention. */
  public static SweepConfig sweepConfig(RetentionPolicy configured, String bucket) {
    return SweepConfig.defaults(TABLE, AUDIT_TABLE, configured, bucket);
  }

  /** The link review function's configuration locally. */
  public static ReviewConfig reviewConfig() {
    return new ReviewConfig(TABLE, AUDIT_TABLE, localRetention());
  }

  /** The link review service over the local tables (the Lambda's wiring). */
  public LinkReviews linkReviews(Clock clock) {
    return ReviewWiring.linkReviews(reviewConfig(), aws.dynamoDb(), clock);
  }

  /** The subject access service over the local tables and keyring. */
  public SubjectAccess subjectAccess(Clock clock) {
    return AccessWiring.subjectAccess(accessConfig(), aws.dynamoDb(), keys, clock);
  }

  /**
   * Delivers an S3 event to the real Lambda handler, exactly as Lambda would (a JSON stream). A
   * file another ingest still holds fails the delivery, so it is delivered again later (as S3
   * retries an invocation), until the holder finished it or its claim lapsed.
   */
  public S3EventSink sink() {
    return json -> {
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try {
        handler.handleRequest(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), response, null);
      } catch (IngestService.FileBusyException e) {
        throw new HeldElsewhereException();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** The file is being ingested by another delivery; try again later. */
  public static final class HeldElsewhereException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HeldElsewhereException() {
      super("another ingest holds this file; delivered again later");
    }
  }

  /** The real Lambda handler, wired to the embedded services. */
  public IngestHandler handler() {
    return handler;
  }

  /** The whole-population reader over the local linked table (what the outputs read). */
  public DynamoDbPopulationReader linkedData() {
    return linkedData;
  }

  /** The link store over the local linked table, for tools and tests that write to it directly. */
  public DynamoDbLinkedData linkStore() {
    return linkStore;
  }

  public WorkingKeys keys() {
    return keys;
  }

  public ContractRegistry contracts() {
    return contracts;
  }

  public EmbeddedAws aws() {
    return aws;
  }

  /**
   * The family outputs function of {@code purpose} on the embedded services, as {@code
   * FamilyOutputsWiring} builds it in Lambda (local keyring for the caseload tokens), writing to
   * {@code bucket}.
   */
  public FamilyOutputs outputs(Purpose purpose, String bucket, Clock clock) {
    return new FamilyOutputs(
        linkedData,
        new S3ObjectStore(aws.s3()),
        new DynamoDbAuditLog(aws.dynamoDb(), AUDIT_TABLE),
        clock,
        FamilyOutputsWiring.settings(purpose, bucket, contracts),
        purpose == Purpose.IDENTIFICATION ? keys.newTokeniser() : null,
        localRetention()::expiresAtEpochSecond);
  }

  /** The real family outputs handler for {@code purpose}, wired to the embedded services. */
  public FamilyOutputsHandler outputsHandler(
      Purpose purpose, String bucket, Clock clock, IngestSettings uploaders) {
    return new FamilyOutputsHandler(
        outputs(purpose, bucket, clock), uploaders::uploaderMatches, contracts::isAllowed);
  }
}
