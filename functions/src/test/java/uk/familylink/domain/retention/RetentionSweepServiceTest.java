package uk.familylink.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.SweepResult.Status;
import uk.familylink.fakes.InMemoryAgedObjects;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryExpiredItems;
import uk.familylink.fakes.Keys;

class RetentionSweepServiceTest {

  private static final RetentionPolicy RETENTION =
      new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private static final Instant EXPIRY = RETENTION.expiresAt(); // 2032-04-01T00:00Z
  private static final Instant LATER = EXPIRY.plusSeconds(86_400L * 400);
  private static final Instant AFTER = Instant.parse("2032-04-02T00:00:00Z");
  private static final Instant BEFORE = Instant.parse("2032-03-31T23:59:59Z");
  private static final String BUCKET = "landing";

  private final InMemoryExpiredItems items = new InMemoryExpiredItems();
  private final InMemoryAgedObjects objects = new InMemoryAgedObjects();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  private RetentionSweep sweep(Instant clockNow) {
    return new RetentionSweep(
        items,
        objects,
        audit,
        SweepSettings.defaults(RETENTION, BUCKET),
        Clock.fixed(clockNow, ZoneOffset.UTC));
  }

  @BeforeEach
  void plantAPopulation() {
    for (int p = 0; p < 4; p++) {
      items.put(Table.LINKED, "PERSON#P" + p, "PERSON", EXPIRY);
      items.put(Table.LINKED, "ID#NHS#tok" + p, "ID", EXPIRY);
      items.put(Table.LINKED, "REC#police-incidents#r" + p, "REC", EXPIRY);
      items.put(Table.LINKED, "REC#school-attendance#r" + p, "REC", EXPIRY);
      items.put(Table.LINKED, "FAMILY#HOUSEHOLD#h" + (p / 2), "MEMBER#P" + p, EXPIRY);
    }
    items.put(Table.LINKED, "PERSON#P3", "MERGE", EXPIRY);
    items.put(Table.LINKED, "FILE#f1", "FILE", EXPIRY);
    items.put(Table.AUDIT, "AUDIT#2026-06-01", "2026-06-01T09:00:00Z#a", EXPIRY);
    items.put(Table.AUDIT, "AUDIT#2026-06-02", "2026-06-02T09:00:00Z#b", EXPIRY);
    // Live items beside the expired ones: a later expiry (another deployment's stamp, a re-stamp).
    items.put(Table.LINKED, "PERSON#LIVE", "PERSON", LATER);
    items.put(
        Table.LINKED,
        "REC#police-incidents#live",
        "REC",
        AFTER.plusSeconds(1)); // one second beyond the sweep's now
    items.put(Table.AUDIT, "AUDIT#2032-03-01", "2032-03-01T00:00:00Z#c", LATER);
    objects.put(
        "reports/police/police-incidents/a.csv.report.json", Instant.parse("2026-06-01T09:00:00Z"));
    objects.put(
        "reports/police/police-incidents/a.csv.report.txt", Instant.parse("2026-06-01T09:00:00Z"));
    objects.put("exports/2026/profile.csv", Instant.parse("2026-07-01T09:00:00Z"));
    objects.put(
        "incoming/police/police-incidents/stuck.csv", Instant.parse("2032-03-30T09:00:00Z"));
    objects.put("incoming/police/police-incidents/arriving.csv", AFTER.minusSeconds(3600));
  }

