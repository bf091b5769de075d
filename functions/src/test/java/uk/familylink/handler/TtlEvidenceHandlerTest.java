package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.TtlEvidence;
import uk.familylink.fakes.InMemoryAuditLog;

class TtlEvidenceHandlerTest {

  private static final String TOKEN = "CANARYtokQ2FuYXJ5VG9rZW4";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Refuses duplicates with DynamoDbAuditLog's own exception, so the handler's recogniser is
   * exercised.
   */
  private final InMemoryAuditLog stored = new InMemoryAuditLog();

  private final java.util.Set<String> keys = new java.util.HashSet<>();
  private final TtlEvidence evidence =
      new TtlEvidence(
          e -> {
            if (!keys.add(e.at() + "#" + e.id())) {
              throw new DynamoDbAuditLog.DuplicateAuditEntryException(e.id());
            }
            stored.append(e);
          },
          new RetentionPolicy(LocalDate.parse("2026-03-31"), 0),
          Period.ofYears(1),
          TtlEvidenceHandler::isDuplicateEntry,
          Clock.fixed(Instant.parse("2026-08-05T01:00:00Z"), ZoneOffset.UTC));
  private final TtlEvidenceHandler handler = new TtlEvidenceHandler(evidence);

  private JsonNode invoke(String resource) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream event = getClass().getResourceAsStream(resource)) {
      handler.handleRequest(event, out, null);
    }
    return JSON.readTree(out.toByteArray());
  }

  @Test
  void countsTheSampleEventsTtlRemovalsOnly() throws IOException {
    JsonNode response = invoke("/events/dynamodb-stream-ttl.json");

    assertThat(response.get("ttlDeletions").asLong()).isEqualTo(5);
    assertThat(response.get("ignored").asInt()).isEqualTo(3);
    assertThat(response.get("recorded").asInt()).isEqualTo(1);
    AuditEntry entry = stored.entries().get(0);
    assertThat(entry.kind()).isEqualTo("TTL_DELETIONS");
    assertThat(entry.at()).isEqualTo(Instant.parse("2026-08-05T00:00:04Z"));
    assertThat(entry.details())
        .containsEntry("day", "2026-08-05")
        .containsEntry("ttlDeletions", 5L)
        .containsEntry("deleted.PERSON", 1L)
        .containsEntry("deleted.ID", 1L)
        .containsEntry("deleted.REC", 1L)
        .containsEntry("deleted.MERGE", 1L)
        .containsEntry("deleted.FAMILY", 1L)
        .containsEntry("deleted.FILE", 0L)
        .containsEntry("firstSequenceNumber", "111100000000000000000000001")
        .containsEntry("lastSequenceNumber", "111100000000000000000000005");
    assertThat(entry.toString()).doesNotContain(TOKEN);
    assertThat(response.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aSecondDeliveryOfTheSameBatchRecordsNothingNew() throws IOException {
    invoke("/events/dynamodb-stream-ttl.json");
    JsonNode again = invoke("/events/dynamodb-stream-ttl.json");

    assertThat(again.get("recorded").asInt()).isZero();
    assertThat(again.get("alreadyRecorded").asInt()).isEqualTo(1);
    assertThat(stored.entries()).hasSize(1);
  }

  @Test
  void theAwsLibrarySampleHasNoTtlDeletion() throws IOException {
    // Its INSERT carries the TTL identity and its REMOVE none: neither is evidence.
    JsonNode response = invoke("/events/dynamodb-stream-java-libs.json");

    assertThat(response.get("ttlDeletions").asLong()).isZero();
    assertThat(response.get("ignored").asInt()).isEqualTo(3);
    assertThat(stored.entries()).isEmpty();
  }

  @Test
  void aMalformedEventFailsWithoutEchoingItsContent() {
    byte[] bad =
        ("{\"Records\": [{\"dynamodb\": {\"Keys\": {\"pk\": {\"S\": \"ID#NHS#" + TOKEN + "\"")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream(bad), new ByteArrayOutputStream(), null))
        .isInstanceOf(IOException.class)
        .hasMessageNotContaining(TOKEN)
        .hasNoCause();
  }
}
