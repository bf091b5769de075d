package uk.familylink.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.outputs.FamilyOutputs;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.handler.FamilyOutputsHandler;
import uk.familylink.handler.IngestHandler;
import uk.familylink.handler.OutputsWiring;
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

  private final EmbeddedAws aws;
  private final DynamoDbLinkedData linkedData;
  private final WorkingKeys keys;
  private final IngestHandler handler;
  private final ContractRegistry contracts;

  public LocalFamilyLink(
      EmbeddedAws aws, Path home, Clock clock, RetentionPolicy retention, IngestSettings settings) {
    this.aws = aws;
    DynamoDbTables.createTable(aws.dynamoDb(), TABLE);
    DynamoDbTables.createAuditTable(aws.dynamoDb(), AUDIT_TABLE);
    this.linkedData = new DynamoDbLinkedData(aws.dynamoDb(), TABLE, clock);
    this.keys = new WorkingKeys(new LocalKeyring(home.resolve("root.key")));
    this.contracts = ContractRegistry.fromClasspath();
    IngestService service =
        new IngestService(
            contracts,
            new S3ObjectStore(aws.s3()),
            linkedData,
            linkedData,
            new DynamoDbAuditLog(aws.dynamoDb(), AUDIT_TABLE),
            keys,
            settings,
            clock,
            LocalFamilyLink::newPersonId);
    this.handler = new IngestHandler(service);
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
    RetentionPolicy retention =
        new RetentionPolicy(DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS);
    return new LocalFamilyLink(aws, home, clock, retention, IngestSettings.defaults(retention));
  }

  /** Delivers an S3 event to the real Lambda handler, exactly as Lambda would (a JSON stream). */
  public S3EventSink sink() {
    return json -> {
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try {
        handler.handleRequest(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), response, null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** The real Lambda handler, wired to the embedded services. */
  public IngestHandler handler() {
    return handler;
  }

  public DynamoDbLinkedData linkedData() {
    return linkedData;
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
   * The outputs function of {@code purpose} on the embedded services, as {@code OutputsWiring}
   * builds it in Lambda (local keyring for the caseload tokens), writing to {@code bucket}.
   */
  public FamilyOutputs outputs(Purpose purpose, String bucket, Clock clock) {
    RetentionPolicy retention =
        new RetentionPolicy(DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS);
    return new FamilyOutputs(
        linkedData,
        new S3ObjectStore(aws.s3()),
        new DynamoDbAuditLog(aws.dynamoDb(), AUDIT_TABLE),
        clock,
        OutputsWiring.settings(purpose, bucket, contracts),
        purpose == Purpose.IDENTIFICATION ? keys.newTokeniser() : null,
        retention::expiresAtEpochSecond);
  }

  /** The real outputs handler for {@code purpose}, wired to the embedded services. */
  public FamilyOutputsHandler outputsHandler(
      Purpose purpose, String bucket, Clock clock, IngestSettings uploaders) {
    return new FamilyOutputsHandler(
        outputs(purpose, bucket, clock), uploaders::uploaderMatches, contracts::isAllowed);
  }

  private static PersonId newPersonId() {
    return new PersonId("P" + UUID.randomUUID().toString().replace("-", ""));
  }
}
