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
 */
public record MergeRecord(
    PersonId survivor,
    PersonId merged,
    LinkKeyKind bridgedBy,
    String fileId,
    Instant at,
    String reviewId,
    ProbabilisticBridge probabilistic) {

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
