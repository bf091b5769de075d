package uk.familylink.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.access.AuditReader;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditLog;

/**
 * What the domain relies on from the audit ports ({@link AuditLog} and {@link AuditReader}), run
 * unchanged against the in-memory fake and every real adapter, so a fake cannot drift from the
 * behaviour the adapters are held to.
 */
public abstract class AuditPortContract {

  /** A log and a reader over the same, initially empty, store. */
  public record Ports(AuditLog log, AuditReader reader) {}

  protected abstract Ports ports();

  private static final long LIVE = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private static List<AuditEntry> onDay(Ports p, String day, String kind) {
    List<AuditEntry> out = new ArrayList<>();
    p.reader().forEachOnDay(LocalDate.parse(day), kind, out::add);
    return out;
  }

  @Test
  void anEntryIsStoredOnceAndNeverOverwritten() {
    Ports p = ports();
    String id = UUID.randomUUID().toString();
    Instant at = Instant.parse("2026-04-01T08:00:00Z");

    assertThat(p.log().appendIfAbsent(new AuditEntry(id, at, "DESTRUCTION", Map.of("n", 3L), LIVE)))
        .isTrue();
    assertThat(p.log().appendIfAbsent(new AuditEntry(id, at, "TAMPERED", Map.of(), LIVE)))
        .isFalse();
    assertThatThrownBy(() -> p.log().append(new AuditEntry(id, at, "TAMPERED", Map.of(), LIVE)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(id);

    List<AuditEntry> stored = onDay(p, "2026-04-01", null);
    assertThat(stored).singleElement().extracting(AuditEntry::kind).isEqualTo("DESTRUCTION");
    assertThat(stored.get(0).details()).containsEntry("n", 3L);
  }

  @Test
  void theSameIdAtAnotherInstantIsAnotherEntry() {
    Ports p = ports();
    String id = UUID.randomUUID().toString();
    assertThat(
            p.log()
                .appendIfAbsent(
                    new AuditEntry(id, Instant.parse("2026-04-02T08:00:00Z"), "A", Map.of(), LIVE)))
        .isTrue();
    assertThat(
            p.log()
                .appendIfAbsent(
                    new AuditEntry(id, Instant.parse("2026-04-02T09:00:00Z"), "A", Map.of(), LIVE)))
        .isTrue();
    assertThat(onDay(p, "2026-04-02", null)).hasSize(2);
  }

  @Test
  void aDayIsReadInTimeOrderAndFilteredByKind() {
    Ports p = ports();
    p.log().append(entry("2026-04-03T10:00:00Z", "INGEST"));
    p.log().append(entry("2026-04-03T00:00:00Z", "SUBJECT_ACCESS"));
    p.log().append(entry("2026-04-03T23:59:59.999Z", "INGEST"));
    // a fraction makes the ISO text sort before the whole second ('.' < 'Z'): time order still
    // holds
    p.log().append(entry("2026-04-03T10:00:00.500Z", "INGEST"));
    p.log().append(entry("2026-04-04T00:00:00Z", "INGEST")); // the next UTC day

    assertThat(onDay(p, "2026-04-03", null))
        .extracting(e -> e.at().toString())
        .containsExactly(
            "2026-04-03T00:00:00Z",
            "2026-04-03T10:00:00Z",
            "2026-04-03T10:00:00.500Z",
            "2026-04-03T23:59:59.999Z");
    assertThat(onDay(p, "2026-04-03", "INGEST"))
        .hasSize(3)
        .allMatch(e -> e.kind().equals("INGEST"));
    assertThat(onDay(p, "2026-04-05", null)).isEmpty();
  }

  @Test
  void detailsKeepNumbersAsNumbersAndTheExpiry() {
    Ports p = ports();
    AuditEntry written =
        new AuditEntry(
            UUID.randomUUID().toString(),
            Instant.parse("2026-04-06T12:00:00Z"),
            "INGEST",
            Map.of("rowsAccepted", 118L, "partner", "police"),
            LIVE);
    p.log().append(written);

    AuditEntry read = onDay(p, "2026-04-06", null).get(0);
    assertThat(read.id()).isEqualTo(written.id());
    assertThat(read.expiresAt()).isEqualTo(LIVE);
    assertThat(read.details())
        .containsEntry("rowsAccepted", 118L)
        .containsEntry("partner", "police");
  }

  private static AuditEntry entry(String at, String kind) {
    return new AuditEntry(UUID.randomUUID().toString(), Instant.parse(at), kind, Map.of(), LIVE);
  }
}
