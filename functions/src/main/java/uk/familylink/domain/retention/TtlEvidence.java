package uk.familylink.domain.retention;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;

/**
 * Evidence that DynamoDB TTL destroyed items, from the linked table's stream: the TTL service's
 * REMOVE records are counted by item kind and UTC day, one {@code TTL_DELETIONS} audit entry per
 * day of a batch. Everything else (inserts, updates, the sweep's own deletes) is ignored.
 *
 * <p>Keys hold tokens, so only the kind (the pk prefix) leaves this class: an entry carries counts
 * and the batch's sequence-number range, never a key.
 *
 * <p>Idempotent under stream retries: the entry's id is the day's first and last sequence numbers
 * and its instant the day's latest record time, so a re-delivered batch produces the same audit
 * key; the audit log refuses to overwrite it and that entry counts as already recorded.
 */
public final class TtlEvidence {

  public static final String AUDIT_KIND = AuditEvent.TtlDeletions.KIND;

  /** What DynamoDB writes in {@code userIdentity} of a TTL deletion. */
  public static final String TTL_IDENTITY_TYPE = "Service";

  public static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

  static final String TOTAL = AuditEvent.TtlDeletions.TOTAL;
  static final String COUNT_PREFIX = AuditEvent.TtlDeletions.COUNT_PREFIX;

  /**
   * One stream record, as much of it as the evidence needs.
   *
   * @param kind the item's kind, as the handler read it from the keys (OTHER without keys)
   * @param at ApproximateCreationDateTime; null if the record had none
   * @param sequenceNumber the shard's sequence number (decimal digits)
   */
  public record StreamRecord(
      String eventName,
      String identityType,
      String principalId,
      String pk,
      String sk,
      ItemKind kind,
      Instant at,
      String sequenceNumber) {

    public boolean isTtlRemoval() {
      return "REMOVE".equals(eventName)
          && TTL_IDENTITY_TYPE.equals(identityType)
          && TTL_PRINCIPAL.equals(principalId);
    }

    /** Never the keys: they hold tokens. */
    @Override
    public String toString() {
      return "StreamRecord[" + eventName + ", " + identityType + ", seq " + sequenceNumber + "]";
    }
  }

  /**
   * What one stream batch contributed to the evidence.
   *
   * @param ttlDeletions TTL removals counted (recorded now or earlier)
   * @param recorded audit entries written by this call
   * @param alreadyRecorded entries a previous delivery of the same batch had written
   * @param ignored records that were not TTL removals
   * @param unusable TTL removals without a time or sequence number (not counted; logged)
   * @param entryIds ids of the entries written or found
   */
  public record Result(
      long ttlDeletions,
      int recorded,
      int alreadyRecorded,
      int ignored,
      int unusable,
      List<String> entryIds) {
    public Result {
      entryIds = List.copyOf(entryIds);
    }
  }

  private final AuditLog audit;
  private final RetentionPolicy retention;
  private final Period auditRetention;
  private final Clock clock;

  public TtlEvidence(
      AuditLog audit, RetentionPolicy retention, Period auditRetention, Clock clock) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.auditRetention = Objects.requireNonNull(auditRetention, "auditRetention");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Counts one batch's TTL removals and appends one entry per UTC day they fall on. */
  public Result record(List<StreamRecord> records) {
    SortedMap<LocalDate, List<StreamRecord>> byDay = new TreeMap<>();
    int ignored = 0;
    int unusable = 0;
    for (StreamRecord r : records) {
      if (!r.isTtlRemoval()) {
        ignored++;
      } else if (r.at() == null || !isSequenceNumber(r.sequenceNumber())) {
        unusable++;
      } else {
        byDay
            .computeIfAbsent(LocalDate.ofInstant(r.at(), ZoneOffset.UTC), d -> new ArrayList<>())
            .add(r);
      }
    }
    long total = 0;
    int recorded = 0;
    int already = 0;
    List<String> ids = new ArrayList<>();
    for (Map.Entry<LocalDate, List<StreamRecord>> day : byDay.entrySet()) {
      AuditEntry entry = entry(day.getKey(), day.getValue());
      if (audit.appendIfAbsent(entry)) {
        recorded++;
      } else {
        already++;
      }
      ids.add(entry.id());
      total += day.getValue().size();
    }
    return new Result(total, recorded, already, ignored, unusable, ids);
  }

  private AuditEntry entry(LocalDate day, List<StreamRecord> removals) {
    Comparator<StreamRecord> bySequence =
        Comparator.comparing(r -> new BigInteger(r.sequenceNumber()));
    String first = removals.stream().min(bySequence).orElseThrow().sequenceNumber();
    String last = removals.stream().max(bySequence).orElseThrow().sequenceNumber();
    // The latest record time of the day, not the clock: a retry must land on the same audit key.
    Instant at =
        removals.stream().map(StreamRecord::at).max(Comparator.naturalOrder()).orElseThrow();
    SortedMap<String, Long> byKind = new TreeMap<>();
    for (ItemKind kind : ItemKind.COUNTED) {
      if (kind != ItemKind.AUDIT) {
        byKind.put(kind.name(), 0L);
      }
    }
    removals.forEach(r -> byKind.merge(r.kind().name(), 1L, Long::sum));
    return new AuditEvent.TtlDeletions(day, byKind, first, last, clock.instant())
        .entry("ttl-" + first + "-" + last, at, expiresAt());
  }

  /**
   * Kept like the sweep's destruction entries: {@code auditRetention} beyond the later of now and
   * the data's expiry.
   */
  private long expiresAt() {
    return retention.evidenceExpiresAt(clock.instant(), auditRetention);
  }

  private static boolean isSequenceNumber(String s) {
    return s != null
        && !s.isEmpty()
        && s.length() <= 64
        && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * TTL deletions per UTC day and kind, summed over {@code TTL_DELETIONS} entries (other kinds are
   * skipped): what the DPO shows as evidence that expiry happened. Key {@code ttlDeletions} is the
   * total.
   */
  public static SortedMap<LocalDate, SortedMap<String, Long>> dailyTotals(
      Collection<AuditEntry> entries) {
    SortedMap<LocalDate, SortedMap<String, Long>> out = new TreeMap<>();
    for (AuditEntry e : entries) {
      if (!AUDIT_KIND.equals(e.kind()) || e.details() == null) {
        continue;
      }
      Object dayText = e.details().get("day");
      LocalDate day =
          dayText == null
              ? LocalDate.ofInstant(e.at(), ZoneOffset.UTC)
              : LocalDate.parse(dayText.toString());
      SortedMap<String, Long> totals = out.computeIfAbsent(day, d -> new TreeMap<>());
      e.details()
          .forEach(
              (k, v) -> {
                if (v != null && (k.equals(TOTAL) || k.startsWith(COUNT_PREFIX))) {
                  totals.merge(k, new BigDecimal(v.toString()).longValueExact(), Long::sum);
                }
              });
    }
    return out;
  }
}
