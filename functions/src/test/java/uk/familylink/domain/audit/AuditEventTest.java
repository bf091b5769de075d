package uk.familylink.domain.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AuditEventTest {

  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");

  /** Field types that hold a count, a status, a date or a name; nothing structured from a file. */
  private static final Set<Type> ALLOWED =
      Set.of(
          String.class,
          int.class,
          long.class,
          boolean.class,
          Instant.class,
          LocalDate.class,
          YearMonth.class);

  @Test
  void everyEventFieldIsACountADateAStatusOrANestedEventPart() {
    List<String> offending = new ArrayList<>();
    for (Class<?> kind : AuditEvent.class.getPermittedSubclasses()) {
      check(kind, offending);
    }
    assertThat(AuditEvent.class.getPermittedSubclasses()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(offending).isEmpty();
  }

  private static void check(Class<?> record, List<String> offending) {
    assertThat(record.isRecord()).as(record.getName()).isTrue();
    for (RecordComponent c : record.getRecordComponents()) {
      Type t = c.getGenericType();
      if (ALLOWED.contains(t)) {
        continue;
      }
      if (c.getType().isRecord() && c.getType().getEnclosingClass() == AuditEvent.class) {
        check(c.getType(), offending);
        continue;
      }
      if (t instanceof ParameterizedType p && Map.class.isAssignableFrom(c.getType())) {
        // counts by a name: item kind, reason code, status, prefix
        if (p.getActualTypeArguments()[0] == String.class
            && p.getActualTypeArguments()[1] == Long.class) {
          continue;
        }
      }
      if (t instanceof ParameterizedType p && c.getType() == List.class) {
        Type element = p.getActualTypeArguments()[0];
        if (element == String.class || element == Instant.class) {
          continue;
        }
      }
      offending.add(record.getSimpleName() + "." + c.getName() + ": " + t.getTypeName());
    }
  }

  @Test
  void everyKindOfEventHasItsKindAndOnlyTheTwoCaseloadOutcomesShareOne() {
    List<AuditEvent> one = examples();
    Set<Class<?>> covered = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    one.forEach(
        e -> {
          covered.add(e.getClass());
          kinds.add(e.kind());
        });
    assertThat(covered).containsExactlyInAnyOrder(AuditEvent.class.getPermittedSubclasses());
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "INGEST",
            "DESTRUCTION",
            "RESTAMP",
            "TTL_DELETIONS",
            "SUBJECT_ACCESS",
            "LINK_REVIEW",
            "MERGE_SPLIT",
            "STATISTICS",
            "RESEARCH_RELEASE",
            "OUTPUTS",
            "CASELOAD");
  }

  @Test
  void anEntryCarriesTheEventsKindAndDetails() {
    AuditEvent.Statistics stats =
        new AuditEvent.Statistics("analyst", LocalDate.of(2026, 12, 1), 10, 6, 150, 74, 33, true);

    AuditEntry entry = stats.entry("id-1", AT, 99L);

    assertThat(entry.id()).isEqualTo("id-1");
    assertThat(entry.kind()).isEqualTo("STATISTICS");
    assertThat(entry.expiresAt()).isEqualTo(99L);
    assertThat(entry.details())
        .containsEntry("purpose", "EVALUATION")
        .containsEntry("asOf", "2026-12-01")
        .containsEntry("primarySuppressed", 74)
        .containsEntry("previousRelease", true);
    assertThat(stats.entry(AT, 99L).id()).isNotEqualTo(stats.entry(AT, 99L).id());
  }

  @Test
  void totalsAreTheSumsOfTheirParts() {
    TreeMap<String, Long> deleted = new TreeMap<>(Map.of("PERSON", 2L, "REC", 5L, "ID", 0L));
    TreeMap<String, Long> objects = new TreeMap<>(Map.of("incoming", 3L));
    AuditEvent.Destruction sweep =
        new AuditEvent.Destruction(
            "COMPLETE",
            AT,
            AT,
            YearMonth.of(2026, 1),
            YearMonth.of(2026, 12),
            deleted,
            null,
            objects,
            0,
            0,
            12,
            null);

    assertThat(sweep.details())
        .containsEntry("deletedItems", 7L)
        .containsEntry("deleted.REC", 5L)
        .containsEntry("deleted.ID", 0L)
        .containsEntry("deletedObjects", 3L)
        .containsEntry("objects.incoming", 3L)
        .containsEntry("verified", true)
        .doesNotContainKeys("errorType", "unbacked.notesChecked");
    assertThat(
            new AuditEvent.TtlDeletions(LocalDate.of(2026, 12, 1), deleted, "1", "9", AT).details())
        .containsEntry(AuditEvent.TtlDeletions.TOTAL, 7L)
        .containsEntry(AuditEvent.TtlDeletions.COUNT_PREFIX + "PERSON", 2L);
  }

  @Test
  void anIngestEntryNamesTheFileByHashAndLeavesOutWhatDidNotHappen() {
    AuditEvent.IngestedFile file =
        new AuditEvent.IngestedFile("f-1", "ab12", null, "police", "police-incidents");
    AuditEvent.Ingest superseded =
        new AuditEvent.Ingest("SUPERSEDED", file, -1, null, Map.of(), 0, 0, 0, null, 5);

    assertThat(superseded.details())
        .containsOnlyKeys("outcome", "fileId", "objectKeyHash", "partner", "dataset", "durationMs");
  }

  private static List<AuditEvent> examples() {
    TreeMap<String, Long> none = new TreeMap<>();
    AuditEvent.IngestedFile file = new AuditEvent.IngestedFile("f", "h", null, null, null);
    AuditEvent.Policy policy = new AuditEvent.Policy(LocalDate.of(2030, 3, 31), 6, AT);
    return List.of(
        new AuditEvent.Ingest("ACCEPTED", file, 1, null, Map.of(), 0, 0, 0, null, 1),
        new AuditEvent.Destruction(
            "COMPLETE",
            AT,
            AT,
            YearMonth.of(2026, 1),
            YearMonth.of(2026, 2),
            none,
            null,
            none,
            0,
            0,
            1,
            null),
        new AuditEvent.Restamp("COMPLETE", policy, policy, List.of(), AT, none, none, 0, 1),
        new AuditEvent.TtlDeletions(LocalDate.of(2026, 1, 1), none, "1", "2", AT),
        new AuditEvent.SubjectAccess("dpo", "SAR", List.of("NHS_NUMBER"), 1, 1, 1),
        new AuditEvent.LinkReviewDecision(
            "0123456789abcdef0123456789abcdef", "LINK", "analyst", AT, 1),
        new AuditEvent.MergeSplit("0123456789abcdef0123456789abcdef", "TIER_3", "analyst", AT),
        new AuditEvent.Statistics("analyst", LocalDate.of(2026, 1, 1), 1, 1, 1, 0, 0, false),
        new AuditEvent.ResearchRelease(
            "r-1", "study", "approver", "research", "basis", LocalDate.of(2027, 1, 1), 5, 1, 0, 0),
        new AuditEvent.Outputs(
            "team", List.of("EVALUATION"), LocalDate.of(2026, 1, 1), 1, Map.of()),
        new AuditEvent.CaseloadAnswered(
            "early-help", "early-help-referrals", LocalDate.of(2026, 1, 1), 1, Map.of(), 0),
        new AuditEvent.CaseloadRefused("early-help", "the partner does not send the dataset"));
  }
}
