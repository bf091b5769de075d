package uk.familylink.domain.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.UUID;

/**
 * Everything the service audits, one record per kind of entry: the one place that says which fields
 * an entry of each kind has and what they are called. Fields are counts, statuses, dates, names of
 * partners, datasets, studies and people acting for the council, object-key hashes and content
 * hashes; a type that could carry a value from a partner file has no place here (P1). The stored
 * form is {@link AuditEntry}'s {@code kind} and {@code details} map, which the audit adapters write
 * and read back unchanged.
 */
public sealed interface AuditEvent {

  /** The entry's kind, as stored and as the audit command filters on. */
  String kind();

  /** The entry's details, in a stable order. */
  Map<String, Object> details();

  /** This event as an entry with a new random id. */
  default AuditEntry entry(Instant at, long expiresAt) {
    return entry(UUID.randomUUID().toString(), at, expiresAt);
  }

  /** This event as an entry with the given id (a retry that must land on the same entry). */
  default AuditEntry entry(String id, Instant at, long expiresAt) {
    return new AuditEntry(id, at, kind(), details(), expiresAt);
  }

  // ---- ingest ---------------------------------------------------------------------------------

  /** Which upload an ingest entry is about: hashes and names only, never the partner's key. */
  record IngestedFile(
      String fileId, String objectKeyHash, String objectVersion, String partner, String dataset) {
    public IngestedFile {
      Objects.requireNonNull(fileId, "fileId");
      Objects.requireNonNull(objectKeyHash, "objectKeyHash");
    }
  }

  /** What validation read of the file, and its row counts by reason code. */
  record FileValidation(
      long bytesRead,
      boolean bytesReadToEnd,
      String sha256,
      long rowsTotal,
      long rowsValid,
      long rowsInvalid,
      long rowsKeptWithIssues,
      Map<String, Long> rowsByReason) {}

