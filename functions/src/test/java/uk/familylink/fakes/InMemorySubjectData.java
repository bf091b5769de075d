package uk.familylink.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.access.SubjectDataReader;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;

/**
 * Subject access reads over the in-memory linked data (a fake may scan; the DynamoDB adapter never
 * does).
 */
public final class InMemorySubjectData implements SubjectDataReader {

  private final InMemoryLinkedData linked;
  private final InMemoryCandidateIndex index;
  public int dataReads;

  /** Without a candidate index: subject access matches on the deterministic tiers only. */
  public InMemorySubjectData(InMemoryLinkedData linked) {
    this(linked, null);
  }

  /** With tier 3's candidate index (the one the ingest's link store filed into). */
  public InMemorySubjectData(InMemoryLinkedData linked, InMemoryCandidateIndex index) {
    this.linked = linked;
    this.index = index;
  }

  @Override
  public java.util.Optional<uk.familylink.domain.linkage.CandidateIndex> candidateIndex() {
    return java.util.Optional.ofNullable(index);
  }

  @Override
  public Map<IdentityKey, IdentityEntry> identities(Collection<IdentityKey> keys, Instant now) {
    return linked.getIdentities(keys, now);
  }

  @Override
  public Map<PersonId, PersonEntry> persons(Collection<PersonId> ids, Instant now) {
    return linked.getPersons(ids, now);
  }

  @Override
  public PersonData dataOf(PersonId person, Instant now) {
    dataReads++;
    List<LinkedRecord> records = new ArrayList<>();
    List<FamilyMembership> memberships = new ArrayList<>();
    linked.forEachRecord(
        now,
        r -> {
          if (r.person().equals(person)) {
            records.add(r);
          }
        });
    linked.forEachMembership(
        now,
        m -> {
          if (m.person().equals(person)) {
            memberships.add(m);
          }
        });
    List<PersonId> mergedIn = new ArrayList<>();
    List<MergeRecord> merges = new ArrayList<>();
    linked.forEachMerge(
        now,
        m -> {
          if (m.survivor().equals(person) && m.inForce()) {
            mergedIn.add(m.merged());
            merges.add(m);
          }
        });
    return new PersonData(records, memberships, mergedIn, merges, linked.reviewsOf(person, now));
  }

  @Override
  public List<FamilyMembership> membersOf(FamilyKey family, Instant now) {
    List<FamilyMembership> out = new ArrayList<>();
    linked.forEachMembership(
        now,
        m -> {
          if (m.family().equals(family)) {
            out.add(m);
          }
        });
    return out;
  }
}
