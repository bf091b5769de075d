package uk.familylink.domain.linkage;

import java.time.Instant;
import java.util.Collection;
import java.util.function.Consumer;

/** Whole-population reads for aggregate reports (expired items are skipped). */
public interface LinkedDataReader {
  void forEachPerson(Instant now, Consumer<PersonEntry> sink);

  void forEachRecord(Instant now, Consumer<LinkedRecord> sink);

  void forEachMembership(Instant now, Consumer<FamilyMembership> sink);

  void forEachMerge(Instant now, Consumer<MergeRecord> sink);

  /**
   * Items already read (and already filtered for liveness), seen as a population: no merge
   * evidence, since profiles follow {@code mergedInto} on the persons. The collections are read as
   * they are, not copied (a large population is not held twice).
   */
  static LinkedDataReader of(
      Collection<PersonEntry> persons,
      Collection<LinkedRecord> records,
      Collection<FamilyMembership> memberships) {
    return new Items(persons, records, memberships);
  }

  /** {@link #of}'s reader. */
  record Items(
      Collection<PersonEntry> persons,
      Collection<LinkedRecord> records,
      Collection<FamilyMembership> memberships)
      implements LinkedDataReader {
    @Override
    public void forEachPerson(Instant now, Consumer<PersonEntry> sink) {
      persons.forEach(sink);
    }

    @Override
    public void forEachRecord(Instant now, Consumer<LinkedRecord> sink) {
      records.forEach(sink);
    }

    @Override
    public void forEachMembership(Instant now, Consumer<FamilyMembership> sink) {
      memberships.forEach(sink);
    }

    @Override
    public void forEachMerge(Instant now, Consumer<MergeRecord> sink) {
      // none: see LinkedDataReader.of
    }
  }
}
