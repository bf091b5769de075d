package uk.familylink.fakes;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * A link store that forwards every port method to another: the one place test stores that change a
 * single method (an index beside the fake, an injected fault) inherit the rest from.
 */
public abstract class ForwardingLinkStore implements LinkStore {
  protected final LinkStore delegate;

  protected ForwardingLinkStore(LinkStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Map<IdentityKey, IdentityEntry> getIdentities(Collection<IdentityKey> keys, Instant now) {
    return delegate.getIdentities(keys, now);
  }

  @Override
  public Map<PersonId, PersonEntry> getPersons(Collection<PersonId> ids, Instant now) {
    return delegate.getPersons(ids, now);
  }

  @Override
  public boolean claim(
      List<PersonEntry> newPersons,
      Map<IdentityKey, PersonId> claims,
      long expiresAt,
      Instant now) {
    return delegate.claim(newPersons, claims, expiresAt, now);
  }

  @Override
  public void markAmbiguous(IdentityKey key, long expiresAt) {
    delegate.markAmbiguous(key, expiresAt);
  }

  @Override
  public boolean merge(MergeRecord merge, long expiresAt) {
    return delegate.merge(merge, expiresAt);
  }

  @Override
  public boolean split(MergeRecord merge, long expiresAt) {
    return delegate.split(merge, expiresAt);
  }

  @Override
  public Map<String, RecordPlacement> placements(
      String dataset, Collection<String> recordTokens, Instant now) {
    return delegate.placements(dataset, recordTokens, now);
  }

  @Override
  public void noteReleased(Collection<ReleasedLink> released, long expiresAt) {
    delegate.noteReleased(released, expiresAt);
  }

  @Override
  public void putRecords(List<LinkedRecord> records) {
    delegate.putRecords(records);
  }

  @Override
  public void putMemberships(List<FamilyMembership> memberships) {
    delegate.putMemberships(memberships);
  }

  @Override
  public Optional<ReviewQueue> reviewQueue() {
    return delegate.reviewQueue();
  }
}
