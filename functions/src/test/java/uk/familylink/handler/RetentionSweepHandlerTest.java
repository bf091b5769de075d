package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.fakes.InMemoryAgedObjects;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryExpiredItems;

class RetentionSweepHandlerTest {

  private static final RetentionPolicy RETENTION =
      new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);

  @Test
  void theScheduledEventRunsTheSweepAsOfTheClockNotTheEventsTime() throws Exception {
    InMemoryExpiredItems items = new InMemoryExpiredItems();
    items.put(Table.LINKED, "REC#police-incidents#r1", "REC", RETENTION.expiresAt());
    items.put(
        Table.LINKED, "REC#police-incidents#r2", "REC", Instant.parse("2040-01-01T00:00:00Z"));
    InMemoryAuditLog audit = new InMemoryAuditLog();
    // The sample event's time is 1970: were it used, nothing would be deleted.
    RetentionSweep sweep =
        new RetentionSweep(
            items,
            new InMemoryAgedObjects(),
            audit,
            SweepSettings.defaults(RETENTION, "landing"),
            Clock.fixed(Instant.parse("2032-04-02T03:00:00Z"), ZoneOffset.UTC));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (InputStream event = getClass().getResourceAsStream("/events/scheduled-event.json")) {
      new RetentionSweepHandler(sweep).handleRequest(event, out, null);
    }

    JsonNode response = new ObjectMapper().readTree(out.toByteArray());
    assertThat(response.path("status").asText()).isEqualTo("COMPLETE");
    assertThat(response.path("deletedItems").asLong()).isEqualTo(1);
    assertThat(response.path("deletedItemsByKind").path("REC").asLong()).isEqualTo(1);
    assertThat(response.path("remainingItems").asLong()).isZero();
    assertThat(items.keys(Table.LINKED)).hasSize(1);
    assertThat(audit.entries())
        .singleElement()
        .satisfies(e -> assertThat(e.kind()).isEqualTo("DESTRUCTION"));
  }
}
