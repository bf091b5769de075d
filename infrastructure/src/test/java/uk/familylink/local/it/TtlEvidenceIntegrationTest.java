package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbAuditReader;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.domain.access.AuditTrail;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.TtlEvidence;
import uk.familylink.handler.TtlEvidenceHandler;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * The TTL-evidence handler writing to DynamoDB Local's audit table through {@link
 * DynamoDbAuditLog}.
 */
class TtlEvidenceIntegrationTest {

  private static final String TABLE = "ttl-evidence-audit";
  private static final String TOKEN = "CANARYtokQ2FuYXJ5VG9rZW4";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddedAws aws;
  private AuditTrail trail;

  @BeforeEach
  void start() {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    DynamoDbTables.createAuditTable(aws.dynamoDb(), TABLE);
    trail = new AuditTrail(new DynamoDbAuditReader(aws.dynamoDb(), TABLE));
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  /** A fresh handler per delivery, as after a cold start: nothing is remembered in memory. */
  private JsonNode deliver(byte[] event, Instant now) throws IOException {
    TtlEvidence evidence =
        new TtlEvidence(
            new DynamoDbAuditLog(aws.dynamoDb(), TABLE),
            new RetentionPolicy(LocalDate.parse("2026-03-31"), 0),
            Period.ofYears(1),
            TtlEvidenceHandler::isDuplicateEntry,
            Clock.fixed(now, ZoneOffset.UTC));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TtlEvidenceHandler(evidence).handleRequest(new ByteArrayInputStream(event), out, null);
    return JSON.readTree(out.toByteArray());
  }

  /**
   * The functions module's sample (with its source noted there); tests run in the module folder.
   */
  private static byte[] sample() throws IOException {
    return Files.readAllBytes(
        Path.of("../functions/src/test/resources/events/dynamodb-stream-ttl.json"));
  }

  private static String ttlRemove(String pk, long at, String seq) {
    return """
                {"eventName":"REMOVE","userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"},
                 "dynamodb":{"Keys":{"pk":{"S":"%s"},"sk":{"S":"ID"}},"ApproximateCreationDateTime":%d,"SequenceNumber":"%s"}}"""
        .formatted(pk, at, seq);
  }

  @Test
  void theSampleBatchIsRecordedOnceAndARetryCollidesWithIt() throws IOException {
    JsonNode first = deliver(sample(), Instant.parse("2026-08-05T01:00:00Z"));
    JsonNode retry = deliver(sample(), Instant.parse("2026-08-05T01:05:00Z"));

    assertThat(first.get("recorded").asInt()).isEqualTo(1);
    assertThat(retry.get("recorded").asInt()).isZero();
    assertThat(retry.get("alreadyRecorded").asInt()).isEqualTo(1);
    List<AuditEntry> listed =
        trail.list(LocalDate.parse("2026-08-05"), LocalDate.parse("2026-08-05"), "TTL_DELETIONS");
    assertThat(listed)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry("ttlDeletions", 5L)
                    .containsEntry("deleted.PERSON", 1L)
                    .containsEntry("deleted.MERGE", 1L)
                    .containsEntry("deleted.ID", 1L)
                    .containsEntry("deleted.REC", 1L)
                    .containsEntry("deleted.FAMILY", 1L)
                    // Recorded by the first delivery: the retry did not overwrite it.
                    .containsEntry("recordedAt", "2026-08-05T01:00:00Z"));
    assertThat(TtlEvidence.dailyTotals(listed).get(LocalDate.parse("2026-08-05")))
        .containsEntry("ttlDeletions", 5L);
  }

  @Test
  void aBatchAcrossMidnightIsSplitByDayAndTotalledPerDay() throws IOException {
    long beforeMidnight = Instant.parse("2026-08-05T23:59:59Z").getEpochSecond();
    long afterMidnight = Instant.parse("2026-08-06T00:00:01Z").getEpochSecond();
    String event =
        "{\"Records\":["
            + String.join(
                ",",
                ttlRemove("ID#NHS#" + TOKEN + "a", beforeMidnight, "900000000000000000001"),
                ttlRemove("ID#NHS#" + TOKEN + "b", afterMidnight, "900000000000000000002"),
                ttlRemove("ID#NHS#" + TOKEN + "c", afterMidnight, "900000000000000000003"))
            + "]}";
    deliver(event.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-08-06T00:01:00Z"));
    deliver(sample(), Instant.parse("2026-08-06T00:02:00Z"));

    var totals =
        TtlEvidence.dailyTotals(
            trail.list(
                LocalDate.parse("2026-08-05"), LocalDate.parse("2026-08-06"), "TTL_DELETIONS"));

    assertThat(totals.get(LocalDate.parse("2026-08-05")))
        .containsEntry("ttlDeletions", 6L)
        .containsEntry("deleted.ID", 2L);
    assertThat(totals.get(LocalDate.parse("2026-08-06")))
        .containsEntry("ttlDeletions", 2L)
        .containsEntry("deleted.ID", 2L);
  }

  @Test
  void noTokenIsStoredInTheAuditTable() throws IOException {
    deliver(sample(), Instant.parse("2026-08-05T01:00:00Z"));

    List<Map<String, AttributeValue>> items = aws.dynamoDb().scan(b -> b.tableName(TABLE)).items();
    assertThat(items).hasSize(1);
    assertThat(items.get(0).toString()).doesNotContain(TOKEN).contains("TTL_DELETIONS");
  }
}
