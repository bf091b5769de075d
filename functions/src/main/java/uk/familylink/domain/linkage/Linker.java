package uk.familylink.domain.linkage;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deterministic linkage of pseudonymised rows to persons and families (DESIGN.md section 6).
 *
 * <p>Rules, per row, in order:
 *
 * <ol>
 *   <li>Tier 1: the row's strong keys that are already claimed name its person. When they name more
 *       than one person, those persons merge: the oldest survives and keeps its ID.
 *   <li>Tier 2, when no strong key is known: a claimed NAME_DOB_POSTCODE key links; NAME_DOB links
 *       only rows that carry no strong identifier at all (a name and birth date alone are too
 *       common to join two records that each have their own strong identifiers).
 *   <li>Otherwise a new person is created.
 *   <li>Every unclaimed key of the row is claimed for the person. A composite key already held by a
 *       different person is marked ambiguous and stops linking. Composites never merge.
 * </ol>
 *
 * <p>Concurrency: a chunk is resolved against one batch read, then its new persons and claims are
 * written in one atomic, conditional step. If another ingest claimed any of the same keys first,
 * nothing of that step is written and the chunk is redone row by row against fresh reads, so two
 * files about the same new person never create two persons. Records and memberships are keyed
 * deterministically and written last, so a retried chunk overwrites rather than duplicates.
 */
public final class Linker {

  private static final int MAX_ROW_ATTEMPTS = 8;
  private static final int MAX_MERGE_CHAIN = 32;

  private final LinkStore store;
  private final Supplier<PersonId> newPersonIds;
  private final Clock clock;

  public Linker(LinkStore store, Supplier<PersonId> newPersonIds, Clock clock) {
    this.store = store;
    this.newPersonIds = newPersonIds;
    this.clock = clock;
  }

  /** Links one chunk of rows from one file; on return every row's record is stored. */
  public void link(List<PseudonymisedRow> rows, LinkContext context, LinkStats stats) {
    if (rows.isEmpty()) {
      return;
    }
    if (tryLink(rows, context, stats)) {
      return;
    }
    // Lost a race with a concurrent ingest: redo each row against fresh reads.
    stats.retries++;
    for (PseudonymisedRow row : rows) {
      linkOneRow(row, context, stats);
    }
  }

  private void linkOneRow(PseudonymisedRow row, LinkContext context, LinkStats stats) {
    List<PseudonymisedRow> single = List.of(row);
    for (int attempt = 1; attempt <= MAX_ROW_ATTEMPTS; attempt++) {
      if (tryLink(single, context, stats)) {
        return;
      }
      stats.retries++;
      backOff(attempt);
    }
    throw new LinkageContentionException(row.rowNumber(), MAX_ROW_ATTEMPTS);
  }

  /**
   * One optimistic attempt: resolve against a batch read, then write. False when a race was lost.
   */
  private boolean tryLink(List<PseudonymisedRow> rows, LinkContext context, LinkStats stats) {
    Instant now = clock.instant();
    Plan plan = new Plan(now);
    plan.load(rows);
    List<PersonId> rowPersons = new ArrayList<>(rows.size());
    for (PseudonymisedRow row : rows) {
      rowPersons.add(plan.resolve(row));
    }

    List<PersonEntry> newPersons = plan.newPersons();
    Map<IdentityKey, PersonId> claims = plan.claims();
    if ((!newPersons.isEmpty() || !claims.isEmpty())
        && !store.claim(newPersons, claims, context.expiresAt(), now)) {
      return false;
    }
    for (MergeRecord merge : plan.merges(context.fileId())) {
      if (!store.merge(merge, context.expiresAt())) {
        return false;
      }
    }
    for (IdentityKey key : plan.newlyAmbiguous) {
      store.markAmbiguous(key, context.expiresAt());
    }

    List<LinkedRecord> records = new ArrayList<>(rows.size());
    Map<String, FamilyMembership> memberships = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      PseudonymisedRow row = rows.get(i);
      PersonId person = plan.survivor(rowPersons.get(i));
      records.add(
          new LinkedRecord(
              context.dataset(),
              context.partner(),
              row.recordToken(),
              person,
              row.family(),
              row.indicators(),
              row.eventDate(),
              row.birthYearMonth(),
              row.expectantParent(),
              row.attributes(),
              context.fileId(),
              context.expiresAt()));
      if (row.family() != null) {
        memberships.put(
            row.family().asString() + "|" + person.value(),
            new FamilyMembership(
                row.family(), person, row.familyRole(), context.dataset(), context.expiresAt()));
      }
    }
    Collection<ReleasedLink> released = releasedBy(records, context, now);
    if (!released.isEmpty()) {
      store.noteReleased(released, context.expiresAt());
    }
    store.putRecords(records);
    if (!memberships.isEmpty()) {
      store.putMemberships(new ArrayList<>(memberships.values()));
    }

