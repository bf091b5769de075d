package uk.familylink.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampResult.Status;
import uk.familylink.domain.retention.RestampStore.Phase;
import uk.familylink.domain.retention.RestampStore.RetentionState;
import uk.familylink.domain.retention.RestampStore.Superseded;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryRestampStore;

class RetentionRestampServiceTest {

  private static final RetentionPolicy OLD = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private static final RetentionPolicy LATER = new RetentionPolicy(LocalDate.of(2027, 3, 31), 6);
  private static final RetentionPolicy EARLIER = new RetentionPolicy(LocalDate.of(2026, 3, 31), 3);
  private static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");
  private static final Instant DESTRUCTION_EXPIRY = Instant.parse("2033-04-01T00:00:00Z");

  private final InMemoryRestampStore store = new InMemoryRestampStore();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  private RetentionRestamp restamp(RetentionPolicy configured) {
    return restamp(configured, NOW);
  }

  private RetentionRestamp restamp(RetentionPolicy configured, Instant at) {
    return new RetentionRestamp(
        store,
        audit,
        configured,
        Period.ofYears(1),
        Duration.ofSeconds(30),
        Clock.fixed(at, ZoneOffset.UTC));
  }

  private List<Long> supersededExpiries() {
    return store.readState().orElseThrow().superseded().stream()
        .map(Superseded::expiresAt)
        .toList();
  }

  @BeforeEach
  void plantItemsStampedWithTheOldPolicy() {
    for (int p = 0; p < 5; p++) {
      store.put(Table.LINKED, "PERSON#P" + p, "PERSON", OLD.expiresAt());
      store.put(Table.LINKED, "ID#NHS#tok" + p, "ID", OLD.expiresAt());
      store.put(Table.LINKED, "REC#police-incidents#r" + p, "REC", OLD.expiresAt());
    }
    store.put(Table.LINKED, "FAMILY#HOUSEHOLD#h1", "MEMBER#P1", OLD.expiresAt());
    store.put(Table.AUDIT, "AUDIT#2026-06-01", "2026-06-01T09:00:00Z#ingest", OLD.expiresAt());
    // A destruction entry has its own rule and must keep its own expiry.
    store.put(
        Table.AUDIT, "AUDIT#2026-06-02", "2026-06-02T09:00:00Z#destruction", DESTRUCTION_EXPIRY);
    store.setState(new RetentionState(OLD, Phase.STABLE, null, List.of(), NOW, NOW));
  }

