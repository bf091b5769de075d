package uk.familylink.domain.retention;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;

/**
 * Port for removing persons and family memberships that corrections left with no live record behind
 * them. Ingest notes every person (and membership) a corrected record stopped backing; this port
 * reads those notes and what a person holds, by key and index only — never a scan.
 */
public interface UnbackedLinkStore {

  /**
   * A note left by ingest; {@code version} changes whenever another note is added for the person.
   */
  record Note(PersonId person, Set<FamilyKey> families, long version) {
    public Note {
      Objects.requireNonNull(person, "person");
      families = Set.copyOf(families);
    }
  }

  /** One page of notes; {@code cursor} is null on the last page. */
  record NotePage(List<Note> notes, String cursor) {
    public NotePage {
      notes = List.copyOf(notes);
    }
  }

  /**
   * One item a person cluster holds; {@code family} is the family a record's row named or a
   * membership's family (null otherwise).
   */
  record Held(ItemKey key, FamilyKey family, boolean live) {}

  /**
   * Everything held about a person and everyone merged with it: the survivor at the end of its
   * merge chain, the persons merged into that survivor (transitively), and each one's person,
   * merge, identity, record and membership items. Empty when the person no longer exists.
   */
  record Cluster(Set<PersonId> persons, List<Held> items) {
    public Cluster {
      persons = Set.copyOf(persons);
      items = List.copyOf(items);
    }

    public boolean gone() {
      return persons.isEmpty();
    }
  }

  /** Items deleted by {@link #remove}, kept by the adapter so that they can be put back. */
  interface Removal {
    int size();
  }

  NotePage notes(String cursor);

  Cluster clusterOf(PersonId person, long nowEpochSecond);

  /**
   * Deletes the items, remembering their content; deleting an item already gone is not an error.
   */
  Removal remove(List<ItemKey> keys);

  /** Puts removed items back where their key is still free; returns how many were put back. */
  int restore(Removal removal);

  /**
   * Whether a live record of one of {@code persons} backs them — any record when {@code family} is
   * null, else a record whose row named that family.
   */
  boolean backed(Set<PersonId> persons, FamilyKey family, long nowEpochSecond);

  /**
   * Deletes the note if its version is unchanged; a note added meanwhile stays for the next run.
   */
  void clear(Note note);
}