    stats.rowsLinked += rows.size();
    stats.newPersons += newPersons.size();
    stats.linkedToExisting += plan.linkedToExisting;
    stats.linkedByStrongKey += plan.linkedByStrongKey;
    stats.linkedByComposite += plan.linkedToExisting - plan.linkedByStrongKey;
    stats.merges += plan.plannedMerges.size();
    stats.identitiesClaimed += claims.size();
    stats.ambiguousComposites += plan.newlyAmbiguous.size();
    stats.linksReleased += released.size();
    stats.itemsWritten +=
        newPersons.size()
            + claims.size()
            + 2L * plan.plannedMerges.size()
            + plan.newlyAmbiguous.size()
            + records.size()
            + memberships.size();
    return true;
  }

  /**
   * Persons and memberships that this chunk's records stop backing: a record already stored under
   * another person (a correction re-linked it) or under another family. Counted once per attempt
   * that wrote, so a chunk redone after a lost race may count a move again.
   */
  private Collection<ReleasedLink> releasedBy(
      List<LinkedRecord> records, LinkContext context, Instant now) {
    Set<String> tokens = new LinkedHashSet<>();
    records.forEach(r -> tokens.add(r.recordToken()));
    Map<String, RecordPlacement> before = store.placements(context.dataset(), tokens, now);
    Set<ReleasedLink> released = new LinkedHashSet<>();
    for (LinkedRecord r : records) {
      RecordPlacement old = before.get(r.recordToken());
      if (old == null) {
        continue;
      }
      boolean personMoved = !old.person().equals(r.person());
      boolean familyMoved = old.family() != null && !old.family().equals(r.family());
      if (personMoved || familyMoved) {
        released.add(new ReleasedLink(old.person(), old.family()));
      }
    }
    return released;
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(Math.min(200, 5L << attempt) + (long) (Math.random() * 10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying linkage", e);
    }
  }

  /** The in-memory view of one attempt: what the store holds plus what this chunk decides. */
  private final class Plan {
    private final Instant now;
    private final Map<IdentityKey, PersonId> owner = new HashMap<>();
    private final Set<IdentityKey> ambiguous = new HashSet<>();
    private final Map<PersonId, PersonEntry> persons = new HashMap<>();

    /** Persons this attempt folds into another (planned merges and collapsed new persons). */
    private final Map<PersonId, PersonId> redirect = new HashMap<>();

    private final Map<PersonId, PersonEntry> pending = new LinkedHashMap<>();
    private final Map<IdentityKey, PersonId> plannedClaims = new LinkedHashMap<>();
    private final Map<PersonId, MergeRecordDraft> plannedMerges = new LinkedHashMap<>();
    private final Set<IdentityKey> newlyAmbiguous = new LinkedHashSet<>();
    private long linkedToExisting;
    private long linkedByStrongKey;

    Plan(Instant now) {
      this.now = now;
    }

    void load(List<PseudonymisedRow> rows) {
      Set<IdentityKey> keys = new LinkedHashSet<>();
      for (PseudonymisedRow row : rows) {
        keys.addAll(row.strongKeys());
        keys.addAll(row.compositeKeys());
      }
      Map<IdentityKey, IdentityEntry> found = store.getIdentities(keys, now);
      Set<PersonId> toFetch = new HashSet<>();
      for (IdentityEntry entry : found.values()) {
        owner.put(entry.key(), entry.person());
        if (entry.ambiguous()) {
          ambiguous.add(entry.key());
        }
        toFetch.add(entry.person());
      }
      // Follow merge chains so every key resolves to an active survivor.
      for (int depth = 0; !toFetch.isEmpty() && depth < MAX_MERGE_CHAIN; depth++) {
        Map<PersonId, PersonEntry> fetched = store.getPersons(toFetch, now);
        persons.putAll(fetched);
        toFetch = new HashSet<>();
        for (PersonEntry p : fetched.values()) {
          if (!p.isActive() && !persons.containsKey(p.mergedInto())) {
            toFetch.add(p.mergedInto());
          }
        }
      }
      // A key whose person has expired or vanished cannot link.
      owner.values().removeIf(id -> !persons.containsKey(id));
    }

    PersonId survivor(PersonId id) {
      PersonId current = id;
      for (int i = 0; i < MAX_MERGE_CHAIN * 2; i++) {
        PersonId next = redirect.get(current);
        if (next == null) {
          PersonEntry entry = persons.get(current);
          next = entry == null ? null : entry.mergedInto();
        }
        if (next == null || !persons.containsKey(next)) {
          return current;
        }
        current = next;
      }
      throw new IllegalStateException("merge chain too long from person " + id);
    }

    PersonId resolve(PseudonymisedRow row) {
      Set<PersonId> strongPersons = new LinkedHashSet<>();
      IdentityKey bridge = null;
      for (IdentityKey key : row.strongKeys()) {
        PersonId p = owner.get(key);
        if (p != null) {
          if (strongPersons.add(survivor(p)) && strongPersons.size() > 1) {
            bridge = key;
          }
        }
      }
      PersonId person;
      if (strongPersons.size() > 1) {
        person = mergeAll(strongPersons, bridge.kind());
      } else if (strongPersons.size() == 1) {
        person = strongPersons.iterator().next();
      } else {
        person = linkByComposite(row);
      }
      if (person == null) {
        person = newPersonIds.get();
        PersonEntry created = PersonEntry.created(person, now);
        pending.put(person, created);
        persons.put(person, created);
      } else if (!pending.containsKey(person)) {
        linkedToExisting++;
        if (!strongPersons.isEmpty()) {
          linkedByStrongKey++;
        }
      }
      for (IdentityKey key : row.strongKeys()) {
        claimIfFree(key, person);
      }
      for (IdentityKey key : row.compositeKeys()) {
        PersonId holder = owner.get(key);
        if (holder == null) {
          claimIfFree(key, person);
        } else if (!survivor(holder).equals(person) && ambiguous.add(key)) {
          newlyAmbiguous.add(key);
        }
      }
      return person;
    }

    private PersonId linkByComposite(PseudonymisedRow row) {
      boolean hasStrong = !row.strongKeys().isEmpty();
      for (IdentityKey key : row.compositeKeys()) {
        if (hasStrong && key.kind() != LinkKeyKind.NAME_DOB_POSTCODE) {
          continue;
        }
        PersonId holder = owner.get(key);
        if (holder != null && !ambiguous.contains(key)) {
          return survivor(holder);
        }
      }
      return null;
    }

    private void claimIfFree(IdentityKey key, PersonId person) {
      if (!owner.containsKey(key)) {
        owner.put(key, person);
        plannedClaims.put(key, person);
      }
    }

    private PersonId mergeAll(Set<PersonId> candidates, LinkKeyKind bridgedBy) {
      PersonId best = null;
      for (PersonId id : candidates) {
        if (best == null || persons.get(id).outranks(persons.get(best))) {
          best = id;
        }
      }
      for (PersonId loser : candidates) {
        if (!loser.equals(best)) {
          redirect.put(loser, best);
          if (pending.remove(loser) == null) {
            plannedMerges.put(loser, new MergeRecordDraft(best, loser, bridgedBy));
          }
        }
      }
      return best;
    }

    List<PersonEntry> newPersons() {
      return new ArrayList<>(pending.values());
    }

    Map<IdentityKey, PersonId> claims() {
      Map<IdentityKey, PersonId> result = new LinkedHashMap<>();
      plannedClaims.forEach((key, person) -> result.put(key, survivor(person)));
      return result;
    }

    Collection<MergeRecord> merges(String fileId) {
      List<MergeRecord> result = new ArrayList<>();
      for (MergeRecordDraft draft : plannedMerges.values()) {
        result.add(
            new MergeRecord(survivor(draft.survivor), draft.merged, draft.bridgedBy, fileId, now));
      }
      return result;
    }
  }

  private record MergeRecordDraft(PersonId survivor, PersonId merged, LinkKeyKind bridgedBy) {}

  /** Thrown when a row keeps losing races; infrastructure-level, so the invocation is retried. */
  public static final class LinkageContentionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LinkageContentionException(long rowNumber, int attempts) {
      super(
          "row "
              + rowNumber
              + " could not be linked after "
              + attempts
              + " attempts of concurrent contention");
    }
  }
}
