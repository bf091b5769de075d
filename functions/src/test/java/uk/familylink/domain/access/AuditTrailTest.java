package uk.familylink.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryAuditReader;

class AuditTrailTest {

  private final InMemoryAuditLog log = new InMemoryAuditLog();
  private final InMemoryAuditReader reader = new InMemoryAuditReader(log);
  private final AuditTrail trail = new AuditTrail(reader);

  private void entry(String id, String at, String kind) {
    log.append(new AuditEntry(id, Instant.parse(at), kind, Map.of("n", 1L), 0));
  }

  @Test
  void listsEntriesOfTheRangeOldestFirstQueryingEachDayOnce() {
    entry("a", "2026-05-31T23:59:59Z", "INGEST");
    entry("c", "2026-06-02T08:00:00Z", "SUBJECT_ACCESS");
    entry("b", "2026-06-01T00:00:00Z", "INGEST");
    entry("d", "2026-06-03T00:00:00Z", "INGEST");

    assertThat(trail.list(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 2), null))
        .extracting(AuditEntry::id)
        .containsExactly("b", "c");
    assertThat(reader.daysQueried).isEqualTo(2);
  }

  @Test
  void filtersByKindCaseInsensitively() {
    entry("a", "2026-06-01T10:00:00Z", "INGEST");
    entry("b", "2026-06-01T11:00:00Z", "SUBJECT_ACCESS");

    assertThat(trail.list(LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 1), "subject_access"))
        .extracting(AuditEntry::id)
        .containsExactly("b");
  }

  @Test
  void refusesBackwardsAndOverlongRanges() {
    assertThatThrownBy(() -> trail.list(LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 1), null))
        .hasMessageContaining("before it starts");
    assertThatThrownBy(() -> trail.list(LocalDate.of(2020, 1, 1), LocalDate.of(2026, 1, 1), null))
        .hasMessageContaining("at most " + AuditTrail.MAX_DAYS);
    assertThat(reader.daysQueried).isZero();
  }
}
