package uk.familylink.domain.review;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.ReviewQueue;
import uk.familylink.domain.review.LinkReviewException.Reason;

/**
 * The data team's work on possible links (ADR 0142): list the pending reviews, and decide one.
 *
 * <ul>
 *   <li>LINK merges the two persons through the link store's merge (the older survives and keeps
 *       its ID, as in ingest); the merge record cites the review as its evidence.
 *   <li>KEEP_APART records the decision; the pair keeps its review id, so a later ingest that finds
 *       it again does not queue it again.
 * </ul>
 *
 * The first decision stands: a decision on a decided review is refused. Every decision is audited
 * ({@code LINK_REVIEW}: review id, decision, who, whether persons were merged) before it is
 * reported (P8). Order: the merge first, then the decision, then the audit; a crash after the merge
 * leaves the review pending with its persons already one, and deciding it again completes it.
 *
 * <p>Merges can be listed and split again (ADR 0146): {@link #merges} lists every merge with how it
 * was made (identifier, tier 3, household, review) and its evidence, under an id that names no
 * person; {@link #split} withdraws one. Order: the pair is recorded as SPLIT in the review queue
 * first (so no ingest joins them again from then on), then the store's split, then the audit
 * ({@code MERGE_SPLIT}); a crash before the store's split leaves them one and marked, and splitting
 * again completes it.
 */
public final class LinkReviews {

  /** Longest decidedBy accepted (it is stored in the review and the audit). */
  public static final int MAX_TEXT = 200;

  private static final Pattern REVIEW_ID = Pattern.compile("[0-9a-f]{32}");
  private static final int MAX_MERGE_CHAIN = 32;
  private static final int MAX_MERGE_ATTEMPTS = 4;

  /** What the data team decides. */
  public enum Decision {
    LINK,
    KEEP_APART;

    /** {@code link} or {@code keep-apart} (any case, - or _), or null when neither. */
    public static Decision parse(String text) {
      if (text == null) {
        return null;
      }
      return switch (text.strip().toUpperCase(Locale.ROOT).replace('-', '_')) {
        case "LINK" -> LINK;
        case "KEEP_APART" -> KEEP_APART;
        default -> null;
      };
    }

    LinkReview.Status status() {
      return this == LINK ? LinkReview.Status.LINKED : LinkReview.Status.KEPT_APART;
    }
  }

  /**
   * A decision made.
   *
   * @param survivor the person both are now (LINK); null for KEEP_APART
   * @param merged true when this decision merged two persons (false: they were one already)
   */
  public record Outcome(LinkReview review, PersonId survivor, boolean merged) {}

  /**
   * A split made.
   *
   * @param merge the merge as now stored (split)
   */
  public record SplitOutcome(MergeRecord merge) {}

  private final LinkStore store;
  private final ReviewQueue queue;
  private final LinkedDataReader merges;
  private final AuditLog audit;
  private final Clock clock;
  private final LongSupplier expiresAt;

