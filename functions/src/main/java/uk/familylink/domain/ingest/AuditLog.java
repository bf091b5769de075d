package uk.familylink.domain.ingest;

/** Append-only audit trail (a separate table). */
public interface AuditLog {
  void append(AuditEntry entry);
}
