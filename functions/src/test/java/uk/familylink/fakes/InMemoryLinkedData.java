package uk.familylink.fakes;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.RecordPlacement;
import uk.familylink.domain.linkage.ReleasedLink;
import uk.familylink.domain.linkage.ReviewQueue;

/**
 * Thread-safe in-memory fake with the same atomicity, expiry and liveness semantics as the DynamoDB
 * adapter, held to them by {@code uk.familylink.contract.LinkStoreContract}.
 */
public final class InMemoryLinkedData implements LinkStore, LinkedDataReader, ReviewQueue {

  private final Clock clock;

  /** Merges judge liveness at the system clock's time, as the adapter does by default. */
  public InMemoryLinkedData() {
    this(Clock.systemUTC());
  }

  /** Merges judge liveness at {@code clock}'s time (the adapter's clock). */
  public InMemoryLinkedData(Clock clock) {
    this.clock = clock;
  }

  private record Stamped<T>(T value, long expiresAt) {
    boolean live(Instant now) {
      return expiresAt > now.getEpochSecond();
    }
  }

  private final Map<IdentityKey, Stamped<IdentityEntry>> identities = new HashMap<>();
  private final Map<PersonId, Stamped<PersonEntry>> persons = new HashMap<>();
  private final Map<String, Stamped<LinkedRecord>> records = new HashMap<>();
  private final Map<String, Stamped<FamilyMembership>> memberships = new HashMap<>();
  private final Map<PersonId, Stamped<MergeRecord>> merges = new HashMap<>();
  private final Map<String, LinkReview> reviews = new HashMap<>();
  public volatile int failClaimsRemaining;

  @Override
  public synchronized Map<IdentityKey, IdentityEntry> getIdentities(
      Collection<IdentityKey> keys, Instant now) {
    Map<IdentityKey, IdentityEntry> result = new HashMap<>();
    for (IdentityKey key : keys) {
      Stamped<IdentityEntry> s = identities.get(key);
      if (s != null && s.live(now)) {
        result.put(key, s.value());
      }
    }
    return result;
  }

  @Override
  public synchronized Map<PersonId, PersonEntry> getPersons(Collection<PersonId> ids, Instant now) {
    Map<PersonId, PersonEntry> result = new HashMap<>();
    for (PersonId id : ids) {
      Stamped<PersonEntry> s = persons.get(id);
      if (s != null && s.live(now)) {
        result.put(id, s.value());
      }
    }
    return result;
  }

  @Override
  public synchronized boolean claim(
      List<PersonEntry> newPersons,
      Map<IdentityKey, PersonId> claims,
      long expiresAt,
      Instant now) {
    if (failClaimsRemaining > 0) {
      failClaimsRemaining--;
      return false;
    }
    for (PersonEntry p : newPersons) {
      if (persons.containsKey(p.id()) && persons.get(p.id()).live(now)) {
        return false;
      }
    }
    for (IdentityKey key : claims.keySet()) {
      if (identities.containsKey(key) && identities.get(key).live(now)) {
        return false;
      }
    }
    newPersons.forEach(p -> persons.put(p.id(), new Stamped<>(p, expiresAt)));
    claims.forEach(
        (key, person) ->
            identities.put(key, new Stamped<>(new IdentityEntry(key, person, false), expiresAt)));
    return true;
  }

  @Override
  public synchronized void markAmbiguous(IdentityKey key, long expiresAt) {
    Stamped<IdentityEntry> s = identities.get(key);
    if (s != null) {
      // as the adapter: the flag lives as long as the newest evidence for it
      identities.put(
          key, new Stamped<>(new IdentityEntry(key, s.value().person(), true), expiresAt));
    }
  }

  @Override
  public synchronized boolean merge(MergeRecord merge, long expiresAt) {
    Instant now = clock.instant();
    Stamped<PersonEntry> loser = persons.get(merge.merged());
    Stamped<PersonEntry> survivor = persons.get(merge.survivor());
    if (loser == null
        || survivor == null
        || !loser.live(now)
        || !survivor.live(now)
        || !loser.value().isActive()
        || !survivor.value().isActive()) {
      return false;
    }
    PersonEntry l = loser.value();
    // the merged person's pointer lives as long as the merge evidence
    persons.put(
        l.id(), new Stamped<>(new PersonEntry(l.id(), l.createdAt(), merge.survivor()), expiresAt));
    merges.put(l.id(), new Stamped<>(merge, expiresAt));
    return true;
  }

