package uk.familylink.domain.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.UnbackedLinkStore.Held;
import uk.familylink.fakes.Keys;

/**
 * The decisions of the unbacked-link phase, on a small in-memory store (the DynamoDB adapter:
 * UnbackedLinksTest).
 */
class UnbackedLinkRemovalTest {

  private static final Instant NOW = Instant.parse("2026-06-02T03:00:00Z");
  private static final FamilyKey F1 = new FamilyKey("FAMILY_REF", "f1");
  private static final FamilyKey F2 = new FamilyKey("FAMILY_REF", "f2");

  /** Clusters by person; notes in order; records what was removed. */
  private static final class Store implements UnbackedLinkStore {
    final TreeMap<PersonId, Note> notes = new TreeMap<>();
    final Map<PersonId, Cluster> clusters = new HashMap<>();
    final List<ItemKey> removed = new ArrayList<>();

    @Override
    public NotePage notes(String cursor) {
      // Two notes per page, to cross a page boundary; the cursor is the last key, as in DynamoDB.
      List<Note> after =
          new ArrayList<>(
              cursor == null
                  ? notes.values()
                  : notes.tailMap(new PersonId(cursor), false).values());
      List<Note> page = after.subList(0, Math.min(2, after.size()));
      return new NotePage(page, after.size() > 2 ? page.get(1).person().value() : null);
    }

    @Override
    public Cluster clusterOf(PersonId person, long now) {
      return clusters.getOrDefault(person, new Cluster(Set.of(), List.of()));
    }

    @Override
    public Removal remove(List<ItemKey> keys) {
      removed.addAll(keys);
      return () -> keys.size();
    }

    @Override
    public int restore(Removal removal) {
      return removal.size();
    }

    @Override
    public boolean backed(Set<PersonId> persons, FamilyKey family, long now) {
      return false;
    }

    @Override
    public void clear(Note note) {
      notes.remove(note.person());
    }

    void note(String person, FamilyKey... families) {
      notes.put(new PersonId(person), new Note(new PersonId(person), Set.of(families), 1));
    }

    void cluster(String person, Held... items) {
      clusters.put(new PersonId(person), new Cluster(Set.of(new PersonId(person)), List.of(items)));
    }
  }

  private static Held held(String pk, String sk, FamilyKey family, boolean live) {
    return new Held(Keys.itemKey(pk, sk), family, live);
  }

  @Test
  void aPersonWithOnlyExpiredRecordsGoesWhollyAndOneWithALiveRecordStays() {
    Store store = new Store();
    store.note("A");
    store.cluster(
        "A",
        held("PERSON#A", "PERSON", null, true),
        held("ID#NHS_NUMBER#t", "ID", null, true),
        held("REC#ds#r1", "REC", null, false),
        held("FAMILY#FAMILY_REF#f1", "MEMBER#A", F1, true));
    store.note("B");
    store.cluster(
        "B", held("PERSON#B", "PERSON", null, true), held("REC#ds#r2", "REC", null, true));

    UnbackedLinkRemoval.Result result = new UnbackedLinkRemoval(store).run(NOW, () -> true);

    assertThat(store.removed)
        .extracting(ItemKey::pk)
        .containsExactly("PERSON#A", "ID#NHS_NUMBER#t", "REC#ds#r1", "FAMILY#FAMILY_REF#f1");
    assertThat(result.personsRemoved()).isEqualTo(1);
    assertThat(result.deletedByKind())
        .containsEntry("PERSON", 1L)
        .containsEntry("ID", 1L)
        .containsEntry("REC", 1L)
        .containsEntry("FAMILY", 1L);
    assertThat(result.finished()).isTrue();
    assertThat(store.notes).isEmpty();
  }

  @Test
  void onlyTheMembershipsOfANotedFamilyNoLiveRecordNamesGo() {
    Store store = new Store();
    store.note("A", F1, F2);
    store.cluster(
        "A",
        held("PERSON#A", "PERSON", null, true),
        held("REC#ds#r1", "REC", F2, true),
        held("FAMILY#FAMILY_REF#f1", "MEMBER#A", F1, true),
        held("FAMILY#FAMILY_REF#f2", "MEMBER#A", F2, true));

    UnbackedLinkRemoval.Result result = new UnbackedLinkRemoval(store).run(NOW, () -> true);

    assertThat(store.removed).containsExactly(Keys.itemKey("FAMILY#FAMILY_REF#f1", "MEMBER#A"));
    assertThat(result.membershipsRemoved()).isEqualTo(1);
    assertThat(result.personsRemoved()).isZero();
  }

  @Test
  void aNoteForAPersonAlreadyGoneIsClearedAndTheDeadlineLeavesTheRestForTheNextRun() {
    Store store = new Store();
    for (String p : List.of("A-gone", "B", "C", "D")) {
      store.note(p);
    }
    AtomicInteger checks = new AtomicInteger();

    UnbackedLinkRemoval.Result result =
        new UnbackedLinkRemoval(store).run(NOW, () -> checks.incrementAndGet() <= 2);

    assertThat(result.finished()).isFalse();
    assertThat(result.notesChecked()).isEqualTo(2);
    assertThat(store.notes.keySet()).extracting(PersonId::value).containsExactly("C", "D");
    assertThat(store.removed).isEmpty();
  }
}
