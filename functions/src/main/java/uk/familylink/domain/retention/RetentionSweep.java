package uk.familylink.domain.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.SweepResult.Status;

/**
 * The retention sweep (DESIGN section 8): deletes every item and object whose retention has passed,
 * verifies that none remains, and records a DESTRUCTION entry in the audit.
 *
 * <p>Finding: for each expiry month from {@code earliestMonth} to the month of "now", for each
 * index partition of that month, the store pages through keys with expiresAt <= now. Nothing else
 * can be found, so nothing live can be deleted; each key is confirmed against the table (strongly
 * consistent) before deletion because the index may lag a re-stamp.
 *
 * <p>Persons and families: they are items like any other and carry the same programme-wide
 * expiresAt as the records linked to them (every ingest stamps every item it writes from one {@link
 * RetentionPolicy}, and a re-stamp changes every item), so they expire, and are deleted through the
 * index, together with their records. Before that, persons and memberships a correction left with
 * no live record are removed by {@link UnbackedLinkRemoval} (the first phase, when given).
 *
 * <p>Resumable and idempotent: no checkpoint is kept. An interrupted run stops cleanly before the
 * deadline; the next run re-queries the index, where deleted items no longer appear. Two
 * overlapping runs may both delete an item, which is a no-op the second time; counts in their audit
 * entries may then overlap, never fall short.
 *
 * <p>Objects carry no expiresAt: once now >= the retention expiry every object under the expiring
 * prefixes (reports/, exports/) is deleted; an upload left under incoming/ longer than {@code
 * strayUploadAge} is deleted whatever the date (P2).
 *
 * <p>The audit table is swept like the linked table (audit entries carry their own expiresAt); the
 * sweep is the only code that deletes audit entries. A DESTRUCTION entry is recorded whenever the
 * run deleted something or did not finish clean; a quiet day (nothing due) records nothing.
 */
public final class RetentionSweep {

  public static final String AUDIT_KIND = AuditEvent.Destruction.KIND;

  private final ExpiredItemStore items;
  private final AgedObjectStore objects;
  private final AuditLog audit;
  private final SweepSettings settings;
  private final Clock clock;
  private final UnbackedLinkRemoval unbacked;

  public RetentionSweep(
      ExpiredItemStore items,
      AgedObjectStore objects,
      AuditLog audit,
      SweepSettings settings,
      Clock clock) {
    this(items, objects, audit, settings, clock, null);
  }

