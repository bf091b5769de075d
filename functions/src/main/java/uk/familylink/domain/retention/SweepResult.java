package uk.familylink.domain.retention;

import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one sweep run did. Counts only: kinds of item, object prefixes, durations; never a key.
 *
 * @param remainingItems expired items still present after verification, or -1 when verification did
 *     not run
 * @param remainingObjects expired objects still present after verification, or -1 when verification
 *     did not run
 * @param auditEntryId id of the DESTRUCTION audit entry, or null when none was recorded (nothing to
 *     report)
 * @param unbacked what the removal of unbacked persons and memberships did (included in the item
 *     counts), or null when that phase did not run
 */
public record SweepResult(
    Status status,
    Instant asOf,
    SortedMap<String, Long> deletedItemsByKind,
    SortedMap<String, Long> deletedObjectsByPrefix,
    long remainingItems,
    long remainingObjects,
    long durationMillis,
    String auditEntryId,
    UnbackedLinkRemoval.Result unbacked) {

  public enum Status {
    /** Everything expired was deleted and verification found nothing left. */
    COMPLETE,
    /** Verification still found expired items or objects; the next run retries them. */
    INCOMPLETE,
    /** Stopped before the deadline; the next run continues (it re-queries the index). */
    INTERRUPTED,
    /** A store call failed after its retries; the next run continues. */
    FAILED
  }

  public SweepResult {
    deletedItemsByKind = new TreeMap<>(deletedItemsByKind);
    deletedObjectsByPrefix = new TreeMap<>(deletedObjectsByPrefix);
  }

  public long deletedItems() {
    return deletedItemsByKind.values().stream().mapToLong(Long::longValue).sum();
  }

  public long deletedObjects() {
    return deletedObjectsByPrefix.values().stream().mapToLong(Long::longValue).sum();
  }

  public boolean verifiedClean() {
    return remainingItems == 0 && remainingObjects == 0;
  }

  public long deleted(String kind) {
    return deletedItemsByKind.getOrDefault(kind, 0L);
  }
}
