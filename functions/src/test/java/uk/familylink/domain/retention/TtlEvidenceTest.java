package uk.familylink.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.retention.TtlEvidence.StreamRecord;

class TtlEvidenceTest {

  private static final String TOKEN = "CANARYtokQ2FuYXJ5VG9rZW4";
  private static final Instant NOW = Instant.parse("2033-04-02T10:00:00Z");
  private static final RetentionPolicy RETENTION =
      new RetentionPolicy(LocalDate.parse("2026-03-31"), 6);

  /** Refuses to overwrite an entry with the same day, instant and id, as DynamoDbAuditLog does. */
  static final class ConditionalAuditLog implements AuditLog {
    final List<AuditEntry> entries = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();

    @Override
    public boolean appendIfAbsent(AuditEntry e) {
      if (!keys.add(e.at() + "#" + e.id())) {
        return false;
      }
      entries.add(e);
      return true;
    }
  }

  private final ConditionalAuditLog audit = new ConditionalAuditLog();
  private final TtlEvidence evidence =
      new TtlEvidence(audit, RETENTION, Period.ofYears(1), Clock.fixed(NOW, ZoneOffset.UTC));

  static StreamRecord ttlRemove(String pk, String sk, String at, long seq) {
    return new StreamRecord(
        "REMOVE",
        "Service",
        "dynamodb.amazonaws.com",
        pk,
        sk,
        uk.familylink.adapter.aws.LinkedTable.kindOf(pk, sk),
        Instant.parse(at),
        Long.toString(seq));
  }

  @Test
  void countsTtlRemovalsByKindFromTheKeyPrefix() {
    TtlEvidence.Result result =
        evidence.record(
            List.of(
                ttlRemove("PERSON#p-" + TOKEN, "PERSON", "2033-04-01T03:00:00Z", 101),
                ttlRemove("PERSON#p-" + TOKEN, "MERGE", "2033-04-01T03:00:01Z", 102),
                ttlRemove("ID#NHS#" + TOKEN, "ID", "2033-04-01T03:00:02Z", 103),
                ttlRemove("ID#POSTCODE#" + TOKEN, "ID", "2033-04-01T03:00:03Z", 104),
                ttlRemove("REC#school#" + TOKEN, "REC", "2033-04-01T03:00:04Z", 105),
                ttlRemove(
                    "FAMILY#HOUSEHOLD#" + TOKEN, "MEMBER#p-" + TOKEN, "2033-04-01T03:00:05Z", 106),
                ttlRemove("FILE#" + TOKEN, "FILE", "2033-04-01T03:00:06Z", 107),
                ttlRemove("SOMETHING#" + TOKEN, "X", "2033-04-01T03:00:07Z", 108)));

    assertThat(result.ttlDeletions()).isEqualTo(8);
    assertThat(result.recorded()).isEqualTo(1);
    assertThat(audit.entries).hasSize(1);
    AuditEntry entry = audit.entries.get(0);
    assertThat(entry.kind()).isEqualTo("TTL_DELETIONS");
    assertThat(entry.at()).isEqualTo(Instant.parse("2033-04-01T03:00:07Z"));
    assertThat(entry.details())
        .containsEntry("day", "2033-04-01")
        .containsEntry("ttlDeletions", 8L)
        .containsEntry("deleted.PERSON", 1L)
        .containsEntry("deleted.MERGE", 1L)
        .containsEntry("deleted.ID", 2L)
        .containsEntry("deleted.REC", 1L)
        .containsEntry("deleted.FAMILY", 1L)
        .containsEntry("deleted.FILE", 1L)
        .containsEntry("deleted.OTHER", 1L)
        .containsEntry("firstSequenceNumber", "101")
        .containsEntry("lastSequenceNumber", "108")
        .doesNotContainKey("deleted.AUDIT");
    // Kept a year beyond the data's expiry (2032-04-01), as the sweep's destruction entries.
    assertThat(entry.expiresAt())
        .isEqualTo(
            Instant.parse("2033-04-02T10:00:00Z")
                .atZone(ZoneOffset.UTC)
                .plusYears(1)
                .toEpochSecond());
  }

