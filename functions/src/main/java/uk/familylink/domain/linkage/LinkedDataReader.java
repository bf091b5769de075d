package uk.familylink.domain.linkage;

import java.time.Instant;
import java.util.function.Consumer;

/** Whole-population reads for aggregate reports (expired items are skipped). */
public interface LinkedDataReader {
  void forEachPerson(Instant now, Consumer<PersonEntry> sink);

  void forEachRecord(Instant now, Consumer<LinkedRecord> sink);

  void forEachMembership(Instant now, Consumer<FamilyMembership> sink);

  void forEachMerge(Instant now, Consumer<MergeRecord> sink);
}
