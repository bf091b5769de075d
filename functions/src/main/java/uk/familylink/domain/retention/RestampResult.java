package uk.familylink.domain.retention;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one re-stamp run did: counts by kind of item (pk prefix; AUDIT for the audit table), never a
 * key.
 *
 * @param skipped items found under an old expiry that no longer carried it when updated (done by an
 *     overlapping run, rewritten by ingest with the new policy, or deleted)
 * @param stragglersByKind items found under an expiry superseded by an earlier, completed change
 *     (written afterwards by an ingest still running with the old configuration) and re-stamped
 * @param auditEntryId the RESTAMP audit entry, or null when nothing had to change
 */
public record RestampResult(
    Status status,
    RetentionPolicy from,
    RetentionPolicy to,
    SortedMap<String, Long> updatedByKind,
    long skipped,
    long durationMillis,
    String auditEntryId,
    SortedMap<String, Long> stragglersByKind) {

  public enum Status {
    /** No state was recorded yet: the configured policy is recorded as the one items carry. */
    BASELINE_RECORDED,
    /** The recorded policy is the configured one; nothing to do. */
    UP_TO_DATE,
    /** Every item carrying an old expiry now carries the new one. */
    COMPLETE,
    /** The policy was already recorded; stragglers under a superseded expiry were re-stamped. */
    STRAGGLERS_RESTAMPED,
    /** Stopped before the deadline; the next run continues. */
    INTERRUPTED
  }

  public RestampResult {
    updatedByKind = new TreeMap<>(updatedByKind);
    stragglersByKind = stragglersByKind == null ? new TreeMap<>() : new TreeMap<>(stragglersByKind);
  }

  /** Without stragglers. */
  public RestampResult(
      Status status,
      RetentionPolicy from,
      RetentionPolicy to,
      SortedMap<String, Long> updatedByKind,
      long skipped,
      long durationMillis,
      String auditEntryId) {
    this(status, from, to, updatedByKind, skipped, durationMillis, auditEntryId, new TreeMap<>());
  }

  /** Items re-stamped from a superseded expiry (not counted in {@link #updated()}). */
  public long stragglers() {
    return stragglersByKind.values().stream().mapToLong(Long::longValue).sum();
  }

  public long updated() {
    return updatedByKind.values().stream().mapToLong(Long::longValue).sum();
  }

  public long updated(String kind) {
    return updatedByKind.getOrDefault(kind, 0L);
  }

  /** True when items may be swept: they all carry the configured policy. */
  public boolean settled() {
    return status != Status.INTERRUPTED;
  }
}