  @Test
  void aBatchAcrossMidnightGivesOneEntryPerUtcDay() {
    evidence.record(
        List.of(
            ttlRemove("ID#NHS#" + TOKEN + "1", "ID", "2033-04-01T23:59:58Z", 201),
            ttlRemove("ID#NHS#" + TOKEN + "2", "ID", "2033-04-01T23:59:59Z", 202),
            ttlRemove("REC#school#" + TOKEN, "REC", "2033-04-02T00:00:00Z", 203)));

    assertThat(audit.entries)
        .extracting(e -> e.details().get("day"))
        .containsExactly("2033-04-01", "2033-04-02");
    assertThat(audit.entries.get(0).details())
        .containsEntry("ttlDeletions", 2L)
        .containsEntry("deleted.ID", 2L)
        .containsEntry("firstSequenceNumber", "201")
        .containsEntry("lastSequenceNumber", "202");
    assertThat(audit.entries.get(1).details())
        .containsEntry("ttlDeletions", 1L)
        .containsEntry("deleted.REC", 1L)
        .containsEntry("firstSequenceNumber", "203")
        .containsEntry("lastSequenceNumber", "203");
    assertThat(audit.entries.get(1).at()).isEqualTo(Instant.parse("2033-04-02T00:00:00Z"));
  }

  @Test
  void ignoresInsertsUpdatesAndDeletionsNotMadeByTtl() {
    String at = "2033-04-01T03:00:00Z";
    TtlEvidence.Result result =
        evidence.record(
            List.of(
                new StreamRecord(
                    "REMOVE",
                    null,
                    null,
                    "ID#NHS#" + TOKEN,
                    "ID",
                    ItemKind.ID,
                    Instant.parse(at),
                    "1"),
                new StreamRecord(
                    "REMOVE",
                    "Service",
                    "someone.else.amazonaws.com",
                    "ID#NHS#" + TOKEN,
                    "ID",
                    ItemKind.ID,
                    Instant.parse(at),
                    "2"),
                new StreamRecord(
                    "INSERT",
                    "Service",
                    "dynamodb.amazonaws.com",
                    "ID#NHS#" + TOKEN,
                    "ID",
                    ItemKind.ID,
                    Instant.parse(at),
                    "3"),
                new StreamRecord(
                    "MODIFY",
                    null,
                    null,
                    "ID#NHS#" + TOKEN,
                    "ID",
                    ItemKind.ID,
                    Instant.parse(at),
                    "4")));

    assertThat(result.ignored()).isEqualTo(4);
    assertThat(result.ttlDeletions()).isZero();
    assertThat(audit.entries).isEmpty();
  }

  @Test
  void ttlRemovalsWithoutTimeOrSequenceNumberAreReportedNotCounted() {
    TtlEvidence.Result result =
        evidence.record(
            List.of(
                new StreamRecord(
                    "REMOVE",
                    "Service",
                    "dynamodb.amazonaws.com",
                    "ID#NHS#" + TOKEN,
                    "ID",
                    ItemKind.ID,
                    null,
                    "5"),
                new StreamRecord(
                    "REMOVE",
                    "Service",
                    "dynamodb.amazonaws.com",
                    "ID#NHS#" + TOKEN,
                    "ID",
                    ItemKind.ID,
                    Instant.parse("2033-04-01T03:00:00Z"),
                    "not-a-number")));

    assertThat(result.unusable()).isEqualTo(2);
    assertThat(audit.entries).isEmpty();
  }

