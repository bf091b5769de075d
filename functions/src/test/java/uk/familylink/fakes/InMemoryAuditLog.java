package uk.familylink.fakes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditLog;

/** The audit port in memory, with the adapter's rule: an entry's instant and id are its key. */
public final class InMemoryAuditLog implements AuditLog {
  private final List<AuditEntry> entries = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();

  @Override
  public synchronized boolean appendIfAbsent(AuditEntry entry) {
    if (!keys.add(entry.at() + "#" + entry.id())) {
      return false;
    }
    entries.add(entry);
    return true;
  }

  public synchronized List<AuditEntry> entries() {
    return List.copyOf(entries);
  }
}