  /**
   * How one file ended (ACCEPTED, REJECTED, DUPLICATE, FAILED, SUPERSEDED, ...).
   *
   * @param validation null when the file was not validated (failed for good, superseded)
   * @param objectSize the object's size as stored (-1: not recorded)
   * @param linkage linkage totals over every attempt, in their order (empty: nothing linked)
   * @param resumedAfterRow the checkpoint this attempt resumed after (0: none)
   * @param failedAttempts earlier attempts that failed (0: none)
   * @param failures attempts that failed before the file was given up (0: not given up)
   * @param errorType the last failure's exception class (null: none)
   */
  record Ingest(
      String outcome,
      IngestedFile file,
      long objectSize,
      FileValidation validation,
      Map<String, Long> linkage,
      long resumedAfterRow,
      int failedAttempts,
      int failures,
      String errorType,
      long durationMs)
      implements AuditEvent {
    public static final String KIND = "INGEST";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("outcome", outcome);
      d.put("fileId", file.fileId());
      d.put("objectKeyHash", file.objectKeyHash());
      putIfPresent(d, "objectVersion", file.objectVersion());
      putIfPresent(d, "partner", file.partner());
      putIfPresent(d, "dataset", file.dataset());
      if (failures > 0) {
        d.put("failures", failures);
      }
      putIfPresent(d, "errorType", errorType);
      if (objectSize >= 0) {
        d.put("objectSize", objectSize);
      }
      if (validation != null) {
        d.put("bytesRead", validation.bytesRead());
        d.put("bytesReadToEnd", validation.bytesReadToEnd());
        putIfPresent(d, "sha256", validation.sha256());
        d.put("rowsTotal", validation.rowsTotal());
        d.put("rowsValid", validation.rowsValid());
        d.put("rowsInvalid", validation.rowsInvalid());
        d.put("rowsKeptWithIssues", validation.rowsKeptWithIssues());
        validation.rowsByReason().forEach((reason, n) -> d.put("reason." + reason, n));
      }
      d.putAll(linkage);
      if (resumedAfterRow > 0) {
        d.put("resumedAfterRow", resumedAfterRow);
      }
      if (failedAttempts > 0) {
        d.put("failedAttempts", failedAttempts);
      }
      d.put("durationMs", durationMs);
      return d;
    }
  }

  // ---- retention ------------------------------------------------------------------------------

  /** What the sweep's unbacked-link removal did. */
  record UnbackedRemoval(
      long notesChecked, long personsRemoved, long membershipsRemoved, long restoredAfterRelink) {}

  /**
   * One retention sweep: evidence of destruction, counts only.
   *
   * @param deletedByKind items deleted per item kind (every counted kind, zeros included)
   * @param unbacked null when the unbacked-link removal did not run
   * @param objectsByPrefix objects deleted per prefix (without its trailing slash)
   * @param remainingItems items found left after the run (-1: not verified)
   * @param errorType the failure's exception class (null: none); never its message
   */
  record Destruction(
      String status,
      Instant asOf,
      Instant retentionExpiresAt,
      YearMonth monthsFrom,
      YearMonth monthsTo,
      SortedMap<String, Long> deletedByKind,
      UnbackedRemoval unbacked,
      SortedMap<String, Long> objectsByPrefix,
      long remainingItems,
      long remainingObjects,
      long durationMillis,
      String errorType)
      implements AuditEvent {
    public static final String KIND = "DESTRUCTION";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("status", status);
      d.put("asOf", asOf.toString());
      d.put("retentionExpiresAt", retentionExpiresAt.toString());
      d.put("monthsFrom", monthsFrom.toString());
      d.put("monthsTo", monthsTo.toString());
      d.put("deletedItems", sum(deletedByKind));
      deletedByKind.forEach((kind, n) -> d.put("deleted." + kind, n));
      if (unbacked != null) {
        d.put("unbacked.notesChecked", unbacked.notesChecked());
        d.put("unbacked.personsRemoved", unbacked.personsRemoved());
        d.put("unbacked.membershipsRemoved", unbacked.membershipsRemoved());
        d.put("unbacked.restoredAfterRelink", unbacked.restoredAfterRelink());
      }
      d.put("deletedObjects", sum(objectsByPrefix));
      objectsByPrefix.forEach((prefix, n) -> d.put("objects." + prefix, n));
      d.put("verified", remainingItems >= 0);
      d.put("remainingItems", remainingItems);
      d.put("remainingObjects", remainingObjects);
      d.put("durationMillis", durationMillis);
      putIfPresent(d, "errorType", errorType);
      return d;
    }
  }

  /** A retention policy as the re-stamp records it. */
  record Policy(LocalDate programmeEnd, int retentionYears, Instant expiresAt) {}

  /**
   * One re-stamp run: every item's expiry moved from one policy to another, or stragglers moved.
   *
   * @param movedFrom the superseded expiries re-queried
   * @param updatedByKind items moved per kind (every counted kind, zeros included)
   * @param stragglersByKind items written with a superseded expiry after their change completed
   */
  record Restamp(
      String status,
      Policy from,
      Policy to,
      List<Instant> movedFrom,
      Instant startedAt,
      SortedMap<String, Long> updatedByKind,
      SortedMap<String, Long> stragglersByKind,
      long skipped,
      long durationMillis)
      implements AuditEvent {
    public static final String KIND = "RESTAMP";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("status", status);
      d.put("oldProgrammeEnd", from.programmeEnd().toString());
      d.put("oldRetentionYears", from.retentionYears());
      d.put("oldExpiresAt", from.expiresAt().toString());
      d.put("newProgrammeEnd", to.programmeEnd().toString());
      d.put("newRetentionYears", to.retentionYears());
      d.put("newExpiresAt", to.expiresAt().toString());
      d.put("movedFrom", String.join(",", movedFrom.stream().map(Instant::toString).toList()));
      d.put("startedAt", startedAt.toString());
      d.put("updatedItems", sum(updatedByKind));
      updatedByKind.forEach((kind, n) -> d.put("updated." + kind, n));
      d.put("stragglers", sum(stragglersByKind));
      stragglersByKind.forEach((kind, n) -> d.put("stragglers." + kind, n));
      d.put("skipped", skipped);
      d.put("durationMillis", durationMillis);
      return d;
    }
  }

  /**
   * One day's TTL deletions seen on the linked table's stream: evidence of destruction by
   * DynamoDB's own expiry.
   *
   * @param deletedByKind deletions per item kind (every counted kind but AUDIT, zeros included)
   */
  record TtlDeletions(
      LocalDate day,
      SortedMap<String, Long> deletedByKind,
      String firstSequenceNumber,
      String lastSequenceNumber,
      Instant recordedAt)
      implements AuditEvent {
    public static final String KIND = "TTL_DELETIONS";

    /** The details key of the day's total. */
    public static final String TOTAL = "ttlDeletions";

    /** The details-key prefix of a kind's count. */
    public static final String COUNT_PREFIX = "deleted.";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("day", day.toString());
      d.put(TOTAL, sum(deletedByKind));
      deletedByKind.forEach((kind, n) -> d.put(COUNT_PREFIX + kind, n));
      d.put("firstSequenceNumber", firstSequenceNumber);
      d.put("lastSequenceNumber", lastSequenceNumber);
      d.put("recordedAt", recordedAt.toString());
      return d;
    }
  }

  // ---- looks at the data (P8) -----------------------------------------------------------------

  /** A subject access request answered: who asked, why, by which kinds of identifier, counts. */
  record SubjectAccess(
      String requester,
      String purpose,
      List<String> identifierKinds,
      int recordsReturned,
      int membershipsReturned,
      int familyProfilesReturned)
      implements AuditEvent {
    public static final String KIND = "SUBJECT_ACCESS";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("requester", requester);
      d.put("purpose", purpose);
      d.put("identifierKinds", identifierKinds);
      d.put("recordsReturned", recordsReturned);
      d.put("membershipsReturned", membershipsReturned);
      d.put("familyProfilesReturned", familyProfilesReturned);
      return d;
    }
  }

  /**
   * A data-team decision on a possible-link review: which review (its id is a hash of two
   * pseudonymous person ids), the decision, who decided, and the merges it made (0 or 1).
   */
  record LinkReviewDecision(
      String reviewId, String decision, String decidedBy, Instant queuedAt, int merges)
      implements AuditEvent {
    public static final String KIND = "LINK_REVIEW";

    public LinkReviewDecision {
      Objects.requireNonNull(reviewId, "reviewId");
      Objects.requireNonNull(decision, "decision");
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("reviewId", reviewId);
      d.put("decision", decision);
      d.put("decidedBy", decidedBy);
      putIfPresent(d, "queuedAt", queuedAt == null ? null : queuedAt.toString());
      d.put("merges", merges);
      return d;
    }
  }

  /**
   * A data-team decision to split a merge (ADR 0146): which merge (its id is a hash of two
   * pseudonymous person ids), how it had been made (IDENTIFIER, TIER_3, HOUSEHOLD, REVIEW), who
   * split it, and when the merge was made.
   */
  record MergeSplit(String mergeId, String how, String decidedBy, Instant mergedAt)
      implements AuditEvent {
    public static final String KIND = "MERGE_SPLIT";

    public MergeSplit {
      Objects.requireNonNull(mergeId, "mergeId");
      Objects.requireNonNull(how, "how");
    }

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("mergeId", mergeId);
      d.put("how", how);
      d.put("decidedBy", decidedBy);
      putIfPresent(d, "mergedAt", mergedAt == null ? null : mergedAt.toString());
      return d;
    }
  }

  /** A statistics release made (evaluation purpose): sizes and suppression counts. */
  record Statistics(
      String requester,
      LocalDate asOf,
      int families,
      int tables,
      int cells,
      int primarySuppressed,
      int secondarySuppressed,
      boolean previousRelease)
      implements AuditEvent {
    public static final String KIND = "STATISTICS";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("requester", requester);
      d.put("purpose", "EVALUATION");
      d.put("asOf", asOf.toString());
      d.put("families", families);
      d.put("tables", tables);
      d.put("cells", cells);
      d.put("primarySuppressed", primarySuppressed);
      d.put("secondarySuppressed", secondarySuppressed);
      d.put("previousRelease", previousRelease);
      return d;
    }
  }

  /** A research release made: the approval it was made under and its anonymity counts. */
  record ResearchRelease(
      String releaseId,
      String study,
      String approver,
      String purpose,
      String legalBasis,
      LocalDate expiresOn,
      int k,
      int rows,
      long generalised,
      long withheld)
      implements AuditEvent {
    public static final String KIND = "RESEARCH_RELEASE";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("releaseId", releaseId);
      d.put("study", study);
      d.put("approver", approver);
      d.put("purpose", purpose);
      d.put("legalBasis", legalBasis);
      d.put("expiresOn", expiresOn.toString());
      d.put("k", k);
      d.put("rows", rows);
      d.put("generalised", generalised);
      d.put("withheld", withheld);
      return d;
    }
  }

  /**
   * A family outputs run (identification list, outcomes, re-referrals).
   *
   * @param counts families, interventions, eligible families and the like, in their order
   */
  record Outputs(
      String requester,
      List<String> purposes,
      LocalDate asOf,
      long objects,
      Map<String, Long> counts)
      implements AuditEvent {
    public static final String KIND = "OUTPUTS";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("requester", requester);
      d.put("purposes", purposes);
      d.put("asOf", asOf.toString());
      d.put("objects", objects);
      d.putAll(counts);
      return d;
    }
  }

  /**
   * A partner's caseload answered (identification purpose).
   *
   * @param byStatus rows per match status, lower-case status names, in their order
   */
  record CaseloadAnswered(
      String partner,
      String dataset,
      LocalDate asOf,
      long rows,
      Map<String, Long> byStatus,
      long eligibleNotInCaseload)
      implements AuditEvent {
    public static final String KIND = "CASELOAD";

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("requester", partner);
      d.put("purpose", "IDENTIFICATION");
      d.put("dataset", dataset);
      d.put("asOf", asOf.toString());
      d.put("rows", rows);
      d.putAll(byStatus);
      d.put("eligibleNotInCaseload", eligibleNotInCaseload);
      return d;
    }
  }

  /** A partner's caseload refused, with the service's own reason (never the file's content). */
  record CaseloadRefused(String partner, String reason) implements AuditEvent {
    @Override
    public String kind() {
      return CaseloadAnswered.KIND;
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("requester", partner);
      d.put("purpose", "IDENTIFICATION");
      d.put("refused", reason);
      return d;
    }
  }

  private static void putIfPresent(Map<String, Object> d, String key, Object value) {
    if (value != null) {
      d.put(key, value);
    }
  }

  private static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
