package uk.familylink.domain.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampResult.Status;
import uk.familylink.domain.retention.RestampStore.Phase;
import uk.familylink.domain.retention.RestampStore.RetentionState;
import uk.familylink.domain.retention.RestampStore.Superseded;

/**
 * Re-stamps every item when the deployment's programme end date or retention years change (issue 4
 * part 2), so that "destroyed six years after the end of the programme" follows the programme.
 *
 * <p>The policy stored items carry is recorded in a retention state item. When the configured
 * policy differs, the state is first set to RESTAMPING (so a crash leaves the change discoverable),
 * then every item carrying an old expiry is found through the expiry index (exactly the 16
 * partitions of the old expiry month, key condition expiresAt = old; never a scan) and updated with
 * a condition that it still carries the old value: an item written meanwhile by ingest with the new
 * policy is never overwritten, and a re-run or an overlapping run is harmless. Finally the state
 * becomes STABLE.
 *
 * <p>Stragglers: deploys are not atomic, so an ingest still running with the old configuration (up
 * to the 15-minute Lambda limit, in a container started before the change) can write items with an
 * old expiry after the re-stamp has finished. The state therefore keeps the expiries each completed
 * change moved items away from ({@link RestampStore.Superseded}), and every run, whatever the
 * phase, re-queries them through the same keyed index queries (normally empty) and re-stamps what
 * it finds to the configured expiry with the same conditional update. An entry is kept for {@link
 * #STRAGGLER_WINDOW} after its change completed: one day covers every in-flight ingest, seven cover
 * missed or failed daily runs. At most {@link #MAX_SUPERSEDED} entries are kept (the most recent;
 * each costs 2 x 16 empty queries a run). An expiry equal to the configured one is never a
 * straggler (a change back to an earlier policy makes its expiry current again) and is dropped from
 * the set.
 *
 * <p>Both tables: audit entries of processing (INGEST, SUBJECT_ACCESS) are stamped with the data's
 * expiry and are re-stamped with it, so the record of what was done with the data lives exactly as
 * long as the data. Entries with their own rule ({@link #KINDS_WITH_OWN_RETENTION}: later of now
 * and the data's expiry, plus the audit retention) usually carry other values; when one equals an
 * old expiry by coincidence (a one-year extension is enough), the store must leave it where it is.
 *
 * <p>Resumable: it starts no new page or item once less than {@code safetyMargin} remains; the next
 * run re-queries the index, where re-stamped items no longer appear under the old expiry. A change
 * made while an earlier one is unfinished adds that change's target to the expiries being moved. A
 * run stopped during the straggler check is INTERRUPTED too, so the sweep waits for it.
 *
 * <p>Every run that changed something, found stragglers, or stopped unfinished, records a RESTAMP
 * audit entry: old and new programme end and years, counts by kind of item (stragglers separately),
 * duration and status. No key is ever recorded.
 */
public final class RetentionRestamp {

  public static final String AUDIT_KIND = AuditEvent.Restamp.KIND;

  /**
   * Audit kinds kept by their own rule, never moved with the data ({@link RestampStore#restamp}).
   */
  public static final List<String> KINDS_WITH_OWN_RETENTION =
      List.of(RetentionSweep.AUDIT_KIND, AUDIT_KIND, TtlEvidence.AUDIT_KIND);

  /** How long after a change completed its old expiries are re-checked for stragglers. */
  public static final Duration STRAGGLER_WINDOW = Duration.ofDays(7);

  /** At most this many superseded expiries are kept (the most recently superseded). */
  public static final int MAX_SUPERSEDED = 8;

  private final RestampStore store;
  private final AuditLog audit;
  private final RetentionPolicy configured;
  private final Period auditRetention;
  private final Duration safetyMargin;
  private final Clock clock;

