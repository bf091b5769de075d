package uk.familylink.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampStore.Phase;
import uk.familylink.domain.retention.RestampStore.RetentionState;
import uk.familylink.fakes.InMemoryAgedObjects;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryExpiredItems;
import uk.familylink.fakes.InMemoryRestampStore;

/** Re-stamp first, sweep only when settled: the rule the Lambda and the local tool share. */
class DailyRetentionTest {

  private static final RetentionPolicy OLD = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private static final RetentionPolicy NEW = new RetentionPolicy(LocalDate.of(2027, 3, 31), 6);
  private static final Clock AFTER_OLD_EXPIRY =
      Clock.fixed(Instant.parse("2032-04-02T03:00:00Z"), ZoneOffset.UTC);

  private final InMemoryExpiredItems sweepView = new InMemoryExpiredItems();
  private final InMemoryRestampStore restampView = new InMemoryRestampStore();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  private DailyRetention daily(RetentionPolicy configured, boolean withRestamp) {
    RetentionSweep sweep =
        new RetentionSweep(
            sweepView,
            new InMemoryAgedObjects(),
            audit,
            SweepSettings.defaults(configured, "landing"),
            AFTER_OLD_EXPIRY);
    RetentionRestamp restamp =
        new RetentionRestamp(
            restampView,
            audit,
            configured,
            Period.ofYears(1),
            Duration.ofSeconds(30),
            AFTER_OLD_EXPIRY);
    return new DailyRetention(withRestamp ? restamp : null, sweep);
  }

  private void oneRecordUnderTheOldPolicy() {
    restampView.setState(
        new RetentionState(OLD, Phase.STABLE, null, List.of(), Instant.EPOCH, Instant.EPOCH));
    restampView.put(Table.LINKED, "REC#police-incidents#r1", "REC", OLD.expiresAt());
    sweepView.put(Table.LINKED, "REC#police-incidents#r1", "REC", OLD.expiresAt());
  }

  @Test
  void anUnfinishedRestampLeavesTheSweepToTheNextRun() {
    oneRecordUnderTheOldPolicy();

    DailyRetention.Outcome outcome = daily(NEW, true).run(() -> 10_000);

    assertThat(outcome.swept()).isFalse();
    assertThat(outcome.restamp().status()).isEqualTo(RestampResult.Status.INTERRUPTED);
    assertThat(outcome.restampWorthReporting()).isTrue();
    assertThat(sweepView.keys(Table.LINKED)).hasSize(1);
  }

  @Test
  void aSettledPolicySweepsInTheSameRun() {
    oneRecordUnderTheOldPolicy();

    DailyRetention.Outcome outcome = daily(OLD, true).run(() -> 600_000);

    assertThat(outcome.restamp().status()).isEqualTo(RestampResult.Status.UP_TO_DATE);
    assertThat(outcome.restampWorthReporting()).isFalse();
    assertThat(outcome.sweep().deletedItems()).isEqualTo(1);
    assertThat(sweepView.keys(Table.LINKED)).isEmpty();
  }

  @Test
  void withoutARestampItOnlySweeps() {
    oneRecordUnderTheOldPolicy();

    DailyRetention.Outcome outcome = daily(NEW, false).run(() -> 10_000_000);

    assertThat(outcome.restamp()).isNull();
    assertThat(outcome.swept()).isTrue();
    assertThat(restampView.restampCalls()).isZero();
  }
}
