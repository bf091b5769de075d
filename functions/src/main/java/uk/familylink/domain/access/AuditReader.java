package uk.familylink.domain.access;

import java.time.LocalDate;
import java.util.function.Consumer;
import uk.familylink.domain.audit.AuditEntry;

/** Reads the audit trail one UTC day at a time (the audit table's partition), oldest first. */
public interface AuditReader {

  /**
   * Entries of {@code day} (UTC), optionally only those of {@code kind} (null = every kind), in
   * time order.
   */
  void forEachOnDay(LocalDate day, String kind, Consumer<AuditEntry> sink);
}