  @Test
  void aSweepBeforeTheRetentionDateDeletesNothingAndRecordsNothing() {
    objects.put("incoming/police/police-incidents/arriving.csv", BEFORE.minusSeconds(60));
    objects.put("incoming/police/police-incidents/stuck.csv", BEFORE.minusSeconds(3600));
    int itemsBefore = items.keys(Table.LINKED).size() + items.keys(Table.AUDIT).size();

    SweepResult result = sweep(BEFORE).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.COMPLETE);
    assertThat(result.deletedItems()).isZero();
    assertThat(result.deletedObjects()).isZero();
    assertThat(items.keys(Table.LINKED).size() + items.keys(Table.AUDIT).size())
        .isEqualTo(itemsBefore);
    assertThat(objects.keys()).hasSize(5);
    assertThat(audit.entries()).isEmpty();
  }

  @Test
  void aSweepAfterTheRetentionDateDeletesEveryExpiredItemAndObjectAndNothingLive() {
    SweepResult result = sweep(AFTER).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.COMPLETE);
    assertThat(result.verifiedClean()).isTrue();
    assertThat(items.keys(Table.LINKED))
        .containsExactlyInAnyOrder(
            Keys.itemKey("PERSON#LIVE", "PERSON"),
            Keys.itemKey("REC#police-incidents#live", "REC"));
    assertThat(items.keys(Table.AUDIT))
        .containsExactly(Keys.itemKey("AUDIT#2032-03-01", "2032-03-01T00:00:00Z#c"));
    assertThat(result.deletedItemsByKind())
        .containsEntry("PERSON", 4L)
        .containsEntry("MERGE", 1L)
        .containsEntry("ID", 4L)
        .containsEntry("REC", 8L)
        .containsEntry("FAMILY", 4L)
        .containsEntry("FILE", 1L)
        .containsEntry("AUDIT", 2L);
    assertThat(result.deletedItems()).isEqualTo(24);
    // reports and exports go with the data; the stray upload (3 days old) goes; the fresh one
    // stays.
    assertThat(objects.keys()).containsExactly("incoming/police/police-incidents/arriving.csv");
    assertThat(result.deletedObjectsByPrefix())
        .containsEntry("reports/", 2L)
        .containsEntry("exports/", 1L)
        .containsEntry("incoming/", 1L);
  }

  @Test
  void theDestructionEntryHoldsCountsByKindAndNoIdentifiers() {
    SweepResult result = sweep(AFTER).run(() -> Long.MAX_VALUE);

    assertThat(audit.entries()).hasSize(1);
    AuditEntry entry = audit.entries().get(0);
    assertThat(entry.id()).isEqualTo(result.auditEntryId());
    assertThat(entry.kind()).isEqualTo("DESTRUCTION");
    assertThat(entry.details())
        .containsEntry("status", "COMPLETE")
        .containsEntry("deletedItems", 24L)
        .containsEntry("deleted.REC", 8L)
        .containsEntry("deleted.AUDIT", 2L)
        .containsEntry("deleted.PERSON", 4L)
        .containsEntry("objects.reports", 2L)
        .containsEntry("objects.incoming", 1L)
        .containsEntry("remainingItems", 0L)
        .containsEntry("remainingObjects", 0L)
        .containsEntry("verified", true)
        .containsKey("durationMillis");
    String all = entry.details().toString();
    assertThat(all).doesNotContain("P0", "tok", "#r", "h0", "f1", "a.csv", "stuck");
    // kept a year beyond the destruction it evidences, so a later sweep removes it in turn
    assertThat(entry.expiresAt()).isEqualTo(Instant.parse("2033-04-02T00:00:00Z").getEpochSecond());
  }

  @Test
  void aRunStoppedByTheDeadlineResumesOnTheNextRunAndFinishes() {
    int total = items.keys(Table.LINKED).size() + items.keys(Table.AUDIT).size() - 3;
    // The deadline arrives once 7 items have been deleted (pages of 3: the run stops after the
    // third page).
    SweepResult first = sweep(AFTER).run(() -> items.deletedCount() >= 7 ? 0 : Long.MAX_VALUE);

    assertThat(first.status()).isEqualTo(Status.INTERRUPTED);
    assertThat(first.deletedItems()).isBetween(7L, 9L).isLessThan(total);
    assertThat(first.remainingItems()).isEqualTo(-1);
    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry("status", "INTERRUPTED")
                    .containsEntry("verified", false));

    SweepResult second = sweep(AFTER).run(() -> Long.MAX_VALUE);

    assertThat(second.status()).isEqualTo(Status.COMPLETE);
    assertThat(first.deletedItems() + second.deletedItems()).isEqualTo(total);
    assertThat(items.keys(Table.LINKED)).hasSize(2);
    assertThat(audit.entries()).hasSize(2);
  }

  @Test
  void overlappingOrRepeatedRunsDoNoHarm() {
    SweepResult first = sweep(AFTER).run(() -> Long.MAX_VALUE);
    SweepResult second = sweep(AFTER).run(() -> Long.MAX_VALUE);

    assertThat(first.deletedItems()).isEqualTo(24);
    assertThat(second.status()).isEqualTo(Status.COMPLETE);
    assertThat(second.deletedItems()).isZero();
    assertThat(second.auditEntryId()).isNull(); // a quiet run records nothing
    assertThat(items.keys(Table.LINKED)).hasSize(2);
  }

  @Test
  void itemsAlreadyRemovedByTtlAreNotCountedAndTheRestAreSwept() {
    items.removeDirectly(Table.LINKED, "REC#police-incidents#r0", "REC");
    items.removeDirectly(Table.LINKED, "PERSON#P0", "PERSON");
    // The index has not caught up with the TTL deletions yet.
    items.putStaleIndexEntry(Table.LINKED, "REC#police-incidents#r0", "REC", EXPIRY);
    items.putStaleIndexEntry(Table.LINKED, "PERSON#P0", "PERSON", EXPIRY);

    SweepResult result = sweep(AFTER).run(() -> Long.MAX_VALUE);

    assertThat(result.status()).isEqualTo(Status.COMPLETE);
    assertThat(result.deletedItems()).isEqualTo(22);
    assertThat(result.deleted("REC")).isEqualTo(7);
    assertThat(result.deleted("PERSON")).isEqualTo(3);
  }

  @Test
  void anItemReStampedToALaterExpiryIsSparedEvenIfTheIndexStillShowsItsOldExpiry() {
    items.put(Table.LINKED, "REC#police-incidents#r1", "REC", LATER);
    items.putStaleIndexEntry(Table.LINKED, "REC#police-incidents#r1", "REC", EXPIRY);

    SweepResult result = sweep(AFTER).run(() -> Long.MAX_VALUE);

    assertThat(items.keys(Table.LINKED)).contains(Keys.itemKey("REC#police-incidents#r1", "REC"));
    assertThat(result.deleted("REC")).isEqualTo(7);
    assertThat(result.status()).isEqualTo(Status.COMPLETE);
  }

  @Test
  void aStoreFailureIsAuditedAsFailedRethrownAndTheNextRunFinishes() {
    items.failNextDelete(new IllegalStateException("throttled"));

    assertThatThrownBy(() -> sweep(AFTER).run(() -> Long.MAX_VALUE))
        .isInstanceOf(IllegalStateException.class);

    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry("status", "FAILED")
                    .containsEntry("errorType", IllegalStateException.class.getName()));
    SweepResult retry = sweep(AFTER).run(() -> Long.MAX_VALUE);
    assertThat(retry.status()).isEqualTo(Status.COMPLETE);
    assertThat(retry.deletedItems()).isEqualTo(24);
  }

  @Test
  void itemsExpiringBeforeTheEarliestSweptMonthAreOutsideTheSweepsReach() {
    items.put(Table.LINKED, "REC#old#x", "REC", Instant.parse("2019-12-31T00:00:00Z"));
    AtomicInteger calls = new AtomicInteger();
    RetentionSweep sweep =
        new RetentionSweep(
            items,
            objects,
            audit,
            SweepSettings.defaults(RETENTION, BUCKET)
                .withEarliestMonth(java.time.YearMonth.of(2032, 4)),
            Clock.fixed(AFTER, ZoneOffset.UTC));

    SweepResult result =
        sweep.run(
            () -> {
              calls.incrementAndGet();
              return Long.MAX_VALUE;
            });

    assertThat(result.deletedItems()).isEqualTo(24);
    assertThat(items.keys(Table.LINKED)).contains(Keys.itemKey("REC#old#x", "REC"));
    // one month x 2 shards x 2 tables, swept and verified: 8 queries plus the pages beyond the
    // first
    assertThat(items.queries()).isLessThan(40);
  }

  @Test
  void aDestructionEntryBeforeTheRetentionDateIsKeptAYearBeyondTheDataItDescribes() {
    RetentionSweep sweep = sweep(BEFORE);
    assertThat(sweep.destructionEntryExpiresAt(BEFORE))
        .isEqualTo(Instant.parse("2033-04-01T00:00:00Z").getEpochSecond());
    assertThat(List.of(sweep.destructionEntryExpiresAt(AFTER)))
        .containsExactly(Instant.parse("2033-04-02T00:00:00Z").getEpochSecond());
  }
}
