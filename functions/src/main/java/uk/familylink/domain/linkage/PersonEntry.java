package uk.familylink.domain.linkage;

import java.time.Instant;

/**
 * A person as stored. A merged person points at its survivor; the survivor keeps its ID. Older
 * persons survive (createdAt, then ID), so concurrent merges cannot form a cycle.
 */
public record PersonEntry(PersonId id, Instant createdAt, PersonId mergedInto) {

  public static PersonEntry created(PersonId id, Instant at) {
    return new PersonEntry(id, at, null);
  }

  public boolean isActive() {
    return mergedInto == null;
  }

  /** True when this person should survive a merge with {@code other}. */
  public boolean outranks(PersonEntry other) {
    int byAge = createdAt.compareTo(other.createdAt);
    return byAge != 0 ? byAge < 0 : id.compareTo(other.id) < 0;
  }
}
