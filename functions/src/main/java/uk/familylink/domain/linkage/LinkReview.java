package uk.familylink.domain.linkage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A possible link waiting for (or given) a data-team decision: a record whose best tier-3 candidate
 * scored between the thresholds, so it was placed apart from that candidate. Holds only
 * pseudonymous ids, the weight breakdown and the model version, never a value from the row.
 *
 * @param id {@link #idOf} the two persons: the same pair found again is the same review
 * @param person the person the record was placed under
 * @param candidate the person it possibly is
 * @param dataset the record's dataset; with {@code recordToken} names the record
 * @param recordToken the record's pseudonymous token
 * @param weight the Fellegi–Sunter weight of the comparison
 * @param breakdown the agreement level of each field ({@link MatchScore#breakdown()})
 * @param modelVersion the match model that scored it
 * @param decidedAt null while pending
 * @param decidedBy who decided (a member of the data team); null while pending
 */
public record LinkReview(
    String id,
    PersonId person,
    PersonId candidate,
    String dataset,
    String recordToken,
    double weight,
    String breakdown,
    String modelVersion,
    Instant queuedAt,
    Status status,
    Instant decidedAt,
    String decidedBy,
    long expiresAt) {

  /** Where a review stands; the first decision stands. */
  public enum Status {
    PENDING,
    /** Decided: the two are one person (merged, the review cited as evidence). */
    LINKED,
    /** Decided: two persons; the pair is not queued again. */
    KEPT_APART,
    /**
     * Resolved by ingest while pending: a later row scored a tier-3 link to both persons and they
     * were merged by a bridge (ADR 0140); nothing is left to decide. {@code decidedBy} says so.
     */
    BRIDGED,
    /**
     * Decided after a merge: the data team split the two persons again (ADR 0146). Like {@link
     * #KEPT_APART}, the pair is not merged or queued again; filed under the merge's id.
     */
    SPLIT
  }

  /** The {@code decidedBy} of a review a tier-3 bridge resolved. */
  public static final String BRIDGED_BY = "ingest (tier-3 bridge)";

  public LinkReview {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(queuedAt, "queuedAt");
  }

  /** A new pending review of {@code person} against {@code candidate}. */
  public static LinkReview pending(
      PersonId person,
      PersonId candidate,
      String dataset,
      String recordToken,
      MatchScore score,
      Instant at,
      long expiresAt) {
    return new LinkReview(
        idOf(person, candidate),
        person,
        candidate,
        dataset,
        recordToken,
        score.weight(),
        score.breakdown(),
        score.modelVersion(),
        at,
        Status.PENDING,
        null,
        null,
        expiresAt);
  }

  public boolean isPending() {
    return status == Status.PENDING;
  }

  /** Whether the data team decided the pair are two people (kept apart, or split after a merge). */
  public boolean keepsApart() {
    return status == Status.KEPT_APART || status == Status.SPLIT;
  }

  /**
   * The review that records a split: the merge's pair, decided SPLIT by {@code by} at {@code at};
   * no record, weight 0 (the merge record keeps the evidence that joined them).
   */
  public static LinkReview split(MergeRecord merge, String by, Instant at, long expiresAt) {
    return new LinkReview(
        merge.id(),
        merge.merged(),
        merge.survivor(),
        null,
        null,
        0,
        null,
        null,
        at,
        Status.SPLIT,
        at,
        by,
        expiresAt);
  }

  /**
   * This review pending again: a pair a bridge had resolved ({@link Status#BRIDGED}) whose merge a
   * correction withdrew is a possible link once more (ADR 0146).
   */
  public LinkReview reopened() {
    return new LinkReview(
        id,
        person,
        candidate,
        dataset,
        recordToken,
        weight,
        breakdown,
        modelVersion,
        queuedAt,
        Status.PENDING,
        null,
        null,
        expiresAt);
  }

  /** This review decided. */
  public LinkReview decided(Status decision, String by, Instant at) {
    return new LinkReview(
        id,
        person,
        candidate,
        dataset,
        recordToken,
        weight,
        breakdown,
        modelVersion,
        queuedAt,
        decision,
        at,
        by,
        expiresAt);
  }

  /**
   * The review id of a pair of persons, whichever way round: SHA-256 of the two ids in order, the
   * first 32 hex digits. A retried chunk or a re-ingest that finds the pair again names the same
   * review, so it is never queued twice (and a decided pair is not queued again).
   */
  public static String idOf(PersonId a, PersonId b) {
    String first = a.compareTo(b) <= 0 ? a.value() : b.value();
    String second = a.compareTo(b) <= 0 ? b.value() : a.value();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((first + "\n" + second).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
