package uk.familylink.domain.access;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;

/**
 * Read-only, key-addressed reads of one person's data (no scans). Every read ignores items whose
 * expiresAt is not after {@code now}.
 */
public interface SubjectDataReader {

  /** Current claims of the given identity keys (absent when unclaimed or expired). */
  Map<IdentityKey, IdentityEntry> identities(Collection<IdentityKey> keys, Instant now);

  /** The given persons (absent when unknown or expired). */
  Map<PersonId, PersonEntry> persons(Collection<PersonId> ids, Instant now);

  /** Records and family memberships stored under one person ID (not following merges). */
  PersonData dataOf(PersonId person, Instant now);

  /** Every membership of one family or household. */
  List<FamilyMembership> membersOf(FamilyKey family, Instant now);

  /**
   * Tier 3's candidate index, read-only here, so a request is matched as ingest matched the rows
   * (empty where the store has none: deterministic tiers only).
   */
  default Optional<CandidateIndex> candidateIndex() {
    return Optional.empty();
  }

  /**
   * What is stored under one person ID, and the persons merged into it (whose records are also the
   * subject's).
   *
   * @param merges the merge evidence of {@code mergedIn} (may be empty where a reader has only ids)
   * @param reviews possible-link reviews of a record placed under this person
   */
  record PersonData(
      List<LinkedRecord> records,
      List<FamilyMembership> memberships,
      List<PersonId> mergedIn,
      List<MergeRecord> merges,
      List<LinkReview> reviews) {
    public PersonData {
      records = List.copyOf(records);
      memberships = List.copyOf(memberships);
      mergedIn = List.copyOf(mergedIn);
      merges = List.copyOf(merges);
      reviews = List.copyOf(reviews);
    }

    public PersonData(
        List<LinkedRecord> records, List<FamilyMembership> memberships, List<PersonId> mergedIn) {
      this(records, memberships, mergedIn, List.of(), List.of());
    }

    public PersonData(List<LinkedRecord> records, List<FamilyMembership> memberships) {
      this(records, memberships, List.of());
    }
  }
}
