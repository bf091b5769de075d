package uk.familylink.fakes;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.RecordPlacement;
import uk.familylink.domain.linkage.ReleasedLink;
import uk.familylink.domain.linkage.ReviewQueue;

/** The in-memory store with an in-memory candidate index beside it, so tier 3 runs on fakes. */
public record InMemoryLinkStoreWithIndex(InMemoryLinkedData d, CandidateIndex index)
    implements LinkStore {
  @Override
  public Map<IdentityKey, IdentityEntry> getIdentities(Collection<IdentityKey> keys, Instant now) {
    return d.getIdentities(keys, now);
  }

  @Override
  public Map<PersonId, PersonEntry> getPersons(Collection<PersonId> ids, Instant now) {
    return d.getPersons(ids, now);
  }

  @Override
  public boolean claim(
      List<PersonEntry> newPersons,
      Map<IdentityKey, PersonId> claims,
      long expiresAt,
      Instant now) {
    return d.claim(newPersons, claims, expiresAt, now);
  }

  @Override
  public void markAmbiguous(IdentityKey key, long expiresAt) {
    d.markAmbiguous(key, expiresAt);
  }

  @Override
  public boolean merge(MergeRecord merge, long expiresAt) {
    return d.merge(merge, expiresAt);
  }

  @Override
  public Map<String, RecordPlacement> placements(
      String dataset, Collection<String> recordTokens, Instant now) {
    return d.placements(dataset, recordTokens, now);
  }

  @Override
  public void noteReleased(Collection<ReleasedLink> released, long expiresAt) {
    d.noteReleased(released, expiresAt);
  }

  @Override
  public void putRecords(List<LinkedRecord> records) {
    d.putRecords(records);
  }

  @Override
  public void putMemberships(List<FamilyMembership> memberships) {
    d.putMemberships(memberships);
  }

  @Override
  public Optional<CandidateIndex> candidateIndex() {
    return Optional.of(index);
  }

  @Override
  public Optional<ReviewQueue> reviewQueue() {
    return d.reviewQueue();
  }
}
