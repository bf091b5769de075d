package uk.familylink.fakes;

import java.util.ArrayList;
import java.util.List;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditLog;

public final class InMemoryAuditLog implements AuditLog {
  private final List<AuditEntry> entries = new ArrayList<>();

  @Override
  public synchronized void append(AuditEntry entry) {
    entries.add(entry);
  }

  public synchronized List<AuditEntry> entries() {
    return List.copyOf(entries);
  }
}
