package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * The real ingest handler, fed real-shaped S3 event JSON (the AWS sample, eventVersion and keys as
 * S3 sends them), against the in-JVM S3 emulator and DynamoDB Local.
 */
class IngestHandlerIntegrationTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String POLICE_HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n";

  /** Report keys name the version; the AWS sample event's sequencer stands for it here. */
  private static final String SAMPLE_TAG = "s0A1B2C3D4E5F678901";

  private EmbeddedAws aws;
  private LocalFamilyLink familyLink;

  @BeforeEach
  void start() throws Exception {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    familyLink = LocalFamilyLink.start(aws, workDir, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  /**
   * The AWS sample event (infrastructure/events/s3-put.json) pointed at our object, keys encoded as
   * S3 does.
   */
  private String realEvent(List<String[]> objects) throws Exception {
    ObjectNode event;
    try (InputStream in = getClass().getResourceAsStream("/events/s3-put.json")) {
      event = (ObjectNode) JSON.readTree(in);
    }
    ObjectNode template = (ObjectNode) event.withArray("Records").get(0);
    event.withArray("Records").removeAll();
    for (String[] object : objects) {
      ObjectNode record = template.deepCopy();
      record.put("eventVersion", "2.1");
      ((ObjectNode) record.path("s3").path("bucket")).put("name", aws.bucket());
      ObjectNode s3Object = (ObjectNode) record.path("s3").path("object");
      s3Object.put("key", URLEncoder.encode(object[0], StandardCharsets.UTF_8).replace("%2F", "/"));
      s3Object.put("eTag", object[1]);
      s3Object.put("size", Long.parseLong(object[2]));
      event.withArray("Records").add(record);
    }
    return JSON.writeValueAsString(event);
  }

  private String[] upload(String key, String csv) {
    byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
    String eTag =
        aws.s3()
            .putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromBytes(bytes))
            .eTag();
    return new String[] {key, eTag.replace("\"", ""), Integer.toString(bytes.length)};
  }

  private JsonNode invoke(String eventJson) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    familyLink
        .handler()
        .handleRequest(
            new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  private JsonNode report(String reportKey) throws Exception {
    return JSON.readTree(
        aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(reportKey)).asByteArray());
  }

  private long items(String skPrefix) {
    long[] n = {0};
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(LocalFamilyLink.TABLE))
        .items()
        .forEach(i -> n[0] += i.get("pk").s().startsWith(skPrefix) ? 1 : 0);
    return n[0];
  }

  private List<String> keys(String prefix) {
    List<String> keys = new ArrayList<>();
    aws.s3()
        .listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix(prefix))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  private static String policeRows(int people, int offset) {
    StringBuilder csv = new StringBuilder(POLICE_HEADER);
    for (int i = 0; i < people; i++) {
      int p = offset + i;
      csv.append("PR-")
          .append(p)
          .append(',')
          .append(CheckDigits.pncId(2001, 100 + p))
          .append(",Alex,Person")
          .append(CanaryExtracts.letters(p))
          .append(",1990-01-")
          .append(String.format("%02d", 1 + p % 28))
          .append(",HR1 2AB,")
          .append("2026-01-05,OFFENCE,SUSPECT\n");
    }
    return csv.toString();
  }

  @Test
  void aKeyWithSpacesArrivesEncodedAndIsIngestedReportedAndDeleted() throws Exception {
    String[] object =
        upload("incoming/police/police-incidents/January extract.csv", policeRows(5, 0));

    JsonNode response = invoke(realEvent(List.<String[]>of(object)));

    assertThat(response.path("outcomes").path("ACCEPTED").asInt()).isEqualTo(1);
    JsonNode report =
        report(
            "reports/police/police-incidents/January extract.csv." + SAMPLE_TAG + ".report.json");
    assertThat(report.path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(report.path("rows").path("valid").asInt()).isEqualTo(5);
    assertThat(items("PERSON#")).isEqualTo(5);
    assertThat(items("REC#")).isEqualTo(5);
    assertThat(keys("incoming/")).isEmpty();
  }

  @Test
  void everyRecordOfAnEventIsProcessed() throws Exception {
    String[] first = upload("incoming/police/police-incidents/a.csv", policeRows(3, 0));
    String[] second = upload("incoming/police/police-incidents/b.csv", policeRows(3, 100));

    JsonNode response = invoke(realEvent(List.of(first, second)));

    assertThat(response.path("records").asInt()).isEqualTo(2);
    assertThat(response.path("outcomes").path("ACCEPTED").asInt()).isEqualTo(2);
    assertThat(items("REC#")).isEqualTo(6);
  }

  @Test
  void eachInvocationWritesOneEmfLineWithTheFilesRowsAndLinksCounts() throws Exception {
    // 20 people, one row whose incident date is not a date (rejected: the column is required), one
    // whose person role is not a code (kept with that cell left out); then a file about two of the
    // same people.
    String first =
        policeRows(20, 0)
            + "PR-X,"
            + CheckDigits.pncId(2001, 901)
            + ",Alex,Undated,1990-02-01,HR1 2AB,not-a-date,OFFENCE,SUSPECT\n"
            + "PR-Y,"
            + CheckDigits.pncId(2001, 900)
            + ",Alex,Roleless,1990-03-01,HR1 2AB,2026-01-05,OFFENCE,NOT_A_ROLE\n";
    JsonNode firstReport;
    List<String> lines;
    try (LogCapture logs = LogCapture.attach()) {
      invoke(realEvent(List.<String[]>of(upload("incoming/police/police-incidents/a.csv", first))));
      firstReport = report("reports/police/police-incidents/a.csv." + SAMPLE_TAG + ".report.json");
      invoke(
          realEvent(
              List.<String[]>of(
                  upload("incoming/police/police-incidents/b.csv", policeRows(2, 0)))));
      lines = logs.metricsLines();
    }

    assertThat(lines).as("one EMF line per invocation").hasSize(2);
    JsonNode one = JSON.readTree(lines.get(0));
    JsonNode directive = one.path("_aws").path("CloudWatchMetrics").path(0);
    assertThat(directive.path("Namespace").asText()).isEqualTo("FamilyLink");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"function\"]]");
    assertThat(one.path("function").asText()).isEqualTo("ingest");
    assertThat(one.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
    List<String> declared = new ArrayList<>();
    directive.path("Metrics").forEach(m -> declared.add(m.path("Name").asText()));
    assertThat(declared)
        .contains(
            "FilesAcceptedWithErrors",
            "RowsAccepted",
            "RowsDroppedCell",
            "RowsRejected",
            "LinksTier1",
            "LinksTier2",
            "PersonsCreated",
            "Conflicts",
            "RaceRetries",
            "IngestDuration");
    declared.forEach(name -> assertThat(one.has(name)).as(name + " has a value").isTrue());
    assertThat(firstReport.path("rows").path("invalid").asLong()).isEqualTo(1);
    assertThat(firstReport.path("rows").path("keptWithValuesLeftOut").asLong()).isEqualTo(1);
    assertThat(one.path("RowsRejected").asLong()).isEqualTo(1);
    assertThat(one.path("RowsDroppedCell").asLong()).isEqualTo(1);
    assertThat(one.path("RowsAccepted").asLong()).isEqualTo(20);
    assertThat(one.path("RowsLinked").asLong()).isEqualTo(21);
    assertThat(one.path("PersonsCreated").asLong()).isEqualTo(21);
    assertThat(one.path("LinksTier1").asLong()).isZero();
    assertThat(one.path("FilesAcceptedWithErrors").asLong()).isEqualTo(1);

    JsonNode two = JSON.readTree(lines.get(1));
    assertThat(two.path("FilesAccepted").asLong()).isEqualTo(1);
    assertThat(two.path("RowsAccepted").asLong()).isEqualTo(2);
    assertThat(two.path("LinksTier1").asLong()).as("both people known by PNC ID").isEqualTo(2);
    assertThat(two.path("PersonsCreated").asLong()).isZero();
    assertThat(two.has("FilesAcceptedWithErrors")).as("counts of the earlier invocation").isFalse();
  }

  @Test
  void aRedeliveredEventDuplicatesNothingAndIsRecordedAsADuplicate() throws Exception {
    String csv = policeRows(4, 0);
    String[] object = upload("incoming/police/police-incidents/a.csv", csv);
    String event = realEvent(List.<String[]>of(object));
    invoke(event);
    long before = items("");
    upload(
        "incoming/police/police-incidents/a.csv",
        csv); // same bytes, same ETag: the same object version

    JsonNode second = invoke(event);

    assertThat(second.path("outcomes").path("DUPLICATE").asInt()).isEqualTo(1);
    assertThat(items("")).isEqualTo(before);
    List<String> outcomes = new ArrayList<>();
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(LocalFamilyLink.AUDIT_TABLE))
        .items()
        .forEach(i -> outcomes.add(i.get("details").m().get("outcome").s()));
    assertThat(outcomes).containsExactlyInAnyOrder("ACCEPTED", "DUPLICATE");
    assertThat(keys("incoming/")).isEmpty();
  }

  @Test
  void malformedFilesGetReportsWithReasonsAndWriteNothing() throws Exception {
    List<String[]> objects =
        List.of(
            upload("incoming/police/police-incidents/empty.csv", ""),
            upload("incoming/police/police-incidents/binary.csv", "\u0000\u0001\u0002PK"),
            upload(
                "incoming/police/police-incidents/no header.csv",
                policeRows(2, 0).substring(POLICE_HEADER.length())),
            upload(
                "incoming/police/police-incidents/quote.csv",
                POLICE_HEADER + "PR-1,\"unterminated,Alex\n"),
            upload("incoming/police/unknown-dataset/x.csv", policeRows(2, 0)));

    JsonNode response = invoke(realEvent(objects));

    assertThat(response.path("outcomes").path("REJECTED").asInt()).isEqualTo(5);
    assertThat(items("PERSON#") + items("REC#") + items("ID#") + items("FAMILY#"))
        .as("nothing is half-written: only the file ledger records that the files were seen")
        .isZero();
    assertThat(
            report("reports/police/police-incidents/empty.csv." + SAMPLE_TAG + ".report.json")
                .path("counts")
                .has("EMPTY_FILE"))
        .isTrue();
    assertThat(
            report("reports/police/police-incidents/binary.csv." + SAMPLE_TAG + ".report.json")
                .path("counts")
                .has("BINARY_CONTENT"))
        .isTrue();
    assertThat(
            report("reports/police/police-incidents/no header.csv." + SAMPLE_TAG + ".report.json")
                .path("status")
                .asText())
        .isEqualTo("REJECTED");
    assertThat(
            report("reports/police/police-incidents/quote.csv." + SAMPLE_TAG + ".report.json")
                .path("status")
                .asText())
        .isEqualTo("REJECTED");
    assertThat(
            report("reports/police/unknown-dataset/x.csv." + SAMPLE_TAG + ".report.json")
                .path("counts")
                .has("UNKNOWN_DATASET"))
        .isTrue();
    assertThat(keys("incoming/")).isEmpty();
  }

  @Test
  void concurrentIngestsAboutTheSamePeopleCreateNoDuplicatePersons() throws Exception {
    // Four files, each about the same 60 people, delivered at once (as S3 does for parallel
    // uploads).
    List<String> events = new ArrayList<>();
    for (int f = 0; f < 4; f++) {
      String csv = policeRows(60, 0).replace("PR-", "F" + f + "-");
      events.add(
          realEvent(
              List.<String[]>of(
                  upload("incoming/police/police-incidents/part" + f + ".csv", csv))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<JsonNode>> results = new ArrayList<>();
    for (String event : events) {
      results.add(pool.submit((Callable<JsonNode>) () -> invoke(event)));
    }
    for (Future<JsonNode> result : results) {
      assertThat(result.get().path("outcomes").path("ACCEPTED").asInt()).isEqualTo(1);
    }
    pool.shutdown();

    assertThat(items("PERSON#"))
        .as("one person per real person, whatever the interleaving")
        .isEqualTo(60);
    assertThat(items("REC#")).isEqualTo(240);
    assertThat(items("ID#PNC_ID#")).isEqualTo(60);
  }
}
