package uk.familylink.local.it.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.familylink.local.it.faults.FaultyHttpClient.dynamo;
import static uk.familylink.local.it.faults.FaultyHttpClient.s3;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.SqsContinuations;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestService.UploadedObject;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.it.faults.FaultyHttpClient.Fault;

/**
 * Fault injection through the real {@code IngestHandler} against DynamoDB Local (as a server) and
 * the in-JVM S3, faults injected at the SDK's HTTP layer ({@link FaultyHttpClient}) and through an
 * {@code ExecutionInterceptor} ({@link UnprocessedItemsInterceptor}), issue 13 item 6. After every
 * scenario: records = valid rows exactly once, persons = the fault-free run, the version's report
 * and an INGEST audit entry exist, the ledger says DONE and no upload is left (nothing stuck).
 */
class IngestFaultInjectionTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "incoming/police/police-incidents/faults.csv";
  private static final String HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n";
  private static final int PERSONS = 40;
  private static final int VALID_ROWS = 60;
  private static final String OUTCOME = "ACCEPTED_WITH_ERRORS";

  private EmbeddedAws aws;
  private FaultyHttpClient faults;
  private UnprocessedItemsInterceptor unprocessed;
  private S3Client s3;
  private DynamoDbClient ddb;
  private LocalFamilyLink familyLink;
  private S3Events events;
  private final List<String> continuationMessages =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    aws = EmbeddedAws.start(EmbeddedAws.Options.defaults().withPorts(0, 0));
    faults = new FaultyHttpClient(EmbeddedAws.s3HttpClient());
    unprocessed = new UnprocessedItemsInterceptor();
    ClientOverrideConfiguration override =
        ClientOverrideConfiguration.builder()
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
            .addExecutionInterceptor(unprocessed)
            .build();
    s3 = aws.newS3Client(faults, override);
    ddb = aws.newDynamoDbClient(faults, override);
    RetentionPolicy retention =
        new RetentionPolicy(
            LocalFamilyLink.DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS);
    familyLink =
        new LocalFamilyLink(
            aws,
            s3,
            ddb,
            workDir,
            Clock.systemUTC(),
            IngestSettings.defaults(retention).withChunkSize(10),
            upload -> continuationMessages.add(SqsContinuations.toJson(upload)));
    events = new S3Events(Clock.systemUTC(), aws.region().id());
  }

  @AfterEach
  void stop() {
    s3.close();
    ddb.close();
    aws.close();
  }

  /**
   * 62 rows: {@value #VALID_ROWS} valid about {@value #PERSONS} people (the first 20 appear twice),
   * 2 with an impossible date; {@code variant} changes the incident dates only.
   */
  private static String extract(int variant) {
    StringBuilder csv = new StringBuilder(HEADER);
    for (int row = 1; row <= VALID_ROWS + 2; row++) {
      int person = row <= PERSONS ? row : row - PERSONS;
      String incident =
          row > VALID_ROWS ? "2026-02-31" : "2026-0" + (1 + variant) + "-" + (10 + row % 18);
      csv.append("PR-")
          .append(row)
          .append(',')
          .append(CheckDigits.pncId(2001, 500 + person))
          .append(",Alex,Person")
          .append((char) ('a' + person % 26))
          .append((char) ('a' + person / 26))
          .append(",1990-01-")
          .append(String.format("%02d", 1 + person % 28))
          .append(",HR1 2AB,")
          .append(incident)
          .append(",OFFENCE,SUSPECT\n");
    }
    return csv.toString();
  }

  /**
   * Uploads through the emulator's own client (never faulted); returns the S3 event JSON. The
   * upload is the partner's side, not under test: on a heavily loaded machine s3proxy once dropped
   * a PUT four times in a row, so the set-up tries a few more times.
   */
  private String upload(String csv) {
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    for (int attempt = 1; ; attempt++) {
      try {
        String eTag =
            aws.s3()
                .putObject(b -> b.bucket(aws.bucket()).key(KEY), RequestBody.fromBytes(bytes))
                .eTag();
        return events.objectCreated(aws.bucket(), KEY, bytes.length, eTag, "AWS:AIDAFAULTS");
      } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
        if (attempt == 3) {
          throw e;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private JsonNode deliver(String event) throws Exception {
    return deliver(event, null);
  }

  private JsonNode deliver(String event, Context context) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    familyLink
        .handler()
        .handleRequest(
            new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
    return JSON.readTree(out.toByteArray());
  }

  /** A Lambda context whose remaining time drops by {@code stepMillis} each time it is asked. */
  private static Context invocation(long startMillis, long stepMillis) {
    long[] left = {startMillis + stepMillis};
    return (Context)
        java.lang.reflect.Proxy.newProxyInstance(
            Context.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getRemainingTimeInMillis")) {
                left[0] -= stepMillis;
                return (int) left[0];
              }
              return method.getReturnType() == int.class ? 0 : null;
            });
  }

  private static UploadedObject uploadOf(String event) throws Exception {
    JsonNode r = JSON.readTree(event).path("Records").get(0);
    JsonNode o = r.path("s3").path("object");
    return new UploadedObject(
        r.path("s3").path("bucket").path("name").asText(),
        KEY,
        o.path("size").asLong(),
        o.path("eTag").asText(),
        null,
        null,
        o.path("sequencer").asText());
  }

  private List<Map<String, AttributeValue>> items(String table) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    aws.dynamoDb().scanPaginator(b -> b.tableName(table)).items().forEach(out::add);
    return out;
  }

  private List<Map<String, AttributeValue>> records() {
    return items(LocalFamilyLink.TABLE).stream()
        .filter(i -> i.get("sk").s().equals("REC"))
        .toList();
  }

  private long activePersons() {
    return items(LocalFamilyLink.TABLE).stream()
        .filter(i -> i.get("sk").s().equals("PERSON") && !i.containsKey("mergedInto"))
        .count();
  }

  private List<String> ingestOutcomes() {
    return items(LocalFamilyLink.AUDIT_TABLE).stream()
        .filter(i -> "INGEST".equals(i.get("kind").s()))
        .map(i -> i.get("details").m().get("outcome").s())
        .toList();
  }

  private List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    aws.s3()
        .listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix(prefix))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  /** The checks after every scenario. */
  private void assertExactlyOnce(String event, int variant) throws Exception {
    UploadedObject upload = uploadOf(event);
    List<Map<String, AttributeValue>> records = records();
    assertThat(records).as("records = valid rows, exactly once").hasSize(VALID_ROWS);
    assertThat(records)
        .as("the last version's values")
        .allSatisfy(
            r -> assertThat(r.get("eventDate").s()).startsWith("2026-0" + (1 + variant) + "-"));
    assertThat(activePersons()).as("persons = the fault-free run").isEqualTo(PERSONS);
    String report =
        "reports/police/police-incidents/faults.csv." + upload.versionTag() + ".report.json";
    assertThat(keys("reports/")).contains(report);
    assertThat(
            JSON.readTree(
                    aws.s3()
                        .getObjectAsBytes(b -> b.bucket(aws.bucket()).key(report))
                        .asByteArray())
                .path("status")
                .asText())
        .isEqualTo(OUTCOME);
    assertThat(ingestOutcomes()).contains(OUTCOME);
    Map<String, AttributeValue> ledger =
        aws.dynamoDb()
            .getItem(
                b ->
                    b.tableName(LocalFamilyLink.TABLE)
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS("FILE#" + IngestService.fileId(upload)),
                                "sk",
                                AttributeValue.fromS("FILE"))))
            .item();
    assertThat(ledger.get("status").s()).as("nothing stuck").isEqualTo("DONE");
    assertThat(keys("incoming/")).as("no upload left").isEmpty();
  }

  @Test
  void theFaultFreeRunIsTheBaseline() throws Exception {
    String event = upload(extract(0));
    assertThat(deliver(event).path("outcomes").path(OUTCOME).asInt()).isEqualTo(1);
    assertExactlyOnce(event, 0);
    assertThat(faults.calls()).isPositive();
  }

  @Test
  void anErrorAtARandomChunkFailsTheAttemptAndTheRetryFinishesTheFile() throws Exception {
    long seed = System.nanoTime();
    int chunk = 2 + new Random(seed).nextInt(5); // 6 chunks of 10 rows: fail one of chunks 2-6
    // A chunk writes several batches, some at once (tier-3 index entries, then records), so the
    // chunk is found by what is already stored, and every batch write from then on fails until
    // the attempt has failed (each call through all of the SDK's 3 attempts).
    int before = (chunk - 1) * 10;
    boolean[] armed = {true};
    FaultyHttpClient.Rule rule =
        faults.add(
            r -> armed[0] && dynamo("BatchWriteItem").test(r) && records().size() >= before,
            1,
            Integer.MAX_VALUE,
            Fault.dynamoError(500, "InternalServerError"));
    String event = upload(extract(0));

    assertThatThrownBy(() -> deliver(event)).as("seed %d, chunk %d", seed, chunk).isNotNull();
    armed[0] = false;
    assertThat(rule.fired()).isGreaterThanOrEqualTo(3);
    assertThat(records().size())
        .as("the chunks before the failed one were written")
        .isEqualTo(before);

    deliver(event); // Lambda's retry: the same event
    assertExactlyOnce(event, 0);
  }

  @Test
  void throttlingAndUnprocessedItemsOnWritesAreAbsorbedWithinOneAttempt() throws Exception {
    FaultyHttpClient.Rule batch =
        faults.add(
            dynamo("BatchWriteItem"),
            2,
            2,
            Fault.dynamoError(400, "ProvisionedThroughputExceededException"));
    FaultyHttpClient.Rule transact =
        faults.add(
            dynamo("TransactWriteItems"), 3, 1, Fault.dynamoError(400, "ThrottlingException"));
    unprocessed.every = 2;
    String event = upload(extract(0));

    assertThat(deliver(event).path("outcomes").path(OUTCOME).asInt()).isEqualTo(1);

    assertThat(batch.fired()).isEqualTo(2);
    assertThat(transact.fired()).isEqualTo(1);
    assertThat(unprocessed.itemsHeldBack()).isPositive();
    assertExactlyOnce(event, 0);
  }

  @Test
  void aFailingReportPutFailsTheAttemptAndTheRetryFinishes() throws Exception {
    faults.add(s3("PUT", "reports/"), 1, 3, Fault.s3Error(500, "InternalError"));
    String event = upload(extract(0));

    assertThatThrownBy(() -> deliver(event)).isNotNull();
    assertThat(ingestOutcomes()).isEmpty();

    deliver(event);
    assertExactlyOnce(event, 0);
  }

  @Test
  void aFailingAuditWriteFailsTheAttemptAndTheRetryFinishes() throws Exception {
    faults.add(dynamo("PutItem"), 1, 3, Fault.dynamoError(500, "InternalServerError"));
    String event = upload(extract(0));

    assertThatThrownBy(() -> deliver(event)).isNotNull();
    assertThat(ingestOutcomes()).isEmpty();
    assertThat(keys("incoming/")).as("kept for the retry").containsExactly(KEY);

    deliver(event);
    assertExactlyOnce(event, 0);
  }

  @Test
  void aFailingDeleteIsRepeatedByTheRetryWhichFindsTheFileDone() throws Exception {
    FaultyHttpClient.Rule failing =
        faults.add(s3("DELETE", "incoming/"), 1, 3, Fault.s3Error(500, "InternalError"));
    String event = upload(extract(0));

    assertThatThrownBy(() -> deliver(event)).isNotNull();
    assertThat(failing.fired()).isPositive();
    assertThat(keys("incoming/")).containsExactly(KEY);
    // S3 recovers before the retry, however many of the faults the SDK's own attempts used up
    // (under load its attempt timing varies).
    faults.clear();

    assertThat(deliver(event).path("outcomes").path("DUPLICATE").asInt()).isEqualTo(1);
    assertExactlyOnce(event, 0);
    assertThat(ingestOutcomes()).containsExactlyInAnyOrder(OUTCOME, "DUPLICATE");
  }

  @Test
  void anS3StreamResetDuringTheLinkingPassIsReadAgainWithinTheAttempt() throws Exception {
    FaultyHttpClient.Rule reset =
        faults.add(s3("GET", "incoming/"), 2, 1, Fault.resetBodyAfter(2_000));
    String event = upload(extract(0));

    assertThat(deliver(event).path("outcomes").path(OUTCOME).asInt()).isEqualTo(1);
    assertThat(reset.fired()).isEqualTo(1);
    assertExactlyOnce(event, 0);
    assertThat(ingestOutcomes()).containsExactly(OUTCOME);
  }

  @Test
  void anS3StreamResetOnEveryReadOfTheLinkingPassFailsTheAttemptAndTheRetryFinishes()
      throws Exception {
    // each window is read at most 4 times (S3ObjectStore.WINDOW_ATTEMPTS): all 4 reset
    FaultyHttpClient.Rule reset =
        faults.add(s3("GET", "incoming/"), 2, 4, Fault.resetBodyAfter(2_000));
    String event = upload(extract(0));

    assertThatThrownBy(() -> deliver(event)).isNotNull();
    assertThat(reset.fired()).isEqualTo(4);

    deliver(event);
    assertExactlyOnce(event, 0);
  }

  @Test
  void anObjectReplacedDuringTheLinkingPassIsFinishedAndTheNewerUploadKeptForItsOwnEvent()
      throws Exception {
    String first = upload(extract(0));
    String[] second = new String[1];
    faults.add(
        dynamo("TransactWriteItems"), 1, 1, Fault.before(() -> second[0] = upload(extract(1))));

    assertThat(deliver(first).path("outcomes").path(OUTCOME).asInt()).isEqualTo(1);
    assertThat(keys("incoming/")).as("the newer upload was not deleted").containsExactly(KEY);

    deliver(second[0]);
    assertExactlyOnce(second[0], 1);
  }

  @Test
  void anObjectReplacedJustBeforeTheDeleteIsKeptForItsOwnEvent() throws Exception {
    String first = upload(extract(0));
    String[] second = new String[1];
    faults.add(dynamo("PutItem"), 1, 1, Fault.before(() -> second[0] = upload(extract(1))));

    assertThat(deliver(first).path("outcomes").path(OUTCOME).asInt()).isEqualTo(1);
    assertThat(keys("incoming/")).containsExactly(KEY);

    deliver(second[0]);
    assertExactlyOnce(second[0], 1);
  }

  @Test
  void twoConcurrentDeliveriesOfTheSameEventLinkTheFileOnce() throws Exception {
    String event = upload(extract(0));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<JsonNode> a = pool.submit(() -> deliver(event));
      Future<JsonNode> b = pool.submit(() -> deliver(event));
      List<String> outcomes = new ArrayList<>();
      for (JsonNode r : List.of(a.get(), b.get())) {
        r.path("outcomes").fieldNames().forEachRemaining(outcomes::add);
      }
      assertThat(outcomes).containsExactlyInAnyOrder(OUTCOME, "DUPLICATE");
    } finally {
      pool.shutdownNow();
    }
    assertExactlyOnce(event, 0);
  }

  @Test
  void anInvocationRunningOutOfTimeContinuesThroughItsQueueAndTheFileCompletesOnce()
      throws Exception {
    String event = upload(extract(0));
    // 200 s left after the first chunk, 30 s a chunk, margin 90 s: five chunks, then a pause
    JsonNode first = deliver(event, invocation(200_000, 30_000));
    assertThat(first.path("outcomes").path("CONTINUED").asInt()).isEqualTo(1);
    assertThat(records()).hasSize(50);
    assertThat(continuationMessages).hasSize(1);
    assertThat(continuationMessages.get(0)).doesNotContain("Person", "1990-");

    int invocations = 1;
    while (!continuationMessages.isEmpty()) {
      String body = continuationMessages.remove(0);
      String sqsEvent =
          JSON.createObjectNode()
              .set(
                  "Records",
                  JSON.createArrayNode()
                      .add(
                          JSON.createObjectNode()
                              .put("eventSource", "aws:sqs")
                              .put("messageId", "m" + invocations)
                              .put("body", body)))
              .toString();
      deliver(sqsEvent, invocation(200_000, 30_000));
      invocations++;
    }

    assertThat(invocations).isEqualTo(2);
    assertExactlyOnce(event, 0);
    assertThat(
            items(LocalFamilyLink.AUDIT_TABLE).stream()
                .filter(i -> "INGEST".equals(i.get("kind").s()))
                .map(i -> i.get("details").m().get("rowsLinked").n()))
        .as("the audit counts the rows of both invocations")
        .containsExactly(Integer.toString(VALID_ROWS));
  }

  @Test
  void aThenBThenAUnderTheSameKeyEndsWithAsValues() throws Exception {
    deliver(upload(extract(0)));
    deliver(upload(extract(1)));
    String again = upload(extract(0));
    assertThat(deliver(again).path("outcomes").path(OUTCOME).asInt())
        .as("A re-sent is a new version, not a duplicate")
        .isEqualTo(1);

    assertExactlyOnce(again, 0);
    assertThat(keys("reports/")).as("one report per version").hasSize(6);
  }
}
