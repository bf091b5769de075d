package uk.familylink.domain.audit;

/**
 * Append-only audit trail (a separate table). An entry is identified by its instant and id; a
 * stored entry is never overwritten.
 */
public interface AuditLog {

  /**
   * Stores the entry unless one with the same instant and id exists.
   *
   * @return true when this call stored it, false when it was already there (a retried delivery)
   */
  boolean appendIfAbsent(AuditEntry entry);

  /**
   * Stores an entry whose id is new by construction (a random id); an existing one with the same
   * instant and id is a programming error.
   */
  default void append(AuditEntry entry) {
    if (!appendIfAbsent(entry)) {
      throw new IllegalStateException("audit entry already exists, not overwritten: " + entry.id());
    }
  }
}
