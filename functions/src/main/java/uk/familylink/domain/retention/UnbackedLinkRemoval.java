package uk.familylink.domain.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.UnbackedLinkStore.Cluster;
import uk.familylink.domain.retention.UnbackedLinkStore.Held;
import uk.familylink.domain.retention.UnbackedLinkStore.Note;
import uk.familylink.domain.retention.UnbackedLinkStore.NotePage;
import uk.familylink.domain.retention.UnbackedLinkStore.Removal;

/**
 * Removes persons and family memberships left with no live record (issue 4: "removes persons and
 * families left with no live records"), a phase of the retention sweep.
 *
 * <p>Everything written by one deployment shares one expiry, so expiry alone never leaves a person
 * without records; a correction does — a partner's re-upload that re-links a record to another
 * person or family. Ingest notes each person (and family) a moved record stopped backing; this
 * phase reads only those notes (no scan) and, for each, the person's whole merge cluster:
 *
 * <ul>
 *   <li>no live record in the cluster: every item of the cluster goes — persons, merges, identity
 *       claims (pseudonymised identifiers nobody's record carries any more), memberships. A family
 *       whose last membership goes is gone: families exist only as their memberships.
 *   <li>live records, none naming the noted family: the cluster's memberships of that family go.
 *   <li>otherwise nothing is removed.
 * </ul>
 *
 * <p>Concurrency: an ingest may link a new record to the person between the check and the deletion.
 * So after deleting, the phase asks again whether a live record backs what was removed and, if one
 * does, puts the removed items back (only where their key is still free) and keeps the note for the
 * next run. The re-check reads an eventually consistent index, so a record written within the
 * index's propagation delay (typically under a second) before the re-check can still be missed; the
 * record then stays under a removed person until its own expiry. Documented, not hidden.
 *
 * <p>Resumable: a note is cleared only after its check, and only if no newer note arrived
 * meanwhile; an interrupted run leaves the rest for the next.
 */
public final class UnbackedLinkRemoval {

  private final UnbackedLinkStore store;

  public UnbackedLinkRemoval(UnbackedLinkStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** What one pass did. Counts only. */
  public record Result(
      long notesChecked,
      long personsRemoved,
      long membershipsRemoved,
      long restoredAfterRelink,
      Map<String, Long> deletedByKind,
      boolean finished) {
    public Result {
      deletedByKind = Map.copyOf(deletedByKind);
    }
  }

  /**
   * Checks every note as of {@code now}; stops before starting a note once {@code timeLeft} says
   * no.
   */
  public Result run(Instant now, BooleanSupplier timeLeft) {
    long nowEpoch = now.getEpochSecond();
    Counts counts = new Counts();
    String cursor = null;
    do {
      NotePage page = store.notes(cursor);
      for (Note note : page.notes()) {
        if (!timeLeft.getAsBoolean()) {
          return counts.result(false);
        }
        check(note, nowEpoch, counts);
      }
      cursor = page.cursor();
    } while (cursor != null);
    return counts.result(true);
  }

  private void check(Note note, long nowEpoch, Counts counts) {
    counts.notes++;
    Cluster cluster = store.clusterOf(note.person(), nowEpoch);
    if (cluster.gone()) {
      store.clear(note);
      return;
    }
    boolean anyLiveRecord = cluster.items().stream().anyMatch(h -> isRecord(h) && h.live());
    if (!anyLiveRecord) {
      List<ItemKey> all = cluster.items().stream().map(Held::key).toList();
      if (removeUnlessRelinked(cluster, null, all, nowEpoch, counts)) {
        counts.persons += cluster.persons().size();
      } else {
        return; // keep the note: re-checked next run
      }
    } else {
      for (FamilyKey family : note.families()) {
        boolean backed =
            cluster.items().stream()
                .anyMatch(h -> isRecord(h) && h.live() && family.equals(h.family()));
        if (backed) {
          continue;
        }
        List<ItemKey> memberships =
            cluster.items().stream()
                .filter(h -> h.key().kind() == ItemKind.FAMILY && family.equals(h.family()))
                .map(Held::key)
                .toList();
        if (memberships.isEmpty()) {
          continue;
        }
        if (removeUnlessRelinked(cluster, family, memberships, nowEpoch, counts)) {
          counts.memberships += memberships.size();
        } else {
          return;
        }
      }
    }
    store.clear(note);
  }

  /**
   * Deletes, re-checks, and puts back if a record appeared meanwhile; true when the removal stands.
   */
  private boolean removeUnlessRelinked(
      Cluster cluster, FamilyKey family, List<ItemKey> keys, long nowEpoch, Counts counts) {
    Removal removal = store.remove(keys);
    if (store.backed(cluster.persons(), family, nowEpoch)) {
      counts.restored += store.restore(removal);
      return false;
    }
    for (ItemKey key : keys) {
      counts.byKind.merge(key.kind().name(), 1L, Long::sum);
    }
    return true;
  }

  private static boolean isRecord(Held h) {
    return h.key().kind() == ItemKind.REC;
  }

  private static final class Counts {
    long notes;
    long persons;
    long memberships;
    long restored;
    final Map<String, Long> byKind = new TreeMap<>();

    Result result(boolean finished) {
      return new Result(notes, persons, memberships, restored, byKind, finished);
    }
  }
}
