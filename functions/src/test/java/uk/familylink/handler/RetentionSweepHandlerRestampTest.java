package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampStore.Phase;
import uk.familylink.domain.retention.RestampStore.RetentionState;
import uk.familylink.domain.retention.RestampStore.Superseded;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.RetentionRestamp;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.fakes.InMemoryAgedObjects;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryExpiredItems;
import uk.familylink.fakes.InMemoryRestampStore;

/**
 * The daily run re-stamps first when the policy changed, and sweeps only once the re-stamp is
 * finished.
 */
class RetentionSweepHandlerRestampTest {

  private static final RetentionPolicy OLD = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private static final RetentionPolicy NEW = new RetentionPolicy(LocalDate.of(2027, 3, 31), 6);
  private static final Clock AFTER_OLD_EXPIRY =
      Clock.fixed(Instant.parse("2032-04-02T03:00:00Z"), ZoneOffset.UTC);

  private final InMemoryExpiredItems sweepView = new InMemoryExpiredItems();
  private final InMemoryRestampStore restampView = new InMemoryRestampStore();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  private JsonNode invoke(RetentionPolicy configured, long remainingMillis) throws Exception {
    RetentionSweep sweep =
        new RetentionSweep(
            sweepView,
            new InMemoryAgedObjects(),
            audit,
            SweepSettings.defaults(configured, "landing"),
            AFTER_OLD_EXPIRY);
    RetentionRestamp restamp =
        new RetentionRestamp(
            restampView,
            audit,
            configured,
            Period.ofYears(1),
            Duration.ofSeconds(30),
            AFTER_OLD_EXPIRY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    com.amazonaws.services.lambda.runtime.Context context =
        (com.amazonaws.services.lambda.runtime.Context)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
                (p, m, a) ->
                    m.getName().equals("getRemainingTimeInMillis") ? (int) remainingMillis : null);
    try (InputStream event = getClass().getResourceAsStream("/events/scheduled-event.json")) {
      new RetentionSweepHandler(sweep, restamp).handleRequest(event, out, context);
    }
    return new ObjectMapper().readTree(out.toByteArray());
  }

  @Test
  void anUnfinishedRestampSkipsTheSweepSoNoItemIsDeletedOnTheStrengthOfItsOldExpiry()
      throws Exception {
    restampView.setState(
        new RetentionState(OLD, Phase.STABLE, null, List.of(), Instant.EPOCH, Instant.EPOCH));
    restampView.put(Table.LINKED, "REC#police-incidents#r1", "REC", OLD.expiresAt());
    sweepView.put(Table.LINKED, "REC#police-incidents#r1", "REC", OLD.expiresAt());

    JsonNode response = invoke(NEW, 10_000); // below the 30 s margin: the re-stamp cannot finish

    assertThat(response.path("status").asText()).isEqualTo("SKIPPED");
    assertThat(response.path("restamp").path("status").asText()).isEqualTo("INTERRUPTED");
    assertThat(sweepView.keys(Table.LINKED)).hasSize(1);
    assertThat(audit.entries()).extracting(e -> e.kind()).containsExactly("RESTAMP");
  }

  @Test
  void stragglersMovedBeforeTheSweepAreReportedAndTheSweepStillRuns() throws Exception {
    // The change OLD -> NEW completed yesterday; an ingest still on OLD wrote one item since.
    restampView.setState(
        new RetentionState(
            NEW,
            Phase.STABLE,
            null,
            List.of(),
            Instant.EPOCH,
            Instant.EPOCH,
            List.of(
                new Superseded(
                    OLD.expiresAtEpochSecond(),
                    AFTER_OLD_EXPIRY.instant().minus(Duration.ofDays(1))))));
    restampView.put(Table.LINKED, "REC#police-incidents#late", "REC", OLD.expiresAt());

    JsonNode response = invoke(NEW, 600_000);

    assertThat(response.path("status").asText()).isEqualTo("COMPLETE");
    assertThat(response.path("restamp").path("stragglers").asLong()).isEqualTo(1);
    assertThat(response.path("unbacked").isMissingNode())
        .as("no unbacked-link phase wired here")
        .isTrue();
  }

  @Test
  void anUnchangedPolicyGoesStraightToTheSweep() throws Exception {
    restampView.setState(
        new RetentionState(OLD, Phase.STABLE, null, List.of(), Instant.EPOCH, Instant.EPOCH));
    sweepView.put(Table.LINKED, "REC#police-incidents#r1", "REC", OLD.expiresAt());

    JsonNode response = invoke(OLD, 600_000);

    assertThat(response.path("status").asText()).isEqualTo("COMPLETE");
    assertThat(response.path("deletedItems").asLong()).isEqualTo(1);
    assertThat(restampView.restampCalls()).isZero();
  }
}