  /**
   * @param expiresAt expiresAt (epoch seconds) of the merge and the audit entry (the retention
   *     policy's)
   */
  public LinkReviews(
      LinkStore store,
      ReviewQueue queue,
      LinkedDataReader merges,
      AuditLog audit,
      Clock clock,
      LongSupplier expiresAt) {
    this.store = Objects.requireNonNull(store, "store");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.merges = Objects.requireNonNull(merges, "merges");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** The pending reviews, oldest first. */
  public List<LinkReview> pending() {
    return queue.pending(clock.instant());
  }

  /**
   * Every merge held, newest first (then by id): those in force and those split, so the data team
   * sees what was joined and what was undone. {@code how} null: all kinds.
   */
  public List<MergeRecord> merges(MergeRecord.How how) {
    List<MergeRecord> out = new ArrayList<>();
    merges.forEachMerge(
        clock.instant(),
        m -> {
          if (how == null || m.how() == how) {
            out.add(m);
          }
        });
    out.sort(Comparator.comparing(MergeRecord::at).reversed().thenComparing(MergeRecord::id));
    return out;
  }

  /**
   * Splits the merge with this id (from {@link #merges}): the merged person is active again with
   * its own records and identifiers, the pair is kept apart from then on (a later row, or the same
   * file sent again, does not join them), and the split is audited. Throws {@link
   * LinkReviewException} saying why not.
   */
  public SplitOutcome split(String mergeId, String decidedBy) {
    if (mergeId == null || !REVIEW_ID.matcher(mergeId).matches()) {
      throw new LinkReviewException(
          Reason.INVALID_REQUEST, "a merge id is 32 hex digits, as `review merges` shows it");
    }
    String by = text(decidedBy);
    Instant now = clock.instant();
    MergeRecord[] found = new MergeRecord[1];
    merges.forEachMerge(
        now,
        m -> {
          if (m.id().equals(mergeId)) {
            found[0] = m;
          }
        });
    MergeRecord merge = found[0];
    if (merge == null) {
      throw new LinkReviewException(
          Reason.NOT_FOUND, "no merge " + mergeId + " is held (or it expired)");
    }
    if (!merge.inForce()) {
      throw new LinkReviewException(
          Reason.ALREADY_DECIDED,
          "merge "
              + mergeId
              + " was already split (at "
              + merge.split().at()
              + " by "
              + merge.split().by()
              + ")");
    }
    long expires = expiresAt.getAsLong();
    queue.record(LinkReview.split(merge, by, now, expires));
    MergeRecord split = merge.splitAs(new MergeRecord.Split(now, by));
    if (!store.split(split, expires)) {
      throw new LinkReviewException(
          Reason.PERSON_GONE,
          "merge "
              + mergeId
              + " could not be split: its persons changed meanwhile (expired or removed)");
    }
    audit.append(
        new AuditEvent.MergeSplit(mergeId, merge.how().name(), by, merge.at()).entry(now, expires));
    return new SplitOutcome(split);
  }

  /** Decides a pending review, or throws {@link LinkReviewException} saying why not. */
  public Outcome decide(String reviewId, Decision decision, String decidedBy) {
    if (reviewId == null || !REVIEW_ID.matcher(reviewId).matches()) {
      throw new LinkReviewException(
          Reason.INVALID_REQUEST, "a review id is 32 hex digits, as `review list` shows it");
    }
    if (decision == null) {
      throw new LinkReviewException(
          Reason.INVALID_REQUEST, "the decision must be link or keep-apart");
    }
    String by = text(decidedBy);
    Instant now = clock.instant();
    LinkReview review =
        queue
            .review(reviewId, now)
            .orElseThrow(
                () ->
                    new LinkReviewException(
                        Reason.NOT_FOUND, "no review " + reviewId + " is held (or it expired)"));
    if (!review.isPending()) {
      throw alreadyDecided(review);
    }
    PersonId survivor = null;
    boolean merged = false;
    if (decision == Decision.LINK) {
      MergeResult result = merge(review, now);
      survivor = result.survivor();
      merged = result.merged();
    }
    if (!queue.decide(reviewId, decision.status(), by, now, now)) {
      throw alreadyDecided(queue.review(reviewId, now).orElse(review));
    }
    LinkReview decided = review.decided(decision.status(), by, now);
    audit.append(
        new AuditEvent.LinkReviewDecision(
                reviewId, decision.name(), by, review.queuedAt(), merged ? 1 : 0)
            .entry(now, expiresAt.getAsLong()));
    return new Outcome(decided, survivor, merged);
  }

  private static LinkReviewException alreadyDecided(LinkReview review) {
    return new LinkReviewException(
        Reason.ALREADY_DECIDED,
        "review "
            + review.id()
            + " was already decided ("
            + review.status()
            + (review.decidedAt() == null ? "" : " at " + review.decidedAt())
            + (review.decidedBy() == null ? "" : " by " + review.decidedBy())
            + "); the first decision stands");
  }

  private record MergeResult(PersonId survivor, boolean merged) {}

  /** Merges the pair's current survivors (the older survives), retrying a lost race. */
  private MergeResult merge(LinkReview review, Instant now) {
    for (int attempt = 1; attempt <= MAX_MERGE_ATTEMPTS; attempt++) {
      Map<PersonId, PersonEntry> seen = new HashMap<>();
      PersonEntry a = survivor(review.person(), seen, now);
      PersonEntry b = survivor(review.candidate(), seen, now);
      if (a == null || b == null) {
        throw new LinkReviewException(
            Reason.PERSON_GONE,
            "a person of review " + review.id() + " no longer exists (expired or removed)");
      }
      if (a.id().equals(b.id())) {
        return new MergeResult(a.id(), false);
      }
      boolean aSurvives = a.outranks(b);
      PersonEntry keep = aSurvives ? a : b;
      PersonEntry lose = aSurvives ? b : a;
      if (store.merge(
          new MergeRecord(keep.id(), lose.id(), null, null, now, review.id()),
          expiresAt.getAsLong())) {
        return new MergeResult(keep.id(), true);
      }
    }
    throw new IllegalStateException(
        "review " + review.id() + ": the merge kept losing races with concurrent ingests");
  }

  /** The active person {@code id} has been merged into (itself when active); null when gone. */
  private PersonEntry survivor(PersonId id, Map<PersonId, PersonEntry> seen, Instant now) {
    PersonId current = id;
    for (int i = 0; i < MAX_MERGE_CHAIN && current != null; i++) {
      PersonEntry entry = seen.get(current);
      if (entry == null) {
        entry = store.getPersons(List.of(current), now).get(current);
        if (entry == null) {
          return null;
        }
        seen.put(current, entry);
      }
      if (entry.isActive()) {
        return entry;
      }
      current = entry.mergedInto();
    }
    return null;
  }

  private static String text(String value) {
    if (value == null || value.isBlank()) {
      throw new LinkReviewException(
          Reason.INVALID_REQUEST, "decidedBy is required: say who in the data team decides");
    }
    String trimmed = value.strip();
    if (trimmed.length() > MAX_TEXT) {
      throw new LinkReviewException(
          Reason.INVALID_REQUEST, "decidedBy is longer than " + MAX_TEXT + " characters");
    }
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isISOControl(trimmed.charAt(i))) {
        throw new LinkReviewException(
            Reason.INVALID_REQUEST, "decidedBy contains control characters");
      }
    }
    return trimmed;
  }
}
