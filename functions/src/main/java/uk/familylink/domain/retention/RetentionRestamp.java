package uk.familylink.domain.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import uk.familylink.domain.ingest.AuditEntry;
import uk.familylink.domain.ingest.AuditLog;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampStore.Phase;
import uk.familylink.domain.retention.RestampStore.RetentionState;
import uk.familylink.domain.retention.RestampResult.Status;

/**
 * Re-stamps every item when the deployment's programme end date or retention years change (issue 4
 * part 2), so that "destroyed six years after the end of the programme" follows the programme.
 *
 * <p>The policy stored items carry is recorded in a retention state item. When the configured policy
 * differs, the state is first set to RESTAMPING (so a crash leaves the change discoverable), then every
 * item carrying an old expiry is found through the expiry index (exactly the 16 partitions of the old
 * expiry month, key condition expiresAt = old; never a scan) and updated with a condition that it still
 * carries the old value: an item written meanwhile by ingest with the new policy is never overwritten,
 * and a re-run or an overlapping run is harmless. Finally the state becomes STABLE.
 *
 * <p>Both tables: audit entries of processing (INGEST, SUBJECT_ACCESS) are stamped with the data's
 * expiry and are re-stamped with it, so the record of what was done with the data lives exactly as
 * long as the data. Entries with their own rule (DESTRUCTION, RESTAMP: later of now and the data's
 * expiry, plus the audit retention) carry other values and are not found, so not changed.
 *
 * <p>Resumable: it starts no new page or item once less than {@code safetyMargin} remains; the next run
 * re-queries the index, where re-stamped items no longer appear under the old expiry. A change made
 * while an earlier one is unfinished adds that change's target to the expiries being moved.
 *
 * <p>Every run that changed something, or stopped unfinished, records a RESTAMP audit entry: old and new
 * programme end and years, counts by kind of item, duration and status. No key is ever recorded.
 */
public final class RetentionRestamp {

    public static final String AUDIT_KIND = "RESTAMP";

    private final RestampStore store;
    private final AuditLog audit;
    private final RetentionPolicy configured;
    private final Period auditRetention;
    private final Duration safetyMargin;
    private final Clock clock;

