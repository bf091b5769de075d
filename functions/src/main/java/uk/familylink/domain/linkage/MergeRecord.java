package uk.familylink.domain.linkage;

import java.time.Instant;

/**
 * Evidence that two persons were found to be one: the survivor keeps its ID.
 *
 * <p>Three kinds, told apart by which evidence is set: a strong identifier both held ({@code
 * bridgedBy} and {@code fileId}); a data-team decision on a possible link ({@code reviewId}); a
 * tier-3 bridge ({@code probabilistic} and {@code fileId}): a row of that file scored a
 * probabilistic link to both persons, and the persons' own records were compatible (ADR 0140).
 *
 * @param bridgedBy the strong identifier kind both held (null otherwise)
 * @param fileId the file whose row bridged them (null when a review decided the merge)
 * @param reviewId the possible-link review whose LINK decision merged them (null: an ingest did)
 * @param probabilistic the scores of a tier-3 bridge (null otherwise); levels and weights only
 * @param split null while the merge is in force; set when the data team split the two persons again
 *     (ADR 0146): the merged person is active once more and this record stays as evidence
 */
public record MergeRecord(
    PersonId survivor,
    PersonId merged,
    LinkKeyKind bridgedBy,
    String fileId,
    Instant at,
    String reviewId,
    ProbabilisticBridge probabilistic,
    Split split) {

  /**
   * A merge withdrawn on review (ADR 0146): who split it and when. Holds no value from any record.
   *
   * @param at when the persons were split
   * @param by who in the data team decided, or {@link Linker#CORRECTION_SPLIT_BY} when a corrected
   *     row no longer held the identifiers that had joined them
   */
  public record Split(Instant at, String by) {}

  /** How the two persons were found to be one, as the data team reads it. */
  public enum How {
    /** A row held a strong identifier of both. */
    IDENTIFIER,
    /** A row scored a tier-3 link to both, and their own records were compatible. */
    TIER_3,
    /** A household that moved: a member matched its former member but for the place. */
    HOUSEHOLD,
    /** The data team linked a possible link on review. */
    REVIEW
  }

  /** A merge as first made (in force). */
  public MergeRecord(
      PersonId survivor,
      PersonId merged,
      LinkKeyKind bridgedBy,
      String fileId,
      Instant at,
      String reviewId,
      ProbabilisticBridge probabilistic) {
    this(survivor, merged, bridgedBy, fileId, at, reviewId, probabilistic, null);
  }

  /** Whether the merge still holds (it was not split). */
  public boolean inForce() {
    return split == null;
  }

  /** How the merge was made. */
  public How how() {
    if (reviewId != null) {
      return How.REVIEW;
    }
    if (probabilistic != null) {
      return probabilistic.household() ? How.HOUSEHOLD : How.TIER_3;
    }
    return How.IDENTIFIER;
  }

  /**
   * The merge's id as the data team handles it: {@link LinkReview#idOf} its two persons (32 hex
   * digits, no person id shown). A split marks the pair kept apart under the same id.
   */
  public String id() {
    return LinkReview.idOf(survivor, merged);
  }

  /** This merge, split. */
  public MergeRecord splitAs(Split withdrawal) {
    return new MergeRecord(
        survivor, merged, bridgedBy, fileId, at, reviewId, probabilistic, withdrawal);
  }

  /**
   * Why a tier-3 bridge merged two persons. Holds no value from any record: weights, agreement
   * levels ({@link MatchScore#breakdown()}) and the model version.
   *
   * @param survivorWeight the bridging row's weight against the survivor
   * @param mergedWeight the bridging row's weight against the merged person
   * @param personsWeight the best weight of the two persons' own records against each other
   * @param fields the agreement levels of the bridging row against the merged person
   * @param modelVersion the match model that scored them
   * @param household a household bridge (ADR 0144): the row linked to another member of a household
   *     that moved, only because one of these two persons, seen at the row's postcode, matched the
   *     other, its former member, but for the place; then {@code survivorWeight} is the row's
   *     weight against that other member, and {@code mergedWeight}, {@code personsWeight} and
   *     {@code fields} are the two persons' own records against each other
   */
  public record ProbabilisticBridge(
      double survivorWeight,
      double mergedWeight,
      double personsWeight,
      String fields,
      String modelVersion,
      boolean household) {

    /** A row that scored a link to both persons. */
    public ProbabilisticBridge(
        double survivorWeight,
        double mergedWeight,
        double personsWeight,
        String fields,
        String modelVersion) {
      this(survivorWeight, mergedWeight, personsWeight, fields, modelVersion, false);
    }
  }

  /** A merge made by ingest: a row held a strong identifier of both. */
  public MergeRecord(
      PersonId survivor, PersonId merged, LinkKeyKind bridgedBy, String fileId, Instant at) {
    this(survivor, merged, bridgedBy, fileId, at, null, null);
  }

  /** A merge by identifier (reviewId null) or decided on review. */
  public MergeRecord(
      PersonId survivor,
      PersonId merged,
      LinkKeyKind bridgedBy,
      String fileId,
      Instant at,
      String reviewId) {
    this(survivor, merged, bridgedBy, fileId, at, reviewId, null);
  }

  /** A merge made by ingest: a row of {@code fileId} scored a tier-3 link to both. */
  public static MergeRecord bridge(
      PersonId survivor, PersonId merged, String fileId, Instant at, ProbabilisticBridge evidence) {
    return new MergeRecord(survivor, merged, null, fileId, at, null, evidence);
  }
}