  public RetentionRestamp(
      RestampStore store,
      AuditLog audit,
      RetentionPolicy configured,
      Period auditRetention,
      Duration safetyMargin,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.configured = Objects.requireNonNull(configured, "configured");
    this.auditRetention = Objects.requireNonNull(auditRetention, "auditRetention");
    this.safetyMargin = Objects.requireNonNull(safetyMargin, "safetyMargin");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** With the sweep's audit retention and safety margin. */
  public RetentionRestamp(RestampStore store, AuditLog audit, SweepSettings settings, Clock clock) {
    this(
        store,
        audit,
        settings.retention(),
        settings.auditRetention(),
        settings.safetyMargin(),
        clock);
  }

  /**
   * Brings the stored items to the configured policy.
   *
   * @param remainingMillis time left before the caller's deadline; no new work starts below the
   *     safety margin
   */
  public RestampResult run(LongSupplier remainingMillis) {
    Objects.requireNonNull(remainingMillis, "remainingMillis");
    long startNanos = System.nanoTime();
    Instant now = clock.instant();
    Optional<RetentionState> recorded = store.readState();
    if (recorded.isEmpty()) {
      // First run of a deployment: every item was stamped by ingest with the configured policy.
      store.writeState(new RetentionState(configured, Phase.STABLE, null, List.of(), now, now));
      return new RestampResult(
          Status.BASELINE_RECORDED, configured, configured, new TreeMap<>(), 0, 0, null);
    }
    RetentionState state = recorded.get();
    long target = configured.expiresAtEpochSecond();
    List<Superseded> superseded = live(state.superseded(), now, target);
    if (state.phase() == Phase.STABLE && state.policy().equals(configured)) {
      return checkStragglers(state, superseded, target, remainingMillis, now, startNanos);
    }
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
    store.writeState(
        new RetentionState(
            configured, Phase.RESTAMPING, from, List.copyOf(sources), startedAt, now, superseded));

    TreeMap<String, Long> updated = new TreeMap<>();
    TreeMap<String, Long> stragglers = new TreeMap<>();
    long[] skipped = {0};
    List<Long> stragglerSources = new ArrayList<>();
    superseded.forEach(
        s -> {
          if (!sources.contains(s.expiresAt())) {
            stragglerSources.add(s.expiresAt());
          }
        });
    boolean finished =
        restampAll(Table.LINKED, sources, target, remainingMillis, updated, skipped)
            && restampAll(Table.AUDIT, sources, target, remainingMillis, updated, skipped)
            && restampAll(
                Table.LINKED, stragglerSources, target, remainingMillis, stragglers, skipped)
            && restampAll(
                Table.AUDIT, stragglerSources, target, remainingMillis, stragglers, skipped);
    if (finished) {
      Instant completedAt = clock.instant();
      store.writeState(
          new RetentionState(
              configured,
              Phase.STABLE,
              null,
              List.of(),
              startedAt,
              completedAt,
              supersede(superseded, sources, completedAt)));
    }
    long durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
    Status status = finished ? Status.COMPLETE : Status.INTERRUPTED;
    String entryId = UUID.randomUUID().toString();
    audit.append(
        event(status, from, sources, startedAt, updated, stragglers, skipped[0], durationMillis)
            .entry(entryId, clock.instant(), entryExpiresAt(now, from)));
    return new RestampResult(
        status, from, configured, updated, skipped[0], durationMillis, entryId, stragglers);
  }

  /**
   * The recorded policy is the configured one: only the superseded expiries are re-queried. The
   * state is written only when the set shrank, the audit only when stragglers were found or the run
   * stopped early.
   */
  private RestampResult checkStragglers(
      RetentionState state,
      List<Superseded> superseded,
      long target,
      LongSupplier remainingMillis,
      Instant now,
      long startNanos) {
    TreeMap<String, Long> stragglers = new TreeMap<>();
    long[] skipped = {0};
    List<Long> sources = superseded.stream().map(Superseded::expiresAt).toList();
    boolean finished =
        restampAll(Table.LINKED, sources, target, remainingMillis, stragglers, skipped)
            && restampAll(Table.AUDIT, sources, target, remainingMillis, stragglers, skipped);
    if (!superseded.equals(state.superseded())) {
      store.writeState(
          new RetentionState(
              state.policy(),
              Phase.STABLE,
              null,
              List.of(),
              state.startedAt(),
              clock.instant(),
              superseded));
    }
    long durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
    if (finished && stragglers.isEmpty()) {
      // Normally every query was empty; a skip here means an overlapping run moved the item first.
      return new RestampResult(
          Status.UP_TO_DATE,
          configured,
          configured,
          new TreeMap<>(),
          skipped[0],
          durationMillis,
          null);
    }
    Status status = finished ? Status.STRAGGLERS_RESTAMPED : Status.INTERRUPTED;
    String entryId = UUID.randomUUID().toString();
    audit.append(
        event(
                status,
                configured,
                sources,
                state.startedAt(),
                new TreeMap<>(),
                stragglers,
                skipped[0],
                durationMillis)
            .entry(entryId, clock.instant(), entryExpiresAt(now, configured)));
    return new RestampResult(
        status,
        configured,
        configured,
        new TreeMap<>(),
        skipped[0],
        durationMillis,
        entryId,
        stragglers);
  }

  /**
   * The superseded expiries still within the window and not the configured expiry, most recent
   * first.
   */
  static List<Superseded> live(List<Superseded> recorded, Instant now, long target) {
    List<Superseded> out = new ArrayList<>();
    for (Superseded s : recorded) {
      if (s.expiresAt() != target && now.isBefore(s.supersededAt().plus(STRAGGLER_WINDOW))) {
        out.add(s);
      }
    }
    return mostRecent(out);
  }

  /**
   * Adds the expiries a completed change moved items away from (refreshing an entry already kept).
   */
  static List<Superseded> supersede(
      List<Superseded> live, Iterable<Long> moved, Instant completedAt) {
    Map<Long, Superseded> byExpiry = new LinkedHashMap<>();
    moved.forEach(e -> byExpiry.put(e, new Superseded(e, completedAt)));
    live.forEach(s -> byExpiry.putIfAbsent(s.expiresAt(), s));
    return mostRecent(new ArrayList<>(byExpiry.values()));
  }

  /** The {@link #MAX_SUPERSEDED} most recently superseded entries, most recent first. */
  private static List<Superseded> mostRecent(List<Superseded> entries) {
    entries.sort(Comparator.comparing(Superseded::supersededAt).reversed());
    return List.copyOf(entries.subList(0, Math.min(entries.size(), MAX_SUPERSEDED)));
  }

  /**
   * The RESTAMP entry outlives both the old and the new expiry (and now) by the audit retention.
   */
  long entryExpiresAt(Instant now, RetentionPolicy from) {
    return configured.evidenceExpiresAt(now, auditRetention, from.expiresAt());
  }

  private boolean timeLeft(LongSupplier remainingMillis) {
    return remainingMillis.getAsLong() > safetyMargin.toMillis();
  }

  private boolean restampAll(
      Table table,
      Iterable<Long> sources,
      long target,
      LongSupplier remainingMillis,
      Map<String, Long> updated,
      long[] skipped) {
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
              updated.merge(key.kind().name(), 1L, Long::sum);
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

  private AuditEvent.Restamp event(
      Status status,
      RetentionPolicy from,
      Iterable<Long> sources,
      Instant startedAt,
      Map<String, Long> updated,
      Map<String, Long> stragglers,
      long skipped,
      long durationMillis) {
    List<Instant> moved = new ArrayList<>();
    sources.forEach(s -> moved.add(Instant.ofEpochSecond(s)));
    SortedMap<String, Long> updatedByKind = new TreeMap<>();
    for (ItemKind kind : ItemKind.COUNTED) {
      updatedByKind.put(kind.name(), updated.getOrDefault(kind.name(), 0L));
    }
    if (updated.containsKey(ItemKind.OTHER.name())) {
      updatedByKind.put(ItemKind.OTHER.name(), updated.get(ItemKind.OTHER.name()));
    }
    return new AuditEvent.Restamp(
        status.name(),
        policy(from),
        policy(configured),
        moved,
        startedAt,
        updatedByKind,
        // Items written with a superseded expiry after their change completed; counts only.
        new TreeMap<>(stragglers),
        skipped,
        durationMillis);
  }

  private static AuditEvent.Policy policy(RetentionPolicy p) {
    return new AuditEvent.Policy(p.programmeEnd(), p.retentionYears(), p.expiresAt());
  }
}
