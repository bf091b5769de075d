package uk.familylink.domain.linkage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port to the linked-data store. Batch-shaped so an adapter can use BatchGetItem, transactions and
 * BatchWriteItem. Every read ignores items whose expiresAt (epoch seconds) is not after {@code
 * now}; every write stamps the given expiresAt.
 */
public interface LinkStore {

  /** Current claims of the given keys (absent keys are unclaimed or expired). */
  Map<IdentityKey, IdentityEntry> getIdentities(Collection<IdentityKey> keys, Instant now);

  /** The given persons (absent when unknown or expired). */
  Map<PersonId, PersonEntry> getPersons(Collection<PersonId> ids, Instant now);

  /**
   * Atomically creates {@code newPersons} and claims each key in {@code claims} for its person,
   * each only if not yet claimed. All or nothing: returns false, writing nothing, when any key or
   * person already exists (another ingest got there first); the caller re-resolves. An existing
   * item whose expiresAt is not after {@code now} (expired, awaiting TTL or the sweep) does not
   * block a claim: it is replaced. Adapters may split very large batches into several atomic groups
   * only if each group is self-contained (its persons and their claims together).
   */
  boolean claim(
      List<PersonEntry> newPersons, Map<IdentityKey, PersonId> claims, long expiresAt, Instant now);

  /** Marks a composite key as shared by more than one person so it stops linking. Idempotent. */
  void markAmbiguous(IdentityKey key, long expiresAt);

  /**
   * Atomically marks {@code merge.merged()} as merged into {@code merge.survivor()} and stores the
   * merge record, only if both persons are still active. Returns false when a race was lost.
   */
  boolean merge(MergeRecord merge, long expiresAt);

  /**
   * Atomically withdraws a merge (ADR 0146): {@code merge.merged()} becomes active again, only if
   * it is still merged into {@code merge.survivor()}, the merge was not split already and was made
   * the same way ({@code reviewId} equal: null for a merge an ingest made), and the merge record is
   * stored as split ({@code merge.split()} set) beside it, no longer counted as a person merged
   * into the survivor. Returns false, writing nothing, otherwise. Persons merged into either one
   * stay with it.
   */
  boolean split(MergeRecord merge, long expiresAt);

  /**
   * Where the given records of {@code dataset} point now (absent when new or expired): read before
   * a chunk's records are written, so a correction that moves a record is noticed.
   */
  Map<String, RecordPlacement> placements(
      String dataset, Collection<String> recordTokens, Instant now);

  /**
   * Notes persons (and memberships) that corrected records no longer back, for the retention sweep
   * to check. Written before the records themselves, so a crash can only leave a note too many
   * (harmless: the sweep re-checks), never one too few. Idempotent.
   */
  void noteReleased(Collection<ReleasedLink> released, long expiresAt);

  /** Upserts records (by dataset + record token). Idempotent. */
  void putRecords(List<LinkedRecord> records);

  /** Upserts memberships (by family + person). Idempotent. */
  void putMemberships(List<FamilyMembership> memberships);

  /**
   * The tier-3 candidate index kept beside this store, when the store has one; without it linkage
   * uses the deterministic tiers only.
   */
  default Optional<CandidateIndex> candidateIndex() {
    return Optional.empty();
  }

  /**
   * The possible-link review queue kept beside this store, when it has one; without it a possible
   * link is only counted.
   */
  default Optional<ReviewQueue> reviewQueue() {
    return Optional.empty();
  }
}