  @Test
  void aLaterProgrammeEndMovesEveryItemStampedWithTheOldExpiryAndAuditsCountsByKind() {
    RestampResult result = restamp(LATER).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.COMPLETE);
    assertThat(result.updatedByKind())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("PERSON", 5L, "ID", 5L, "REC", 5L, "FAMILY", 1L, "AUDIT", 1L));
    assertThat(store.countByExpiry(Table.LINKED))
        .containsExactly(Map.entry(LATER.expiresAt(), 16L));
    assertThat(store.expiresAt(Table.AUDIT, "AUDIT#2026-06-01", "2026-06-01T09:00:00Z#ingest"))
        .isEqualTo(LATER.expiresAt());
    assertThat(store.expiresAt(Table.AUDIT, "AUDIT#2026-06-02", "2026-06-02T09:00:00Z#destruction"))
        .isEqualTo(DESTRUCTION_EXPIRY);
    assertThat(store.readState())
        .get()
        .satisfies(
            s -> {
              assertThat(s.phase()).isEqualTo(Phase.STABLE);
              assertThat(s.policy()).isEqualTo(LATER);
            });
    AuditEntry entry = audit.entries().get(0);
    assertThat(audit.entries()).hasSize(1);
    assertThat(entry.kind()).isEqualTo("RESTAMP");
    assertThat(entry.details())
        .containsEntry("status", "COMPLETE")
        .containsEntry("oldProgrammeEnd", "2026-03-31")
        .containsEntry("newProgrammeEnd", "2027-03-31")
        .containsEntry("oldRetentionYears", 6)
        .containsEntry("newRetentionYears", 6)
        .containsEntry("updatedItems", 17L)
        .containsEntry("updated.REC", 5L)
        .containsEntry("updated.AUDIT", 1L)
        .containsEntry("skipped", 0L);
    assertThat(entry.details().values())
        .noneMatch(v -> v.toString().contains("tok") || v.toString().contains("#"));
    // Kept a year beyond the later of the two expiries.
    assertThat(entry.expiresAt())
        .isEqualTo(LATER.expiresAt().atZone(ZoneOffset.UTC).plusYears(1).toEpochSecond());
  }

  @Test
  void fewerRetentionYearsMoveItemsEarlier() {
    RestampResult result = restamp(EARLIER).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.COMPLETE);
    assertThat(EARLIER.expiresAt()).isBefore(OLD.expiresAt());
    assertThat(store.countByExpiry(Table.LINKED))
        .containsExactly(Map.entry(EARLIER.expiresAt(), 16L));
    assertThat(audit.entries().get(0).details())
        .containsEntry("oldRetentionYears", 6)
        .containsEntry("newRetentionYears", 3);
  }

  @Test
  void anUnchangedPolicyTouchesNothingAndRecordsNothing() {
    RestampResult result = restamp(OLD).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.UP_TO_DATE);
    assertThat(store.restampCalls()).isZero();
    assertThat(store.stateWrites()).isZero();
    assertThat(audit.entries()).isEmpty();
  }

  @Test
  void withoutARecordedStateTheConfiguredPolicyIsRecordedAsTheBaseline() {
    store.setState(null);

    RestampResult result = restamp(LATER).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.BASELINE_RECORDED);
    assertThat(store.readState()).get().extracting(RetentionState::policy).isEqualTo(LATER);
    assertThat(store.restampCalls()).isZero();
    assertThat(audit.entries()).isEmpty();
  }

  @Test
  void aRunStoppedByTheDeadlineLeavesTheStateRestampingAndTheNextRunFinishes() {
    AtomicInteger calls = new AtomicInteger();
    store.beforeRestamp((t, k) -> calls.incrementAndGet());

    RestampResult first = restamp(LATER).run(() -> calls.get() >= 6 ? 0 : 60_000);

    assertThat(first.status()).isEqualTo(Status.INTERRUPTED);
    assertThat(first.settled()).isFalse();
    assertThat(first.updated()).isEqualTo(6);
    assertThat(store.readState())
        .get()
        .satisfies(
            s -> {
              assertThat(s.phase()).isEqualTo(Phase.RESTAMPING);
              assertThat(s.from()).isEqualTo(OLD);
              assertThat(s.sourceExpiries()).containsExactly(OLD.expiresAtEpochSecond());
            });

    RestampResult second = restamp(LATER).run(() -> 60_000);

    assertThat(second.status()).isEqualTo(Status.COMPLETE);
    assertThat(first.updated() + second.updated()).isEqualTo(17);
    assertThat(second.from()).isEqualTo(OLD);
    assertThat(store.countByExpiry(Table.LINKED))
        .containsExactly(Map.entry(LATER.expiresAt(), 16L));
    assertThat(audit.entries())
        .extracting(e -> e.details().get("status"))
        .containsExactly("INTERRUPTED", "COMPLETE");
  }

  @Test
  void aSecondChangeDuringAnUnfinishedOneMovesItemsFromBothEarlierExpiries() {
    AtomicInteger calls = new AtomicInteger();
    store.beforeRestamp((t, k) -> calls.incrementAndGet());
    restamp(LATER).run(() -> calls.get() >= 6 ? 0 : 60_000);
    RetentionPolicy latest = new RetentionPolicy(LocalDate.of(2028, 3, 31), 7);

    RestampResult result = restamp(latest).run(() -> 60_000);

    assertThat(result.status()).isEqualTo(Status.COMPLETE);
    assertThat(result.from()).isEqualTo(OLD);
    assertThat(store.countByExpiry(Table.LINKED))
        .containsExactly(Map.entry(latest.expiresAt(), 16L));
    assertThat(store.expiresAt(Table.AUDIT, "AUDIT#2026-06-01", "2026-06-01T09:00:00Z#ingest"))
        .isEqualTo(latest.expiresAt());
  }

  @Test
  void anItemRewrittenConcurrentlyWithTheNewExpiryIsNotOverwrittenAndCountsAsSkipped() {
    Instant concurrentlyWritten = LATER.expiresAt();
    store.beforeRestamp(
        (t, k) -> {
          if (k.pk().equals("REC#police-incidents#r3")) {
            store.put(Table.LINKED, k.pk(), k.sk(), concurrentlyWritten);
          }
        });
    RetentionPolicy target =
        new RetentionPolicy(LocalDate.of(2027, 3, 31), 7); // not what the writer used

    RestampResult result = restamp(target).run(() -> Long.MAX_VALUE);

    assertThat(result.skipped()).isEqualTo(1);
    assertThat(result.updated("REC")).isEqualTo(4);
    assertThat(store.expiresAt(Table.LINKED, "REC#police-incidents#r3", "REC"))
        .isEqualTo(concurrentlyWritten);
  }

  @Test
  void aRerunAfterCompletionFindsNothingToDo() {
    restamp(LATER).run(() -> Long.MAX_VALUE);
    int calls = store.restampCalls();

    RestampResult again = restamp(LATER).run(() -> Long.MAX_VALUE);

    assertThat(again.status()).isEqualTo(Status.UP_TO_DATE);
    assertThat(store.restampCalls()).isEqualTo(calls);
    assertThat(audit.entries()).hasSize(1);
  }

  @Test
  void anItemWrittenWithTheOldExpiryAfterCompletionIsReStampedByTheNextRunAndAuditedAsAStraggler() {
    assertThat(restamp(LATER).run(() -> Long.MAX_VALUE).status()).isEqualTo(Status.COMPLETE);
    assertThat(supersededExpiries()).containsExactly(OLD.expiresAtEpochSecond());
    // An ingest container still configured with the old policy finishes its file after the
    // re-stamp.
    store.put(Table.LINKED, "REC#police-incidents#late", "REC", OLD.expiresAt());

    RestampResult next = restamp(LATER, NOW.plus(Duration.ofDays(1))).run(() -> Long.MAX_VALUE);

    assertThat(next.status()).isEqualTo(Status.STRAGGLERS_RESTAMPED);
    assertThat(next.settled()).isTrue();
    assertThat(next.stragglers()).isEqualTo(1);
    assertThat(next.stragglersByKind()).containsExactly(Map.entry("REC", 1L));
    assertThat(next.updated()).isZero();
    assertThat(store.expiresAt(Table.LINKED, "REC#police-incidents#late", "REC"))
        .isEqualTo(LATER.expiresAt());
    assertThat(store.countByExpiry(Table.LINKED))
        .containsExactly(Map.entry(LATER.expiresAt(), 17L));
    assertThat(audit.entries()).hasSize(2);
    AuditEntry entry = audit.entries().get(1);
    assertThat(entry.kind()).isEqualTo("RESTAMP");
    assertThat(entry.id()).isEqualTo(next.auditEntryId());
    assertThat(entry.details())
        .containsEntry("status", "STRAGGLERS_RESTAMPED")
        .containsEntry("stragglers", 1L)
        .containsEntry("stragglers.REC", 1L)
        .containsEntry("updatedItems", 0L);
    assertThat(entry.details().values())
        .noneMatch(v -> v.toString().contains("late") || v.toString().contains("#"));

    RestampResult quiet = restamp(LATER, NOW.plus(Duration.ofDays(2))).run(() -> Long.MAX_VALUE);

    assertThat(quiet.status()).isEqualTo(Status.UP_TO_DATE);
    assertThat(quiet.stragglers()).isZero();
    assertThat(audit.entries()).hasSize(2);
  }

  @Test
  void aStragglerFoundWhileTheNextChangeRunsMovesToThatChangesTarget() {
    restamp(LATER).run(() -> Long.MAX_VALUE);
    store.put(Table.AUDIT, "AUDIT#2026-09-01", "2026-09-01T10:05:00Z#ingest", OLD.expiresAt());
    RetentionPolicy latest = new RetentionPolicy(LocalDate.of(2028, 3, 31), 6);

    RestampResult result = restamp(latest, NOW.plus(Duration.ofDays(1))).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.COMPLETE);
    assertThat(store.countByExpiry(Table.LINKED))
        .containsExactly(Map.entry(latest.expiresAt(), 16L));
    assertThat(result.stragglersByKind()).containsExactly(Map.entry("AUDIT", 1L));
    assertThat(store.expiresAt(Table.AUDIT, "AUDIT#2026-09-01", "2026-09-01T10:05:00Z#ingest"))
        .isEqualTo(latest.expiresAt());
    assertThat(supersededExpiries())
        .containsExactly(LATER.expiresAtEpochSecond(), OLD.expiresAtEpochSecond());
  }

  @Test
  void aSupersededExpiryIsDroppedOnceTheWindowHasPassed() {
    restamp(LATER).run(() -> Long.MAX_VALUE);
    int writes = store.stateWrites();

    restamp(LATER, NOW.plus(RetentionRestamp.STRAGGLER_WINDOW).minusSeconds(1))
        .run(() -> Long.MAX_VALUE);

    assertThat(supersededExpiries()).containsExactly(OLD.expiresAtEpochSecond());
    assertThat(store.stateWrites()).isEqualTo(writes);

    RestampResult after =
        restamp(LATER, NOW.plus(RetentionRestamp.STRAGGLER_WINDOW)).run(() -> Long.MAX_VALUE);

    assertThat(after.status()).isEqualTo(Status.UP_TO_DATE);
    assertThat(supersededExpiries()).isEmpty();
    assertThat(store.stateWrites()).isEqualTo(writes + 1);
    assertThat(store.readState())
        .get()
        .satisfies(
            s -> {
              assertThat(s.phase()).isEqualTo(Phase.STABLE);
              assertThat(s.policy()).isEqualTo(LATER);
            });
  }

  @Test
  void theSupersededSetKeepsOnlyTheMostRecentChanges() {
    Instant at = NOW;
    for (int year = 2027; year < 2027 + RetentionRestamp.MAX_SUPERSEDED + 3; year++) {
      at = at.plusSeconds(3600);
      restamp(new RetentionPolicy(LocalDate.of(year, 3, 31), 6), at).run(() -> Long.MAX_VALUE);
    }

    List<Long> kept = supersededExpiries();
    assertThat(kept)
        .hasSize(RetentionRestamp.MAX_SUPERSEDED)
        .doesNotContain(OLD.expiresAtEpochSecond());
    // The most recently superseded: the policies of 2026+1 .. the one before the last.
    assertThat(kept.get(0))
        .isEqualTo(
            new RetentionPolicy(LocalDate.of(2027 + RetentionRestamp.MAX_SUPERSEDED + 1, 3, 31), 6)
                .expiresAtEpochSecond());
  }

  @Test
  void aChangeBackToTheOldPolicyNeverMovesItemsThatCarryItAgain() {
    restamp(LATER).run(() -> Long.MAX_VALUE);
    // The change is reverted: ingest stamps new items with the old policy again.
    store.put(Table.LINKED, "REC#police-incidents#again", "REC", OLD.expiresAt());
    int callsBefore = store.restampCalls();

    RestampResult back = restamp(OLD, NOW.plus(Duration.ofHours(2))).run(() -> Long.MAX_VALUE);

    assertThat(back.status()).isEqualTo(Status.COMPLETE);
    assertThat(back.updated("REC")).isEqualTo(5); // the items at LATER, not the one at OLD
    assertThat(back.stragglers()).isZero();
    assertThat(store.restampCalls() - callsBefore).isEqualTo((int) back.updated());
    assertThat(store.countByExpiry(Table.LINKED)).containsExactly(Map.entry(OLD.expiresAt(), 17L));
    assertThat(supersededExpiries()).containsExactly(LATER.expiresAtEpochSecond());

    store.put(Table.LINKED, "REC#police-incidents#again2", "REC", OLD.expiresAt());
    store.put(Table.LINKED, "REC#police-incidents#late", "REC", LATER.expiresAt());
    int callsBeforeCheck = store.restampCalls();

    RestampResult check = restamp(OLD, NOW.plus(Duration.ofDays(1))).run(() -> Long.MAX_VALUE);

    assertThat(check.stragglers()).isEqualTo(1); // only the one written with LATER
    assertThat(store.restampCalls() - callsBeforeCheck).isEqualTo(1);
    assertThat(store.expiresAt(Table.LINKED, "REC#police-incidents#again2", "REC"))
        .isEqualTo(OLD.expiresAt());
    assertThat(store.expiresAt(Table.LINKED, "REC#police-incidents#late", "REC"))
        .isEqualTo(OLD.expiresAt());
  }

  @Test
  void aStragglerCheckStoppedByTheDeadlineIsInterruptedSoTheSweepWaits() {
    restamp(LATER).run(() -> Long.MAX_VALUE);
    store.put(Table.LINKED, "REC#police-incidents#late", "REC", OLD.expiresAt());

    RestampResult stopped = restamp(LATER, NOW.plus(Duration.ofDays(1))).run(() -> 10_000);

    assertThat(stopped.status()).isEqualTo(Status.INTERRUPTED);
    assertThat(stopped.settled()).isFalse();
    assertThat(store.expiresAt(Table.LINKED, "REC#police-incidents#late", "REC"))
        .isEqualTo(OLD.expiresAt());
    assertThat(supersededExpiries()).containsExactly(OLD.expiresAtEpochSecond());
  }
}