  @Test
  void aRetriedBatchCollidesWithItsFirstDeliveryAndIsNotCountedTwice() {
    List<StreamRecord> batch =
        List.of(
            ttlRemove("ID#NHS#" + TOKEN, "ID", "2033-04-01T23:59:59Z", 301),
            ttlRemove("PERSON#p-" + TOKEN, "PERSON", "2033-04-02T00:00:01Z", 302));
    TtlEvidence first = evidence;
    // The retry runs later, in another execution environment: only the clock differs.
    TtlEvidence retry =
        new TtlEvidence(
            audit, RETENTION, Period.ofYears(1), Clock.fixed(NOW.plusSeconds(90), ZoneOffset.UTC));

    TtlEvidence.Result one = first.record(batch);
    TtlEvidence.Result two = retry.record(batch);

    assertThat(one.recorded()).isEqualTo(2);
    assertThat(two.recorded()).isZero();
    assertThat(two.alreadyRecorded()).isEqualTo(2);
    assertThat(two.entryIds()).isEqualTo(one.entryIds());
    assertThat(audit.entries).hasSize(2);
    assertThat(TtlEvidence.dailyTotals(audit.entries).values())
        .extracting(m -> m.get("ttlDeletions"))
        .containsExactly(1L, 1L);
  }

  @Test
  void otherAuditFailuresAreNotMistakenForDuplicates() {
    AuditLog failing =
        e -> {
          throw new IllegalStateException("throttled");
        };
    TtlEvidence broken =
        new TtlEvidence(failing, RETENTION, Period.ofYears(1), Clock.fixed(NOW, ZoneOffset.UTC));

    assertThatThrownBy(
            () ->
                broken.record(
                    List.of(ttlRemove("ID#NHS#" + TOKEN, "ID", "2033-04-01T03:00:00Z", 1))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void noTokenReachesTheAuditEntry() {
    evidence.record(
        List.of(
            ttlRemove("ID#NHS#" + TOKEN, "ID", "2033-04-01T03:00:00Z", 401),
            ttlRemove(
                "FAMILY#HOUSEHOLD#" + TOKEN, "MEMBER#p-" + TOKEN, "2033-04-01T03:00:01Z", 402)));

    AuditEntry entry = audit.entries.get(0);
    assertThat(entry.toString()).doesNotContain(TOKEN);
    assertThat(entry.id()).doesNotContain(TOKEN);
    assertThat(entry.details().values())
        .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(TOKEN));
    assertThat(ttlRemove("ID#NHS#" + TOKEN, "ID", "2033-04-01T03:00:00Z", 1).toString())
        .doesNotContain(TOKEN);
  }

  @Test
  void dailyTotalsSumEntriesOfTheSameDayAndSkipOtherKinds() {
    evidence.record(
        List.of(
            ttlRemove("ID#NHS#" + TOKEN, "ID", "2033-04-01T03:00:00Z", 501),
            ttlRemove("REC#s#" + TOKEN, "REC", "2033-04-01T03:00:01Z", 502)));
    evidence.record(List.of(ttlRemove("ID#NHS#" + TOKEN, "ID", "2033-04-01T09:00:00Z", 503)));
    evidence.record(List.of(ttlRemove("FILE#" + TOKEN, "FILE", "2033-04-03T09:00:00Z", 504)));
    List<AuditEntry> all = new ArrayList<>(audit.entries);
    all.add(
        new AuditEntry(
            "x",
            Instant.parse("2033-04-01T04:00:00Z"),
            "DESTRUCTION",
            Map.of("deletedItems", 99L, "deleted.ID", 99L),
            0));

    var totals = TtlEvidence.dailyTotals(all);

    assertThat(totals)
        .containsOnlyKeys(LocalDate.parse("2033-04-01"), LocalDate.parse("2033-04-03"));
    assertThat(totals.get(LocalDate.parse("2033-04-01")))
        .containsEntry("ttlDeletions", 3L)
        .containsEntry("deleted.ID", 2L)
        .containsEntry("deleted.REC", 1L)
        .containsEntry("deleted.FILE", 0L);
    assertThat(totals.get(LocalDate.parse("2033-04-03")))
        .containsEntry("ttlDeletions", 1L)
        .containsEntry("deleted.FILE", 1L);
  }
}