  /**
   * @param unbacked removal of persons and memberships corrections left unbacked; null to skip that
   *     phase
   */
  public RetentionSweep(
      ExpiredItemStore items,
      AgedObjectStore objects,
      AuditLog audit,
      SweepSettings settings,
      Clock clock,
      UnbackedLinkRemoval unbacked) {
    this.unbacked = unbacked;
    this.items = Objects.requireNonNull(items, "items");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A sweep as of the clock's now. */
  public SweepResult run(LongSupplier remainingMillis) {
    return run(clock.instant(), remainingMillis);
  }

  /**
   * A sweep as of {@code now}.
   *
   * @param remainingMillis time left before the caller's deadline (the Lambda's remaining time);
   *     the sweep starts no new page, batch or object once it is below the safety margin
   */
  public SweepResult run(Instant now, LongSupplier remainingMillis) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(remainingMillis, "remainingMillis");
    long startNanos = System.nanoTime();
    Run run = new Run(now, remainingMillis);
    Status status;
    RuntimeException failure = null;
    try {
      boolean finished =
          run.removeUnbacked()
              && run.sweepTable(Table.LINKED)
              && run.sweepObjects()
              && run.sweepTable(Table.AUDIT);
      if (finished && run.verify()) {
        status =
            run.remainingItems == 0 && run.remainingObjects == 0
                ? Status.COMPLETE
                : Status.INCOMPLETE;
      } else {
        status = Status.INTERRUPTED;
      }
    } catch (RuntimeException e) {
      status = Status.FAILED;
      failure = e;
    }
    long durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
    String entryId = null;
    if (status != Status.COMPLETE || run.deletedItems() > 0 || run.deletedObjects() > 0) {
      entryId = UUID.randomUUID().toString();
      try {
        audit.append(
            event(run, status, durationMillis, failure)
                .entry(entryId, clock.instant(), destructionEntryExpiresAt(now)));
      } catch (RuntimeException e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return new SweepResult(
        status,
        now,
        run.deletedByKind,
        run.deletedByPrefix,
        run.remainingItems,
        run.remainingObjects,
        durationMillis,
        entryId,
        run.unbackedResult);
  }

  /**
   * The destruction entry is kept {@code auditRetention} beyond the later of now and the data's
   * expiry.
   */
  long destructionEntryExpiresAt(Instant now) {
    return settings.retention().evidenceExpiresAt(now, settings.auditRetention());
  }

  private AuditEvent.Destruction event(
      Run run, Status status, long durationMillis, RuntimeException failure) {
    SortedMap<String, Long> deleted = new TreeMap<>();
    for (ItemKind kind : ItemKind.COUNTED) {
      deleted.put(kind.name(), run.deletedByKind.getOrDefault(kind.name(), 0L));
    }
    if (run.deletedByKind.containsKey(ItemKind.OTHER.name())) {
      deleted.put(ItemKind.OTHER.name(), run.deletedByKind.get(ItemKind.OTHER.name()));
    }
    UnbackedLinkRemoval.Result u = run.unbackedResult;
    SortedMap<String, Long> objects = new TreeMap<>();
    run.deletedByPrefix.forEach(
        (prefix, n) -> objects.put(prefix.substring(0, prefix.length() - 1), n));
    return new AuditEvent.Destruction(
        status.name(),
        run.now,
        settings.retention().expiresAt(),
        settings.earliestMonth(),
        YearMonth.from(run.now.atZone(ZoneOffset.UTC)),
        deleted,
        u == null
            ? null
            : new AuditEvent.UnbackedRemoval(
                u.notesChecked(),
                u.personsRemoved(),
                u.membershipsRemoved(),
                u.restoredAfterRelink()),
        objects,
        run.remainingItems,
        run.remainingObjects,
        durationMillis,
        // The class name only: a message might carry request content.
        failure == null ? null : failure.getClass().getName());
  }

  /** State of one run. */
  private final class Run {
    final Instant now;
    final long nowEpoch;
    final LongSupplier remainingMillis;
    final TreeMap<String, Long> deletedByKind = new TreeMap<>();
    final TreeMap<String, Long> deletedByPrefix = new TreeMap<>();
    long remainingItems = -1;
    long remainingObjects = -1;
    UnbackedLinkRemoval.Result unbackedResult;

    Run(Instant now, LongSupplier remainingMillis) {
      this.now = now;
      this.nowEpoch = now.getEpochSecond();
      this.remainingMillis = remainingMillis;
    }

    boolean timeLeft() {
      return remainingMillis.getAsLong() > settings.safetyMargin().toMillis();
    }

    long deletedItems() {
      return deletedByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    long deletedObjects() {
      return deletedByPrefix.values().stream().mapToLong(Long::longValue).sum();
    }

    List<String> partitions() {
      List<String> out = new ArrayList<>();
      YearMonth last = YearMonth.from(now.atZone(ZoneOffset.UTC));
      for (YearMonth m = settings.earliestMonth(); !m.isAfter(last); m = m.plusMonths(1)) {
        out.addAll(items.partitions(m));
      }
      return out;
    }

    /** Removes what corrections left unbacked; false when stopped by the deadline. */
    boolean removeUnbacked() {
      if (unbacked == null) {
        return true;
      }
      unbackedResult = unbacked.run(now, this::timeLeft);
      unbackedResult.deletedByKind().forEach((kind, n) -> deletedByKind.merge(kind, n, Long::sum));
      return unbackedResult.finished();
    }

    /** Deletes every expired item of a table; false when stopped by the deadline. */
    boolean sweepTable(Table table) {
      return forEachExpiredPage(
          table,
          confirmed -> {
            items.delete(table, confirmed);
            confirmed.forEach(k -> deletedByKind.merge(k.kind().name(), 1L, Long::sum));
          });
    }

    /**
     * Walks the index for every key of a table expired by now, page by page, and hands each page's
     * keys that the table itself confirms as expired to {@code action}; false when stopped by the
     * deadline.
     */
    private boolean forEachExpiredPage(Table table, Consumer<List<ItemKey>> action) {
      for (String partition : partitions()) {
        String cursor = null;
        do {
          if (!timeLeft()) {
            return false;
          }
          Page page = items.findExpired(table, partition, nowEpoch, cursor);
          if (!page.keys().isEmpty()) {
            List<ItemKey> confirmed = items.confirmExpired(table, page.keys(), nowEpoch);
            if (!confirmed.isEmpty()) {
              action.accept(confirmed);
            }
          }
          cursor = page.cursor();
        } while (cursor != null);
      }
      return true;
    }

    /** Deletes expired objects and stray uploads; false when stopped by the deadline. */
    boolean sweepObjects() {
      for (String prefix : expiredPrefixes()) {
        for (AgedObjectStore.StoredObject o : objects.list(settings.bucket(), prefix)) {
          if (!timeLeft()) {
            return false;
          }
          objects.delete(settings.bucket(), o.key());
          deletedByPrefix.merge(prefix, 1L, Long::sum);
        }
      }
      for (AgedObjectStore.StoredObject o : strayUploads()) {
        if (!timeLeft()) {
          return false;
        }
        objects.delete(settings.bucket(), o.key());
        deletedByPrefix.merge(SweepSettings.INCOMING_PREFIX, 1L, Long::sum);
      }
      return true;
    }

    List<String> expiredPrefixes() {
      return now.isBefore(settings.retention().expiresAt())
          ? List.of()
          : settings.expiringPrefixes();
    }

    List<AgedObjectStore.StoredObject> strayUploads() {
      Instant cutoff = now.minus(settings.strayUploadAge());
      return objects.list(settings.bucket(), SweepSettings.INCOMING_PREFIX).stream()
          .filter(o -> o.lastModified() != null && !o.lastModified().isAfter(cutoff))
          .toList();
    }

    /**
     * Queries again: counts expired items and objects still present; false when stopped by the
     * deadline.
     */
    boolean verify() {
      long[] left = {0};
      for (Table table : Table.values()) {
        if (!forEachExpiredPage(table, confirmed -> left[0] += confirmed.size())) {
          return false;
        }
      }
      long objectsLeft = strayUploads().size();
      for (String prefix : expiredPrefixes()) {
        objectsLeft += objects.list(settings.bucket(), prefix).size();
      }
      remainingItems = left[0];
      remainingObjects = objectsLeft;
      return true;
    }
  }
}
