package uk.familylink.domain.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One append-only audit entry. {@code details} hold counts, names of partners/datasets/columns,
 * object keys, hashes and durations only; never a value from a partner file.
 */
public record AuditEntry(
    String id, Instant at, String kind, Map<String, Object> details, long expiresAt) {}