  @Override
  public synchronized boolean split(MergeRecord merge, long expiresAt) {
    if (merge.inForce()) {
      throw new IllegalArgumentException("split takes the merge record as split");
    }
    Instant now = clock.instant();
    Stamped<PersonEntry> loser = persons.get(merge.merged());
    Stamped<MergeRecord> held = merges.get(merge.merged());
    if (loser == null
        || held == null
        || !loser.live(now)
        || !held.live(now)
        || !merge.survivor().equals(loser.value().mergedInto())
        || !held.value().survivor().equals(merge.survivor())
        || !java.util.Objects.equals(held.value().reviewId(), merge.reviewId())
        || !held.value().inForce()) {
      return false;
    }
    PersonEntry l = loser.value();
    persons.put(l.id(), new Stamped<>(new PersonEntry(l.id(), l.createdAt(), null), expiresAt));
    merges.put(l.id(), new Stamped<>(held.value().splitAs(merge.split()), expiresAt));
    return true;
  }

  /** Notes left by {@link #noteReleased}, in order (tests read them). */
  public final List<ReleasedLink> released = new ArrayList<>();

  @Override
  public synchronized Map<String, RecordPlacement> placements(
      String dataset, Collection<String> recordTokens, Instant now) {
    Map<String, RecordPlacement> result = new HashMap<>();
    for (String token : recordTokens) {
      Stamped<LinkedRecord> s = records.get(dataset + "#" + token);
      if (s != null && s.live(now)) {
        result.put(
            token,
            new RecordPlacement(s.value().person(), s.value().family(), s.value().bridged()));
      }
    }
    return result;
  }

  @Override
  public synchronized void noteReleased(Collection<ReleasedLink> links, long expiresAt) {
    released.addAll(links);
  }

  @Override
  public synchronized void putRecords(List<LinkedRecord> list) {
    list.forEach(
        r -> records.put(r.dataset() + "#" + r.recordToken(), new Stamped<>(r, r.expiresAt())));
  }

  @Override
  public synchronized void putMemberships(List<FamilyMembership> list) {
    list.forEach(
        m ->
            memberships.put(
                m.family().asString() + "#" + m.person().value(), new Stamped<>(m, m.expiresAt())));
  }

  @Override
  public void forEachPerson(Instant now, Consumer<PersonEntry> sink) {
    live(persons.values(), now).forEach(sink);
  }

  @Override
  public void forEachRecord(Instant now, Consumer<LinkedRecord> sink) {
    live(records.values(), now).forEach(sink);
  }

  @Override
  public void forEachMembership(Instant now, Consumer<FamilyMembership> sink) {
    live(memberships.values(), now).forEach(sink);
  }

  @Override
  public void forEachMerge(Instant now, Consumer<MergeRecord> sink) {
    live(merges.values(), now).forEach(sink);
  }

  private synchronized <T> List<T> live(Collection<Stamped<T>> items, Instant now) {
    List<T> out = new ArrayList<>();
    for (Stamped<T> s : items) {
      if (s.live(now)) {
        out.add(s.value());
      }
    }
    return out;
  }

  // ---- ReviewQueue ----------------------------------------------------------------------------

  @Override
  public Optional<ReviewQueue> reviewQueue() {
    return Optional.of(this);
  }

  @Override
  public synchronized void queue(Collection<LinkReview> list, Instant now) {
    for (LinkReview r : list) {
      LinkReview old = reviews.get(r.id());
      if (old == null || old.expiresAt() <= now.getEpochSecond()) {
        reviews.put(r.id(), r);
      }
    }
  }

  @Override
  public synchronized void record(LinkReview review) {
    reviews.put(review.id(), review);
  }

  @Override
  public synchronized List<LinkReview> pending(Instant now) {
    List<LinkReview> out = new ArrayList<>();
    for (LinkReview r : reviews.values()) {
      if (r.isPending() && r.expiresAt() > now.getEpochSecond()) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparing(LinkReview::queuedAt).thenComparing(LinkReview::id));
    return out;
  }

  @Override
  public synchronized Optional<LinkReview> review(String id, Instant now) {
    LinkReview r = reviews.get(id);
    return r == null || r.expiresAt() <= now.getEpochSecond() ? Optional.empty() : Optional.of(r);
  }

  @Override
  public synchronized boolean decide(
      String id, LinkReview.Status decision, String decidedBy, Instant at, Instant now) {
    LinkReview r = reviews.get(id);
    if (r == null || !r.isPending() || r.expiresAt() <= now.getEpochSecond()) {
      return false;
    }
    reviews.put(id, r.decided(decision, decidedBy, at));
    return true;
  }

  /** Every review a person's subject access reads (filed under the person the record went to). */
  public synchronized List<LinkReview> reviewsOf(PersonId person, Instant now) {
    List<LinkReview> out = new ArrayList<>();
    for (LinkReview r : reviews.values()) {
      if (r.person().equals(person) && r.expiresAt() > now.getEpochSecond()) {
        out.add(r);
      }
    }
    return out;
  }
}
