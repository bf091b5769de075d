package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbAuditReader;
import uk.familylink.domain.access.AuditTrail;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.SweepResult;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.domain.retention.TtlEvidence;
import uk.familylink.handler.TtlEvidenceHandler;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.LocalSweep;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * Time travel with DynamoDB TTL doing part of the work first, then the retention sweep doing the
 * rest, and the audit accounting for every item between the two.
 *
 * <p>Real: the population ingested through the real ingest handler; DynamoDB Local (as a server)
 * with the linked table's stream enabled as in template.yaml (NEW_AND_OLD_IMAGES); the deletions
 * and the REMOVE records they leave in that stream, read back through the DynamoDB Streams API; the
 * real {@link TtlEvidenceHandler} given those records as Lambda's JSON event and writing to the
 * audit table through {@link DynamoDbAuditLog}; the real sweep; the audit read as {@code audit
 * --totals} reads it.
 *
 * <p>Simulated: who deletes. DynamoDB Local never runs TTL, so {@link TtlServiceStandIn} deletes
 * part of the expired items as of an injected date, and the records it leaves get the TTL service's
 * {@code userIdentity} when turned into the Lambda event (the one field DynamoDB Local cannot
 * give). The event-source mapping (template filter, batches of at most 500) is played by this test.
 * The records' ApproximateCreationDateTime is DynamoDB Local's own (wall-clock) time, so the {@code
 * TTL_DELETIONS} entries fall on today's date, not in 2032. The handler is built as
 * TtlEvidenceWiring builds it, not by it (that class reads the Lambda environment and makes its own
 * client).
 */
class TtlThenSweepTimeTravelTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant INGESTED = Instant.parse("2026-06-01T09:00:00Z");
  private static final RetentionPolicy RETENTION = LocalSweep.localRetention();

  /**
   * TTL typically deletes within days of expiry; here it has got through part of the table by
   * 06:00.
   */
  private static final Instant TTL_RUN = RETENTION.expiresAt().plusSeconds(6 * 3600);

  private static final Instant EVIDENCE_RECORDED = TTL_RUN.plusSeconds(60);
  private static final Instant SWEEP_RUN = RETENTION.expiresAt().plusSeconds(86_400);

  /** The TTL-evidence function's BatchSize in template.yaml. */
  private static final int BATCH_SIZE = 500;

  private EmbeddedAws aws;
  private LinkedTableStream stream;
  private AuditTrail trail;

  @BeforeEach
  void ingestASmallPopulation() throws Exception {
    // DynamoDB Local as a server, read through the streams API over HTTP: its in-process streams
    // client (2.6.1) hands ApproximateCreationDateTime over in milliseconds where seconds are
    // expected (records dated in the year 58868); over the wire it is correct epoch seconds.
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.SERVER));
    Path home = workDir;
    Clock clock = Clock.fixed(INGESTED, ZoneOffset.UTC);
    LocalFamilyLink familyLink = LocalFamilyLink.start(aws, home, clock);
    LocalFamilyLink.enableLinkedTableStream(aws);
    LocalSweep.ingestSyntheticPopulation(familyLink, 30, 11, home, clock);
    queueAReview(familyLink);
    stream = LinkedTableStream.of(aws, LocalFamilyLink.TABLE);
    trail = new AuditTrail(new DynamoDbAuditReader(aws.dynamoDb(), LocalFamilyLink.AUDIT_TABLE));
  }

  /**
   * A possible-link review of two of the persons, as tier 3 queues one, expiring with them: swept
   * and accounted for like every other kind.
   */
  private void queueAReview(LocalFamilyLink familyLink) {
    List<Map<String, AttributeValue>> persons =
        items(LocalFamilyLink.TABLE).stream()
            .filter(i -> "PERSON".equals(i.get("sk").s()))
            .limit(2)
            .toList();
    long expiresAt = Long.parseLong(persons.get(0).get("expiresAt").n());
    java.util.EnumMap<
            uk.familylink.domain.linkage.MatchModel.Field,
            uk.familylink.domain.linkage.MatchModel.Level>
        levels = new java.util.EnumMap<>(uk.familylink.domain.linkage.MatchModel.Field.class);
    uk.familylink.domain.linkage.MatchScore score =
        new uk.familylink.domain.linkage.MatchScore(
            levels, false, 12.0, uk.familylink.domain.linkage.MatchScore.Decision.POSSIBLE, "m");
    familyLink
        .linkStore()
        .reviewQueue()
        .orElseThrow()
        .queue(
            List.of(
                uk.familylink.domain.linkage.LinkReview.pending(
                    new uk.familylink.domain.linkage.PersonId(
                        persons.get(0).get("pk").s().substring("PERSON#".length())),
                    new uk.familylink.domain.linkage.PersonId(
                        persons.get(1).get("pk").s().substring("PERSON#".length())),
                    "health",
                    "token",
                    score,
                    INGESTED,
                    expiresAt)),
            INGESTED);
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.close();
    }
    aws.close();
  }

  private List<Map<String, AttributeValue>> items(String table) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(table).consistentRead(true))
        .items()
        .forEach(out::add);
    return out;
  }

  /**
   * Items of the linked table by kind, as the sweep and the evidence name kinds (pk prefix; merges
   * by sk).
   */
  private Map<String, Long> kinds() {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, AttributeValue> item : items(LocalFamilyLink.TABLE)) {
      String pk = item.get("pk").s();
      String kind = "MERGE".equals(item.get("sk").s()) ? "MERGE" : pk.substring(0, pk.indexOf('#'));
      out.merge(kind, 1L, Long::sum);
    }
    return out;
  }

  private List<String> objects() {
    List<String> keys = new ArrayList<>();
    aws.s3()
        .listObjectsV2Paginator(b -> b.bucket(aws.bucket()))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  /**
   * What the event-source mapping would invoke the function with: the template's filter, then
   * batches.
   */
  private static List<byte[]> batchesForTheFunction(ObjectNode... events) throws IOException {
    List<JsonNode> passing = new ArrayList<>();
    for (ObjectNode event : events) {
      event
          .path("Records")
          .forEach(
              r -> {
                if (LinkedTableStream.passesTemplateFilter(r)) {
                  passing.add(r);
                }
              });
    }
    List<byte[]> batches = new ArrayList<>();
    for (int from = 0; from < passing.size(); from += BATCH_SIZE) {
      ObjectNode batch = JSON.createObjectNode();
      ArrayNode records = batch.putArray("Records");
      passing.subList(from, Math.min(passing.size(), from + BATCH_SIZE)).forEach(records::add);
      batches.add(JSON.writeValueAsBytes(batch));
    }
    return batches;
  }

  /**
   * One invocation of the real handler, wired as TtlEvidenceWiring wires it (audit log on the audit
   * table, the deployment's retention, the default audit retention, the duplicate recogniser) but
   * on the local client and an injected clock; a fresh one per invocation, as after a cold start.
   */
  private JsonNode invokeTtlEvidence(byte[] event) throws IOException {
    TtlEvidence evidence =
        new TtlEvidence(
            new DynamoDbAuditLog(aws.dynamoDb(), LocalFamilyLink.AUDIT_TABLE),
            RETENTION,
            SweepSettings.DEFAULT_AUDIT_RETENTION,
            Clock.fixed(EVIDENCE_RECORDED, ZoneOffset.UTC));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TtlEvidenceHandler(evidence).handleRequest(new ByteArrayInputStream(event), out, null);
    return JSON.readTree(out.toByteArray());
  }

  /**
   * TTL deletions by key ({@code deleted.<kind>}, {@code ttlDeletions}) over the days given, as
   * {@code audit --totals} sums them.
   */
  private Map<String, Long> ttlTotals(LocalDate from, LocalDate to) {
    Map<String, Long> out = new TreeMap<>();
    TtlEvidence.dailyTotals(trail.list(from, to, TtlEvidence.AUDIT_KIND))
        .values()
        .forEach(day -> day.forEach((k, n) -> out.merge(k, n, Long::sum)));
    return out;
  }

  private static long number(Object value) {
    return new BigDecimal(value.toString()).longValueExact();
  }

  @Test
  void ttlDeletesPartThenTheSweepTheRestAndTheAuditAccountsForEveryItemOnce() throws IOException {
    // Before: what is stored, counted by scanning (tests may scan).
    Map<String, Long> before = kinds();
    long auditBefore = items(LocalFamilyLink.AUDIT_TABLE).size();
    long reportsBefore = objects().stream().filter(k -> k.startsWith("reports/")).count();
    assertThat(before).containsKeys("ID", "PERSON", "REC", "FAMILY", "FILE", "REVIEW");
    assertThat(auditBefore).isEqualTo(7); // one INGEST entry per dataset
    assertThat(reportsBefore).isEqualTo(14);

    // The ingest's own writes are in the stream, none of them attributed to the TTL service.
    List<Record> ingestRecords = stream.readNew();
    assertThat(ingestRecords)
        .hasSizeGreaterThanOrEqualTo(
            (int) before.values().stream().mapToLong(Long::longValue).sum());
    assertThat(ingestRecords).allSatisfy(r -> assertThat(r.userIdentity()).isNull());

    // TTL (the stand-in) works through every other expired item by 06:00 on the first day after
    // expiry.
    int[] seen = {0};
    List<Map<String, AttributeValue>> ttlDeleted =
        new TtlServiceStandIn(aws.dynamoDb(), LocalFamilyLink.TABLE)
            .deleteExpired(TTL_RUN, item -> seen[0]++ % 2 == 0);
    Map<String, Long> afterTtl = kinds();
    assertThat(ttlDeleted).isNotEmpty();
    assertThat(afterTtl).isNotEmpty(); // part of the work only
    assertThat(afterTtl.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(before.values().stream().mapToLong(Long::longValue).sum() - ttlDeleted.size());

    // Its deletions, as DynamoDB Local's stream has them: one REMOVE with the old image per item.
    List<Record> ttlRecords = stream.readNew();
    assertThat(ttlRecords)
        .hasSameSizeAs(ttlDeleted)
        .allSatisfy(
            r -> {
              assertThat(r.eventName()).isEqualTo(OperationType.REMOVE);
              assertThat(r.dynamodb().hasOldImage()).isTrue();
              assertThat(r.userIdentity()).isNull(); // DynamoDB Local never says who deleted
            });
    Set<Map<String, AttributeValue>> recordKeys = new HashSet<>();
    ttlRecords.forEach(r -> recordKeys.add(r.dynamodb().keys()));
    assertThat(recordKeys).isEqualTo(new HashSet<>(ttlDeleted));

    // The event-source mapping: the ingest's records do not pass the template's filter; the TTL
    // removals do.
    List<byte[]> batches =
        batchesForTheFunction(
            stream.asLambdaEvent(ingestRecords, false), stream.asLambdaEvent(ttlRecords, true));
    long counted = 0;
    int entries = 0;
    for (byte[] batch : batches) {
      JsonNode response = invokeTtlEvidence(batch);
      assertThat(response.get("unusable").asInt()).isZero();
      assertThat(response.get("ignored").asInt()).isZero();
      counted += response.get("ttlDeletions").asLong();
      entries += response.get("recorded").asInt();
    }
    assertThat(counted).isEqualTo(ttlDeleted.size());

    TreeSet<LocalDate> days = new TreeSet<>();
    ttlRecords.forEach(
        r ->
            days.add(
                LocalDate.ofInstant(r.dynamodb().approximateCreationDateTime(), ZoneOffset.UTC)));
    Map<String, Long> ttlTotals = ttlTotals(days.first(), days.last());
    assertThat(ttlTotals).containsEntry("ttlDeletions", (long) ttlDeleted.size());

    // The same batches delivered again (a retried invocation) add nothing.
    int alreadyRecorded = 0;
    for (byte[] batch : batches) {
      JsonNode again = invokeTtlEvidence(batch);
      assertThat(again.get("recorded").asInt()).isZero();
      alreadyRecorded += again.get("alreadyRecorded").asInt();
    }
    assertThat(alreadyRecorded).isEqualTo(entries);
    assertThat(ttlTotals(days.first(), days.last())).isEqualTo(ttlTotals);

    // The sweep, a day after expiry, destroys the rest. Earliest month as template.yaml's default
    // SweepEarliestMonth (the local default, 2020-01, costs 48 more months of index queries over
    // HTTP).
    SweepSettings settings =
        SweepSettings.defaults(RETENTION, aws.bucket()).withEarliestMonth(YearMonth.of(2024, 1));
    SweepResult result =
        LocalSweep.sweep(
                aws, LocalSweep.expiredItems(aws), settings, Clock.fixed(SWEEP_RUN, ZoneOffset.UTC))
            .run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(SweepResult.Status.COMPLETE);
    assertThat(items(LocalFamilyLink.TABLE)).isEmpty();
    assertThat(objects()).isEmpty();
    // What remains in the audit: the evidence, nothing else (the INGEST entries expired with the
    // data).
    List<Map<String, AttributeValue>> audit = items(LocalFamilyLink.AUDIT_TABLE);
    assertThat(audit)
        .extracting(i -> i.get("kind").s())
        .containsOnly("DESTRUCTION", TtlEvidence.AUDIT_KIND)
        .filteredOn("DESTRUCTION"::equals)
        .hasSize(1);
    assertThat(audit)
        .filteredOn(i -> i.get("kind").s().equals(TtlEvidence.AUDIT_KIND))
        .hasSize(entries);

    LocalDate sweepDay = LocalDate.ofInstant(SWEEP_RUN, ZoneOffset.UTC);
    List<AuditEntry> destruction = trail.list(sweepDay, sweepDay, "DESTRUCTION");
    assertThat(destruction).hasSize(1);
    Map<String, Object> destroyed = destruction.get(0).details();
    assertThat(number(destroyed.get("deleted.AUDIT"))).isEqualTo(auditBefore);
    assertThat(number(destroyed.get("objects.reports"))).isEqualTo(reportsBefore);
    assertThat(number(destroyed.get("remainingItems"))).isZero();

    // Every item stored before is accounted for exactly once: by TTL's evidence or by the sweep.
    SortedMap<String, Long> accounted = new TreeMap<>();
    Set<String> kinds = new TreeSet<>(before.keySet());
    ttlTotals.keySet().stream()
        .filter(k -> k.startsWith("deleted."))
        .forEach(k -> kinds.add(k.substring(8)));
    destroyed.keySet().stream()
        .filter(k -> k.startsWith("deleted.") && !k.equals("deleted.AUDIT"))
        .forEach(k -> kinds.add(k.substring(8)));
    for (String kind : kinds) {
      long byTtl = ttlTotals.getOrDefault("deleted." + kind, 0L);
      long bySweep =
          destroyed.containsKey("deleted." + kind) ? number(destroyed.get("deleted." + kind)) : 0;
      accounted.put(kind, byTtl + bySweep);
    }
    accounted.values().removeIf(n -> n == 0);
    assertThat(accounted).isEqualTo(before);
    // Both did part of the work, across several kinds.
    assertThat(ttlTotals.entrySet())
        .filteredOn(e -> e.getKey().startsWith("deleted.") && e.getValue() > 0)
        .hasSizeGreaterThan(2);
    // The sweep deleted exactly what TTL had left, kind by kind (and counted nothing TTL had
    // deleted).
    afterTtl.forEach((kind, n) -> assertThat(result.deleted(kind)).as(kind).isEqualTo(n));
    assertThat(result.deletedItems() - result.deleted("AUDIT"))
        .isEqualTo(afterTtl.values().stream().mapToLong(Long::longValue).sum());
  }
}
