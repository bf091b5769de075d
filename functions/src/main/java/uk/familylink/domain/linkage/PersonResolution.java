package uk.familylink.domain.linkage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Which person is this?" — the one home of the rules that place a row with a person, used by the
 * {@link Linker} for every ingested row and by subject access for a request, so a request carrying
 * a row's identifiers finds the person ingest placed that row with. Pure: what the store holds is
 * read through a {@link View} the caller has loaded.
 *
 * <p>In order (the {@link Linker}'s class comment gives the reasons):
 *
 * <ol>
 *   <li>{@link #strong}: each claimed strong key names its person's survivor, unless (with tier 3)
 *       the row's demographics contradict every profile that person was seen with — an identifier
 *       conflict, not a link.
 *   <li>{@link #composite}, when no strong key names anyone: a claimed, unambiguous
 *       NAME_DOB_POSTCODE key; NAME_DOB only for a row with no strong identifier and only without
 *       tier 3.
 *   <li>{@link #rank}, with tier 3: the persons filed under the row's blocking keys, scored; the
 *       best LINK, unless it holds a strong identifier of a kind the row has with another value.
 * </ol>
 *
 * <p>What to do with the answer (merge, bridge, create, claim, queue a review) is the caller's.
 */
public final class PersonResolution {

  /** Longest merge chain followed; longer is corruption, not data. */
  static final int MAX_MERGE_CHAIN = 32;

  /** Entries read per blocking key; a key with more is too common to compare against. */
  public static final int BLOCK_CAP = 64;

  private PersonResolution() {}

  /**
   * What the store holds, as far as the caller has read it: a view over the maps the caller reads
   * into (it keeps them; the view only looks).
   *
   * @param owners claimant of each claimed key read (only persons that could be read)
   * @param ambiguousKeys composite keys marked ambiguous (held for two persons)
   * @param persons the persons read (created, not expired)
   * @param redirect merges planned but not stored yet (loser to survivor); empty for a reader
   * @param entries candidate index entries read, by blocking or profile key
   * @param open opens an entry's sealed demographics
   */
  public record View(
      Map<IdentityKey, PersonId> owners,
      Set<IdentityKey> ambiguousKeys,
      Map<PersonId, PersonEntry> persons,
      Map<PersonId, PersonId> redirect,
      Map<String, List<CandidateIndex.Entry>> entries,
      java.util.function.Function<CandidateIndex.Entry, Demographics> open) {

    /** The person that claimed the key, when that person could be read; null otherwise. */
    public PersonId owner(IdentityKey key) {
      return owners.get(key);
    }

    /** Whether the composite key is marked ambiguous. */
    public boolean ambiguous(IdentityKey key) {
      return ambiguousKeys.contains(key);
    }

    /** Whether the person was read. */
    public boolean known(PersonId person) {
      return persons.containsKey(person);
    }

    /** The active person a merge chain from {@code person} ends at. */
    public PersonId survivor(PersonId person) {
      return PersonResolution.survivor(
          person,
          current -> {
            PersonId next = redirect.get(current);
            if (next == null) {
              PersonEntry entry = persons.get(current);
              next = entry == null ? null : entry.mergedInto();
            }
            return next;
          },
          persons::containsKey);
    }

    /** The entries read under a key (empty when none). */
    public List<CandidateIndex.Entry> entries(String key) {
      return entries.getOrDefault(key, List.of());
    }

    /** An entry's demographics, opened. */
    public Demographics open(CandidateIndex.Entry entry) {
      return open.apply(entry);
    }
  }

  /**
   * The survivors the row's claimed strong keys name, in the row's key order; the keys that were
   * contradicted (not used, not to be claimed); and the last key that named one more person (what
   * bridged them), null when fewer than two.
   */
  public record StrongMatch(
      Set<PersonId> persons, Set<IdentityKey> conflicted, IdentityKey bridgedBy) {}

  /** Step 1. {@code scorer} null: strong keys are not corroborated (deterministic tiers only). */
  public static StrongMatch strong(PseudonymisedRow row, View view, MatchScorer scorer) {
    Set<PersonId> persons = new LinkedHashSet<>();
    Set<IdentityKey> conflicted = new LinkedHashSet<>();
    IdentityKey bridgedBy = null;
    for (IdentityKey key : row.strongKeys()) {
      PersonId owner = view.owner(key);
      if (owner == null) {
        continue;
      }
      PersonId survivor = view.survivor(owner);
      if (scorer != null
          && row.demographics() != null
          && contradicted(row, owner, survivor, view, scorer)) {
        conflicted.add(key);
        continue;
      }
      if (persons.add(survivor) && persons.size() > 1) {
        bridgedBy = key;
      }
    }
    return new StrongMatch(persons, conflicted, bridgedBy);
  }

  /**
   * True when the row's demographics contradict every profile its strong key's person was seen with
   * (its own and its survivor's); false when no profile was filed.
   */
  static boolean contradicted(
      PseudonymisedRow row, PersonId owner, PersonId survivor, View view, MatchScorer scorer) {
    List<CandidateIndex.Entry> profile =
        new ArrayList<>(view.entries(CandidateIndex.profileKey(owner)));
    if (!owner.equals(survivor)) {
      profile.addAll(view.entries(CandidateIndex.profileKey(survivor)));
    }
    if (profile.isEmpty()) {
      return false;
    }
    for (CandidateIndex.Entry e : profile) {
      if (!scorer.contradicts(row.demographics(), view.open(e))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Step 2: the survivor a composite key names, or null.
   *
   * @param tierThree tier 3 scores the rows NAME_DOB would link, so NAME_DOB does not link
   */
  public static PersonId composite(PseudonymisedRow row, View view, boolean tierThree) {
    boolean hasStrong = !row.strongKeys().isEmpty();
    for (IdentityKey key : row.compositeKeys()) { // most specific first
      if ((hasStrong || tierThree) && key.kind() != LinkKeyKind.NAME_DOB_POSTCODE) {
        continue;
      }
      PersonId holder = view.owner(key);
      if (holder != null && !view.ambiguous(key)) {
        return view.survivor(holder);
      }
    }
    return null;
  }

  /**
   * Step 3's scores: each candidate survivor's best score against the row; {@code links} the
   * survivors that LINK and are not vetoed, strongest first (ties by ID, so the order entries were
   * read in does not matter); the strongest POSSIBLE, null when none; and the links a household
   * lifted (they LINK only because the household corroborated them).
   */
  public record Ranking(
      List<PersonId> links,
      Map<PersonId, MatchScore> best,
      PersonId possible,
      MatchScore possibleScore,
      Set<PersonId> liftedByHousehold) {

    public PersonId chosen() {
      return links.isEmpty() ? null : links.get(0);
    }
  }

  /**
   * Step 3: scores the persons filed under the row's blocking keys (read into {@code view}).
   *
   * @param household survivors the row's household corroborates ({@link HouseholdEvidence}); empty
   *     for a row seen alone
   */
  public static Ranking rank(
      PseudonymisedRow row, View view, MatchScorer scorer, Set<PersonId> household) {
    long[] rowStrong = strongIds(row);
    long family = CandidateIndex.familyId(row.family());
    Map<PersonId, MatchScore> best = new LinkedHashMap<>();
    Set<PersonId> vetoed = new HashSet<>();
    Set<PersonId> lifted = new HashSet<>();
    for (String key : row.blockKeys()) {
      for (CandidateIndex.Entry e : view.entries(key)) {
        if (!view.known(e.person())) {
          continue; // never created (a lost race) or expired
        }
        PersonId p = view.survivor(e.person());
        if (strongDisagree(rowStrong, e.strongIds())) {
          vetoed.add(p);
        }
        boolean sameFamily = family != 0 && family == e.family();
        boolean corroborated = household.contains(p);
        MatchScore s = scorer.score(row.demographics(), view.open(e), sameFamily || corroborated);
        MatchScore old = best.get(p);
        if (old == null || s.weight() > old.weight()) {
          best.put(p, s);
          if (corroborated
              && s.decision() == MatchScore.Decision.LINK
              && scorer.score(row.demographics(), view.open(e), sameFamily).decision()
                  != MatchScore.Decision.LINK) {
            lifted.add(p);
          } else {
            lifted.remove(p);
          }
        }
      }
    }
    List<PersonId> links = new ArrayList<>();
    PersonId possible = null;
    MatchScore possibleScore = null;
    for (Map.Entry<PersonId, MatchScore> e : best.entrySet()) {
      MatchScore s = e.getValue();
      if (vetoed.contains(e.getKey())) {
        continue;
      }
      if (s.decision() == MatchScore.Decision.LINK) {
        links.add(e.getKey());
      } else if (s.decision() == MatchScore.Decision.POSSIBLE
          && (possibleScore == null || s.weight() > possibleScore.weight())) {
        possible = e.getKey();
        possibleScore = s;
      }
    }
    links.sort(
        Comparator.comparingDouble((PersonId p) -> -best.get(p).weight())
            .thenComparing(Comparator.naturalOrder()));
    lifted.retainAll(links);
    return new Ranking(List.copyOf(links), best, possible, possibleScore, lifted);
  }

  /**
   * The active person a merge chain ends at: follows {@code next} (a pending redirect or the
   * person's mergedInto) while it names a person that can be read.
   */
  public static PersonId survivor(
      PersonId start,
      java.util.function.Function<PersonId, PersonId> next,
      java.util.function.Predicate<PersonId> known) {
    PersonId current = start;
    for (int i = 0; i < MAX_MERGE_CHAIN * 2; i++) {
      PersonId following = next.apply(current);
      if (following == null || !known.test(following)) {
        return current;
      }
      current = following;
    }
    throw new IllegalStateException("merge chain too long from person " + start);
  }

  /**
   * Reads the given persons and every person their merge chains lead to into {@code into}, one
   * batch read per link of the chain (persons already in {@code into} are not read again).
   */
  public static void readChains(
      Set<PersonId> first,
      java.util.function.Function<Set<PersonId>, Map<PersonId, PersonEntry>> read,
      Map<PersonId, PersonEntry> into) {
    Set<PersonId> toRead = new HashSet<>(first);
    toRead.removeAll(into.keySet());
    for (int depth = 0; !toRead.isEmpty() && depth < MAX_MERGE_CHAIN; depth++) {
      Map<PersonId, PersonEntry> fetched = read.apply(toRead);
      into.putAll(fetched);
      toRead = new HashSet<>();
      for (PersonEntry p : fetched.values()) {
        if (!p.isActive() && !into.containsKey(p.mergedInto())) {
          toRead.add(p.mergedInto());
        }
      }
    }
  }

  static long[] strongIds(PseudonymisedRow row) {
    long[] ids = new long[row.strongKeys().size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = CandidateIndex.strongId(row.strongKeys().get(i));
    }
    return ids;
  }

  /** True when both hold an identifier of the same strong kind with different values. */
  static boolean strongDisagree(long[] a, long[] b) {
    for (long x : a) {
      boolean sameKind = false;
      boolean sameValue = false;
      for (long y : b) {
        if ((x >>> 56) == (y >>> 56)) {
          sameKind = true;
          sameValue |= x == y;
        }
      }
      if (sameKind && !sameValue) {
        return true;
      }
    }
    return false;
  }
}
