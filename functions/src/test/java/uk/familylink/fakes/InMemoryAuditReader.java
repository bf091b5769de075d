package uk.familylink.fakes;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.function.Consumer;
import uk.familylink.domain.access.AuditReader;
import uk.familylink.domain.audit.AuditEntry;

/** Reads the in-memory audit log by UTC day, as the DynamoDB reader reads a day's partition. */
public final class InMemoryAuditReader implements AuditReader {

  private final InMemoryAuditLog log;
  public int daysQueried;

  public InMemoryAuditReader(InMemoryAuditLog log) {
    this.log = log;
  }

  @Override
  public void forEachOnDay(LocalDate day, String kind, Consumer<AuditEntry> sink) {
    daysQueried++;
    log.entries().stream()
        .filter(e -> LocalDate.ofInstant(e.at(), ZoneOffset.UTC).equals(day))
        .filter(e -> kind == null || kind.equals(e.kind()))
        .sorted(Comparator.comparing(AuditEntry::at).thenComparing(AuditEntry::id))
        .forEach(sink);
  }
}
