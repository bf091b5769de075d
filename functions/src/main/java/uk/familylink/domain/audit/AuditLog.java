package uk.familylink.domain.audit;

/** Append-only audit trail (a separate table). */
public interface AuditLog {
  void append(AuditEntry entry);
}
