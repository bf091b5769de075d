package uk.familylink.domain.linkage;

import java.time.Instant;

/**
 * Evidence that two persons were found to be one: the survivor keeps its ID.
 *
 * @param bridgedBy the strong identifier kind both held (null when a review decided the merge)
 * @param fileId the file whose row bridged them (null when a review decided the merge)
 * @param reviewId the possible-link review whose LINK decision merged them (null: an ingest did)
 */
public record MergeRecord(
    PersonId survivor,
    PersonId merged,
    LinkKeyKind bridgedBy,
    String fileId,
    Instant at,
    String reviewId) {

  /** A merge made by ingest: a row held a strong identifier of both. */
  public MergeRecord(
      PersonId survivor, PersonId merged, LinkKeyKind bridgedBy, String fileId, Instant at) {
    this(survivor, merged, bridgedBy, fileId, at, null);
  }
}