    public RetentionRestamp(RestampStore store, AuditLog audit, RetentionPolicy configured, Period auditRetention,
                            Duration safetyMargin, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.configured = Objects.requireNonNull(configured, "configured");
        this.auditRetention = Objects.requireNonNull(auditRetention, "auditRetention");
        this.safetyMargin = Objects.requireNonNull(safetyMargin, "safetyMargin");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** With the sweep's audit retention and safety margin. */
    public RetentionRestamp(RestampStore store, AuditLog audit, SweepSettings settings, Clock clock) {
        this(store, audit, settings.retention(), settings.auditRetention(), settings.safetyMargin(), clock);
    }

    /**
     * Brings the stored items to the configured policy.
     *
     * @param remainingMillis time left before the caller's deadline; no new work starts below the safety margin
     */
    public RestampResult run(LongSupplier remainingMillis) {
        Objects.requireNonNull(remainingMillis, "remainingMillis");
        long startNanos = System.nanoTime();
        Instant now = clock.instant();
        Optional<RetentionState> recorded = store.readState();
        if (recorded.isEmpty()) {
            // First run of a deployment: every item was stamped by ingest with the configured policy.
            store.writeState(new RetentionState(configured, Phase.STABLE, null, List.of(), now, now));
            return new RestampResult(Status.BASELINE_RECORDED, configured, configured, new TreeMap<>(), 0, 0, null);
        }
        RetentionState state = recorded.get();
        if (state.phase() == Phase.STABLE && state.policy().equals(configured)) {
            return new RestampResult(Status.UP_TO_DATE, configured, configured, new TreeMap<>(), 0, 0, null);
        }
        long target = configured.expiresAtEpochSecond();
        RetentionPolicy from;
        LinkedHashSet<Long> sources = new LinkedHashSet<>();
        Instant startedAt;
        if (state.phase() == Phase.STABLE) {
            from = state.policy();
            sources.add(state.policy().expiresAtEpochSecond());
            startedAt = now;
        } else {
            from = state.from() == null ? state.policy() : state.from();
            sources.addAll(state.sourceExpiries());
            // Items already moved to an earlier target must move again.
            sources.add(state.policy().expiresAtEpochSecond());
            startedAt = state.startedAt();
        }
        sources.remove(target);
        store.writeState(new RetentionState(configured, Phase.RESTAMPING, from, List.copyOf(sources), startedAt, now));

        TreeMap<String, Long> updated = new TreeMap<>();
        long[] skipped = {0};
        boolean finished = restampAll(Table.LINKED, sources, target, remainingMillis, updated, skipped)
                && restampAll(Table.AUDIT, sources, target, remainingMillis, updated, skipped);
        if (finished) {
            store.writeState(new RetentionState(configured, Phase.STABLE, null, List.of(), startedAt, clock.instant()));
        }
        long durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
        Status status = finished ? Status.COMPLETE : Status.INTERRUPTED;
        String entryId = UUID.randomUUID().toString();
        audit.append(new AuditEntry(entryId, clock.instant(), AUDIT_KIND,
                details(status, from, sources, target, startedAt, updated, skipped[0], durationMillis),
                entryExpiresAt(now, from)));
        return new RestampResult(status, from, configured, updated, skipped[0], durationMillis, entryId);
    }

    /** The RESTAMP entry outlives both the old and the new expiry (and now) by the audit retention. */
    long entryExpiresAt(Instant now, RetentionPolicy from) {
        Instant base = now;
        for (Instant i : List.of(from.expiresAt(), configured.expiresAt())) {
            if (i.isAfter(base)) {
                base = i;
            }
        }
        return base.atZone(ZoneOffset.UTC).plus(auditRetention).toInstant().getEpochSecond();
    }

    private boolean timeLeft(LongSupplier remainingMillis) {
        return remainingMillis.getAsLong() > safetyMargin.toMillis();
    }

    private boolean restampAll(Table table, Iterable<Long> sources, long target, LongSupplier remainingMillis,
                               Map<String, Long> updated, long[] skipped) {
        for (long source : sources) {
            YearMonth month = YearMonth.from(Instant.ofEpochSecond(source).atZone(ZoneOffset.UTC));
            for (String partition : store.partitions(month)) {
                String cursor = null;
                do {
                    if (!timeLeft(remainingMillis)) {
                        return false;
                    }
                    Page page = store.findStamped(table, partition, source, cursor);
                    for (ItemKey key : page.keys()) {
                        if (!timeLeft(remainingMillis)) {
                            return false;
                        }
                        if (store.restamp(table, key, source, target)) {
                            updated.merge(table == Table.AUDIT ? "AUDIT" : RetentionSweep.kindOf(key), 1L, Long::sum);
                        } else {
                            skipped[0]++;
                        }
                    }
                    cursor = page.cursor();
                } while (cursor != null);
            }
        }
        return true;
    }

    private Map<String, Object> details(Status status, RetentionPolicy from, Iterable<Long> sources, long target,
                                        Instant startedAt, Map<String, Long> updated, long skipped, long durationMillis) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("status", status.name());
        d.put("oldProgrammeEnd", from.programmeEnd().toString());
        d.put("oldRetentionYears", from.retentionYears());
        d.put("oldExpiresAt", from.expiresAt().toString());
        d.put("newProgrammeEnd", configured.programmeEnd().toString());
        d.put("newRetentionYears", configured.retentionYears());
        d.put("newExpiresAt", configured.expiresAt().toString());
        List<String> moved = new ArrayList<>();
        sources.forEach(s -> moved.add(Instant.ofEpochSecond(s).toString()));
        d.put("movedFrom", String.join(",", moved));
        d.put("startedAt", startedAt.toString());
        d.put("updatedItems", updated.values().stream().mapToLong(Long::longValue).sum());
        for (String kind : RetentionSweep.KINDS) {
            d.put("updated." + kind, updated.getOrDefault(kind, 0L));
        }
        if (updated.containsKey("OTHER")) {
            d.put("updated.OTHER", updated.get("OTHER"));
        }
        d.put("skipped", skipped);
        d.put("durationMillis", durationMillis);
        return d;
    }
}
