package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import uk.familylink.domain.audit.AuditEntry;

/**
 * Behaviour every DynamoDB endpoint must show through {@link DynamoDbAuditLog}; subclasses supply
 * the endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DynamoDbAuditLogConformance {

  protected abstract AwsEndpoint endpoint();

  private static final Instant AT = Instant.parse("2026-03-10T23:59:59.123Z");
  private static final long LIVE = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private DynamoDbClient ddb;
  private String table;
  private DynamoDbAuditLog audit;

  @BeforeAll
  void createTable() {
    ddb = endpoint().dynamoDb();
    table = "familylink-audit-" + UUID.randomUUID();
    DynamoDbTables.createAuditTable(ddb, table);
    audit = new DynamoDbAuditLog(ddb, table);
  }

  @AfterAll
  void closeClient() {
    if (ddb != null) {
      ddb.close();
    }
  }

  private List<Map<String, AttributeValue>> day(String yyyyMmDd) {
    return ddb.query(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS("AUDIT#" + yyyyMmDd))))
        .items();
  }

  @Test
  void auditTableHasTtlOnExpiresAt() {
    var ttl = ddb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    assertThat(ttl.attributeName()).isEqualTo("expiresAt");
  }

  @Test
  void appendStoresEntryUnderItsDayWithTypedDetails() {
    String id = UUID.randomUUID().toString();
    audit.append(
        new AuditEntry(
            id,
            AT,
            "INGEST_COMPLETED",
            Map.of(
                "partner",
                "north-agency",
                "rowsAccepted",
                118,
                "rowsRejected",
                2L,
                "duration",
                Duration.ofMillis(1500),
                "columns",
                List.of("nhs_number", "dob")),
            LIVE));

    Map<String, AttributeValue> item =
        day("2026-03-10").stream()
            .filter(i -> i.get("sk").s().equals("2026-03-10T23:59:59.123Z#" + id))
            .findFirst()
            .orElseThrow();
    assertThat(item.get("kind").s()).isEqualTo("INGEST_COMPLETED");
    assertThat(item.get("expiresAt").type()).isEqualTo(AttributeValue.Type.N);
    assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(LIVE));
    Map<String, AttributeValue> details = item.get("details").m();
    assertThat(details.get("partner")).isEqualTo(AttributeValue.fromS("north-agency"));
    assertThat(details.get("rowsAccepted")).isEqualTo(AttributeValue.fromN("118"));
    assertThat(details.get("rowsRejected")).isEqualTo(AttributeValue.fromN("2"));
    assertThat(details.get("duration")).isEqualTo(AttributeValue.fromS("PT1.5S"));
    assertThat(details.get("columns")).isEqualTo(AttributeValue.fromS("nhs_number,dob"));
  }

  @Test
  void appendNeverOverwritesAnExistingEntry() {
    String id = UUID.randomUUID().toString();
    Instant at = Instant.parse("2026-04-01T08:00:00Z");
    audit.append(new AuditEntry(id, at, "SUBJECT_ACCESS", Map.of("reason", "case-review"), LIVE));

    assertThatThrownBy(() -> audit.append(new AuditEntry(id, at, "TAMPERED", Map.of(), LIVE)))
        .isInstanceOf(DynamoDbAuditLog.DuplicateAuditEntryException.class)
        .hasMessageContaining(id);

    List<Map<String, AttributeValue>> items = day("2026-04-01");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("kind").s()).isEqualTo("SUBJECT_ACCESS");
  }

  @Test
  void entriesAtTheSameInstantWithDifferentIdsAreBothKept() {
    Instant at = Instant.parse("2026-05-02T10:00:00Z");
    audit.append(new AuditEntry("a-" + UUID.randomUUID(), at, "READ", Map.of(), LIVE));
    audit.append(new AuditEntry("b-" + UUID.randomUUID(), at, "READ", Map.of(), LIVE));

    assertThat(day("2026-05-02")).hasSize(2);
  }
}
