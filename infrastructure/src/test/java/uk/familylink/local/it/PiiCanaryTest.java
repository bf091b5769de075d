package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.adapter.metrics.EmfMetrics;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.release.ResearchReleaseService;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.statistics.Geography;
import uk.familylink.domain.statistics.StatisticsService;
import uk.familylink.handler.ResearchReleaseHandler;
import uk.familylink.handler.StatisticsHandler;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.S3Events;
import uk.familylink.report.ReleasePublisher;
import uk.familylink.report.StatisticsPublisher;

/**
 * P1: canaries planted in every identifying column of every dataset, in valid rows, invalid rows, a
 * broken header and a duplicate delivery, run through the real handler, must appear in no stored
 * item, no object left in the bucket, no report, no log line and no metric; nor in the family
 * outputs, the statistics release or a research release made from the same store (every file they
 * write, and their audit entries).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PiiCanaryTest {

  /** The local tool's folder, shared by the class's tests (keyring, logs); JUnit removes it. */
  @TempDir static Path workDir;

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");

  private Path home;

  private EmbeddedAws aws;
  private LocalFamilyLink familyLink;
  private final CanaryExtracts extracts = new CanaryExtracts();
  private final List<String> handlerResponses = new ArrayList<>();
  private List<String> logLines;
  private List<String> metricsLines;
  private String earlyHelpCsv;

  @BeforeAll
  void ingestCanaryExtracts() throws Exception {
    home = workDir;
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (LogCapture logs = LogCapture.attach()) {
      familyLink = LocalFamilyLink.start(aws, home, clock);
      S3Events events = new S3Events(clock, aws.region().id());
      for (DatasetContract contract : familyLink.contracts().all()) {
        String partner = contract.partners().get(0);
        String prefix = "incoming/" + partner + "/" + contract.dataset() + "/";
        String valid = extracts.csv(contract, 4);
        if (contract.dataset().equals("early-help")) {
          earlyHelpCsv = valid;
        }
        String event =
            deliver(events, prefix + "canary.csv", valid.getBytes(StandardCharsets.UTF_8));
        invoke(event); // the same event redelivered: a duplicate
        deliver(events, prefix + "invalid rows.csv", invalidRows(extracts.csv(contract, 3)));
        deliver(events, prefix + "broken header.csv", brokenHeader(extracts.csv(contract, 2)));
        // A correction: the same record references with other people's identifiers and families,
        // so ingest notes the persons and families it moved away from.
        deliver(events, prefix + "correction.csv", correction(valid, extracts.csv(contract, 4)));
      }
      produceOutputs(clock, events);
      producePublications(clock);
      askSubjectAccess(clock);
      logLines = logs.lines();
      metricsLines = logs.metricsLines();
    }
  }

  /**
   * Both outputs functions' runs and a caseload of Early Help's canary family references, so the
   * scans below cover every output file, caseload answer and audit entry they write.
   */
  private void produceOutputs(Clock clock, S3Events events) throws Exception {
    IngestSettings uploaders =
        IngestSettings.defaults(
            new RetentionPolicy(
                LocalFamilyLink.DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS));
    for (Purpose purpose : Purpose.values()) {
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      familyLink
          .outputsHandler(purpose, aws.bucket(), clock, uploaders)
          .handleRequest(
              new ByteArrayInputStream(
                  "{\"requester\": \"canary\"}".getBytes(StandardCharsets.UTF_8)),
              response,
              null);
      handlerResponses.add(response.toString(StandardCharsets.UTF_8));
    }
    // Early Help's ingested references (known families) and four it never sent
    DatasetContract earlyHelp = familyLink.contracts().find("early-help").orElseThrow();
    String[] lines =
        (earlyHelpCsv + extracts.csv(earlyHelp, 4).split("\r\n", 2)[1]).strip().split("\r\n", -1);
    int column = List.of(lines[0].split(",", -1)).indexOf("family_ref");
    StringBuilder caseload = new StringBuilder("family_ref\r\n");
    for (int i = 1; i < lines.length; i++) {
      caseload.append(lines[i].split(",", -1)[column]).append("\r\n");
    }
    // the caseload's own references are canaries too (CanaryExtracts remembers them)
    byte[] content = caseload.toString().getBytes(StandardCharsets.UTF_8);
    String key = "caseload/early-help/early-help/canary caseload.csv";
    PutObjectResponse put =
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromBytes(content));
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    familyLink
        .outputsHandler(Purpose.IDENTIFICATION, aws.bucket(), clock, uploaders)
        .handleRequest(
            new ByteArrayInputStream(
                events
                    .objectCreated(aws.bucket(), key, content.length, put.eTag(), "AWS:AIDACANARY")
                    .getBytes(StandardCharsets.UTF_8)),
            response,
            null);
    handlerResponses.add(response.toString(StandardCharsets.UTF_8));
  }

  /** Subject access responses to the JSON requests, in order (also in handlerResponses). */
  private final List<String> accessResponses = new ArrayList<>();

  /**
   * Subject access through the real handler for an Early Help row's own identifiers, and for the
   * same with a typo in the given name (a new value, remembered as a canary too), so the tier-3
   * match and its explanation are among the responses scanned.
   */
  private void askSubjectAccess(Clock clock) throws Exception {
    String[] lines = earlyHelpCsv.strip().split("\r\n", -1);
    List<String> header = List.of(lines[0].split(",", -1));
    String[] row = lines[1].split(",", -1);
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("givenName", row[header.indexOf("given_name")]);
    ids.put("familyName", row[header.indexOf("family_name")]);
    ids.put("dateOfBirth", row[header.indexOf("date_of_birth")]);
    ids.put("postcode", row[header.indexOf("postcode")]);
    ids.put("addressLine", row[header.indexOf("address_line")]);
    String given = ids.get("givenName");
    String typo = given.substring(0, 3) + given.substring(4);
    extracts.canaries().add(typo);
    extracts.canaries().add(typo.toUpperCase(Locale.ROOT));
    uk.familylink.handler.SubjectAccessHandler access =
        new uk.familylink.handler.SubjectAccessHandler(familyLink.subjectAccess(clock));
    for (Map<String, String> identifiers : List.of(ids, with(ids, "givenName", typo))) {
      String request =
          json.writeValueAsString(
              Map.of("requester", "DPO", "purpose", "canary", "identifiers", identifiers));
      invokeHandler(access, request);
      accessResponses.add(handlerResponses.get(handlerResponses.size() - 1));
    }
  }

  private static Map<String, String> with(Map<String, String> m, String key, String value) {
    Map<String, String> out = new LinkedHashMap<>(m);
    out.put(key, value);
    return out;
  }

  /**
   * A statistics release and a research release from the same canary store, through the real
   * statistics and release handlers (as the deployed functions wire them, the local keyring for the
   * release's key), written to the bucket where the scans below read every file.
   */
  private void producePublications(Clock clock) throws Exception {
    RetentionPolicy retention = LocalFamilyLink.localRetention();
    DisclosureControl control = new DisclosureControl(DisclosurePolicy.named("DFE"));
    DynamoDbAuditLog audit = new DynamoDbAuditLog(aws.dynamoDb(), LocalFamilyLink.AUDIT_TABLE);
    StatisticsService statistics =
        new StatisticsService(
            familyLink.linkedData(),
            EligibilityRule.supportingFamilies2022(),
            OutcomeSettings.supportingFamilies2022(),
            control,
            Geography.herefordshire(),
            audit,
            clock,
            retention::expiresAtEpochSecond);
    invokeHandler(
        new StatisticsHandler(
            new StatisticsPublisher(statistics, control, new S3ObjectStore(aws.s3()), aws.bucket()),
            new EmfMetrics("statistics", clock),
            clock),
        "{\"requester\": \"canary\"}");
    ResearchReleaseService release =
        new ResearchReleaseService(
            familyLink.linkedData(),
            new LocalKeyring(home.resolve("root.key")),
            EligibilityRule.supportingFamilies2022(),
            audit,
            clock,
            retention.programmeEnd().plusYears(retention.retentionYears()),
            retention::expiresAtEpochSecond);
    invokeHandler(
        new ResearchReleaseHandler(
            new ReleasePublisher(release, new S3ObjectStore(aws.s3()), aws.bucket())),
        "{\"releaseId\": \"canary-study\", \"study\": \"Canary study\", \"approver\": \"DPO\","
            + " \"purpose\": \"canary\", \"legalBasis\": \"test\", \"expiresOn\": \"2027-01-01\","
            + " \"k\": 2}");
  }

  private void invokeHandler(
      com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, String request)
      throws Exception {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), response, null);
    handlerResponses.add(response.toString(StandardCharsets.UTF_8));
  }

  /**
   * {@code other}'s rows under {@code original}'s record references (same header, same row count).
   */
  private static byte[] correction(String original, String other) {
    String[] originalLines = original.lines().toArray(String[]::new);
    String[] otherLines = other.lines().toArray(String[]::new);
    int ref = List.of(originalLines[0].split(",", -1)).indexOf("record_ref");
    StringBuilder out = new StringBuilder(otherLines[0]).append('\n');
    for (int i = 1; i < otherLines.length; i++) {
      String[] cells = otherLines[i].split(",", -1);
      cells[ref] = originalLines[i].split(",", -1)[ref];
      out.append(String.join(",", cells)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Every row's first identifying value replaced by an impossible date or a bad check digit (also
   * canaries).
   */
  private byte[] invalidRows(String csv) {
    String[] lines = csv.lines().toArray(String[]::new);
    StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
    for (int i = 1; i < lines.length; i++) {
      String bad = "31/02/19" + (40 + i);
      extracts.canaries().add(bad);
      // keep the row's canaries, and add one more that no validator accepts
      out.append(lines[i].replaceFirst("\\d{2}/\\d{2}/\\d{4}", bad)).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The first data row used as the header (a partner who forgot the header line). */
  private static byte[] brokenHeader(String csv) {
    String[] lines = csv.lines().toArray(String[]::new);
    return (lines[1] + "\r\n" + lines[2] + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  private String deliver(S3Events events, String key, byte[] content) throws Exception {
    PutObjectResponse put =
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromBytes(content));
    String json =
        events.objectCreated(aws.bucket(), key, content.length, put.eTag(), "AWS:AIDACANARY");
    invoke(json);
    return json;
  }

  private void invoke(String json) throws Exception {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    familyLink
        .handler()
        .handleRequest(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), response, null);
    handlerResponses.add(response.toString(StandardCharsets.UTF_8));
  }

  @AfterAll
  void stop() {
    aws.close();
  }

  private List<String> storedItems(String table) {
    List<String> items = new ArrayList<>();
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(table))
        .items()
        .forEach(item -> items.add(item.toString()));
    return items;
  }

  private List<String> bucketObjects() {
    List<String> contents = new ArrayList<>();
    aws.s3()
        .listObjectsV2Paginator(b -> b.bucket(aws.bucket()))
        .contents()
        .forEach(
            o ->
                contents.add(
                    o.key()
                        + "\n"
                        + aws.s3()
                            .getObjectAsBytes(b -> b.bucket(aws.bucket()).key(o.key()))
                            .asString(StandardCharsets.UTF_8)));
    return contents;
  }

  private void assertNoCanaryIn(String where, List<String> haystacks) {
    for (String haystack : haystacks) {
      String lower = haystack.toLowerCase(Locale.ROOT);
      for (String canary : extracts.canaries()) {
        assertThat(lower)
            .as("%s must not contain a planted identifier", where)
            .doesNotContain(canary.toLowerCase(Locale.ROOT));
      }
    }
  }

  @Test
  void theCanariesWereReallyIngested() {
    List<String> items = storedItems(LocalFamilyLink.TABLE);
    assertThat(items)
        .anyMatch(i -> i.contains("PERSON#"))
        .anyMatch(i -> i.contains("REC#"))
        .anyMatch(i -> i.contains("ID#NHS_NUMBER#"))
        .as("the correction left released-link notes")
        .anyMatch(i -> i.contains("RELEASED"));
    assertThat(extracts.canaries()).hasSizeGreaterThan(100);
    assertThat(handlerResponses)
        .anyMatch(r -> r.contains("DUPLICATE"))
        .anyMatch(r -> r.contains("REJECTED"))
        .anyMatch(r -> r.contains("\"ACCEPTED\""));
    assertThat(logLines)
        .as("the ingest logged its outcomes")
        .anyMatch(l -> l.contains("ingest.done"));
  }

  @Test
  void noCanaryInAnyStoredItem() {
    assertNoCanaryIn("linked-data table", storedItems(LocalFamilyLink.TABLE));
    assertNoCanaryIn("audit table", storedItems(LocalFamilyLink.AUDIT_TABLE));
  }

  @Test
  void noCanaryInAnyObjectLeftInTheBucketIncludingReports() {
    List<String> objects = bucketObjects();
    assertThat(objects).as("reports were written").anyMatch(o -> o.startsWith("reports/"));
    assertThat(objects).as("P2: no upload lingers").noneMatch(o -> o.startsWith("incoming/"));
    assertThat(objects).as("P2: no caseload lingers").noneMatch(o -> o.startsWith("caseload/"));
    assertThat(objects)
        .as("the outputs and the caseload answer were written")
        .anyMatch(o -> o.startsWith("outputs/identification/"))
        .anyMatch(o -> o.startsWith("outputs/evaluation/"))
        .anyMatch(o -> o.startsWith("reports/early-help/caseload/canary caseload.csv.eligibility"));
    // the caseload matched families Early Help had sent (answered, not NOT_KNOWN)
    assertThat(objects)
        .filteredOn(
            o -> o.startsWith("reports/early-help/caseload/canary caseload.csv.eligibility"))
        .singleElement()
        .asString()
        .containsPattern(",(NOT_)?ELIGIBLE,");
    assertNoCanaryIn("bucket object", objects);
  }

  @Test
  void subjectAccessWasAskedAndMatchedByTheIngestsRules() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(accessResponses).hasSize(2);
    for (String response : accessResponses) {
      assertThat(json.readTree(response).path("status").asText()).isEqualTo("ANSWERED");
    }
    // the exact identifiers by the exact key; the typo by a tier-3 score (its explanation is among
    // the responses the canary scan reads)
    assertThat(json.readTree(accessResponses.get(0)).at("/answer/matchedBy/basis").asText())
        .isEqualTo("NAME_AND_BIRTH_DATE");
    assertThat(json.readTree(accessResponses.get(1)).at("/answer/matchedBy/basis").asText())
        .isEqualTo("PROBABILISTIC");
  }

  @Test
  void noCanaryInAnyLogLineOrHandlerResponse() {
    assertNoCanaryIn("log line", logLines);
    assertNoCanaryIn("handler response", handlerResponses);
  }

  @Test
  void noCanaryInAnyMetric() {
    assertThat(metricsLines)
        .as("the ingest and the statistics function wrote EMF lines")
        .anyMatch(l -> l.contains("\"function\":\"ingest\"") && l.contains("RowsRejected"))
        .anyMatch(l -> l.contains("\"function\":\"statistics\""));
    assertNoCanaryIn("metrics line", metricsLines);
  }

  @Test
  void noCanaryInTheStatisticsOrResearchReleaseFilesOrTheirAuditEntries() {
    List<String> statistics =
        bucketObjects().stream().filter(o -> o.startsWith("statistics/")).toList();
    List<String> release =
        bucketObjects().stream().filter(o -> o.startsWith("exports/canary-study/")).toList();
    assertThat(handlerResponses).anyMatch(r -> r.contains("\"PUBLISHED\""));
    assertThat(statistics)
        .as("every kind of statistics file was written")
        .anyMatch(o -> o.contains("/report.html\n"))
        .anyMatch(o -> o.contains("/cells.csv\n"))
        .anyMatch(o -> o.contains(".meta.csv\n"))
        .anyMatch(o -> o.contains("/families_by_need.csv\n"));
    assertThat(release)
        .as("the release's rows and manifest were written")
        .anyMatch(o -> o.contains("/persons.csv\n"))
        .anyMatch(o -> o.contains("/manifest.json\n"));
    assertThat(release)
        .filteredOn(o -> o.contains("/persons.csv\n"))
        .singleElement()
        .as("released rows beside the header, so a leaked value would be there to find")
        .satisfies(o -> assertThat(o.strip().split("\n")).hasSizeGreaterThan(2));
    assertNoCanaryIn("statistics release file", statistics);
    assertNoCanaryIn("research release file", release);
    List<String> audits =
        storedItems(LocalFamilyLink.AUDIT_TABLE).stream()
            .filter(
                i ->
                    i.contains(StatisticsService.AUDIT_KIND)
                        || i.contains(ResearchReleaseService.AUDIT_KIND))
            .toList();
    assertThat(audits).as("both were audited").hasSizeGreaterThanOrEqualTo(2);
    assertNoCanaryIn("statistics or release audit entry", audits);
  }

  @Test
  void everyStoredItemCarriesANumericExpiry() {
    for (String table : List.of(LocalFamilyLink.TABLE, LocalFamilyLink.AUDIT_TABLE)) {
      aws.dynamoDb()
          .scanPaginator(b -> b.tableName(table))
          .items()
          .forEach(
              item -> {
                AttributeValue expiresAt = item.get("expiresAt");
                assertThat(expiresAt).as("expiresAt on %s", item.get("pk")).isNotNull();
                assertThat(expiresAt.n()).as("expiresAt must be a Number for TTL").isNotNull();
                assertThat(Long.parseLong(expiresAt.n()))
                    .isEqualTo(Instant.parse("2032-04-01T00:00:00Z").getEpochSecond());
              });
    }
  }
}
