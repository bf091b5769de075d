package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbAuditReader;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.domain.access.AuditTrail;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * {@link DynamoDbAuditReader} against DynamoDB Local: what the audit log writes, the reader lists,
 * by day and kind.
 */
class DynamoDbAuditReaderTest {

  private static final String TABLE = "audit-reader-test";
  private EmbeddedAws aws;
  private DynamoDbAuditLog log;
  private AuditTrail trail;

  @BeforeEach
  void start() {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    DynamoDbTables.createAuditTable(aws.dynamoDb(), TABLE);
    log = new DynamoDbAuditLog(aws.dynamoDb(), TABLE);
    trail = new AuditTrail(new DynamoDbAuditReader(aws.dynamoDb(), TABLE));
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private AuditEntry append(String id, String at, String kind) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rowsValid", 42L);
    details.put("dataset", "health");
    details.put("datasets", List.of("a", "b"));
    AuditEntry entry = new AuditEntry(id, Instant.parse(at), kind, details, 1_900_000_000L);
    log.append(entry);
    return entry;
  }

  @Test
  void entriesComeBackAsWrittenInTimeOrderWithinTheRange() {
    append("before", "2026-05-31T23:59:59.999Z", "INGEST");
    append("late", "2026-06-02T23:59:59Z", "INGEST");
    append("early", "2026-06-01T00:00:00Z", "INGEST");
    append("middle", "2026-06-01T12:00:00Z", "SUBJECT_ACCESS");
    append("after", "2026-06-03T00:00:00Z", "INGEST");

    List<AuditEntry> listed = trail.list(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), null);

    assertThat(listed).extracting(AuditEntry::id).containsExactly("early", "middle", "late");
    AuditEntry first = listed.get(0);
    assertThat(first.at()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
    assertThat(first.kind()).isEqualTo("INGEST");
    assertThat(first.expiresAt()).isEqualTo(1_900_000_000L);
    assertThat(first.details())
        .containsEntry("rowsValid", 42L)
        .containsEntry("dataset", "health")
        .containsEntry("datasets", "a,b");
  }

  @Test
  void aKindFilterKeepsOnlyThatKind() {
    append("i1", "2026-06-01T08:00:00Z", "INGEST");
    append("s1", "2026-06-01T09:00:00Z", "SUBJECT_ACCESS");
    append("s2", "2026-06-02T09:00:00Z", "SUBJECT_ACCESS");

    assertThat(trail.list(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), "SUBJECT_ACCESS"))
        .extracting(AuditEntry::id)
        .containsExactly("s1", "s2");
    assertThat(trail.list(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), "DESTRUCTION"))
        .isEmpty();
  }

  @Test
  void aBusyDayIsReadInFull() {
    // Over 1 MB in one partition, so DynamoDB pages the query and the reader must follow the pages.
    String padding = "x".repeat(10_000);
    for (int i = 0; i < 130; i++) {
      log.append(
          new AuditEntry(
              String.format("e%03d", i),
              Instant.parse("2026-06-01T10:00:00Z").plusSeconds(i),
              "INGEST",
              Map.of("note", padding),
              1_900_000_000L));
    }

    assertThat(trail.list(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 1), "ingest"))
        .hasSize(130);
  }
}
