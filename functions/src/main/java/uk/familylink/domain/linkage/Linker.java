package uk.familylink.domain.linkage;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import uk.familylink.domain.linkage.MatchModel.Field;
import uk.familylink.domain.linkage.MatchModel.Level;

/**
 * Deterministic linkage of pseudonymised rows to persons and families (DESIGN.md section 6).
 *
 * <p>Rules, per row, in order:
 *
 * <ol>
 *   <li>Tier 1: the row's strong keys that are already claimed name its person. When they name more
 *       than one person, those persons merge: the oldest survives and keeps its ID.
 *   <li>With the tier-3 index, a strong key links only when the row's demographics do not
 *       contradict every demographics its person was seen with ({@link MatchScorer#contradicts}); a
 *       contradicted key is an identifier conflict: counted, neither used nor claimed.
 *   <li>Tier 2, when no strong key is known: a claimed NAME_DOB_POSTCODE key links; NAME_DOB links
 *       only rows that carry no strong identifier at all (a name and birth date alone are too
 *       common to join two records that each have their own strong identifiers), and only without
 *       the tier-3 index, which scores such rows instead.
 *   <li>Tier 3, with the index: the persons filed under the row's blocking keys are scored
 *       (Fellegi–Sunter, {@link MatchScorer}); the best LINK links, unless it holds a strong
 *       identifier of a kind the row also has, with another value. The weight breakdown and model
 *       version are kept on the record ({@code link_*} attributes). A POSSIBLE is kept apart and,
 *       when the store has a {@link ReviewQueue}, queued for review: the pair (the row's person and
 *       the best possible candidate) with the weight breakdown, after the row's record is written.
 *   <li>Tier-3 bridge: when the row links (LINK, no identifier conflict) to two or more persons,
 *       they merge (the oldest survives, as in tier 1) if each pair of them is compatible ({@link
 *       #BRIDGE_RULE}); the merge record cites the row's file, the weights and the model. A pair
 *       the data team kept apart on review never merges this way; a pending review of a pair that
 *       merges is resolved {@link LinkReview.Status#BRIDGED}.
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

  /**
   * When two persons a row links to are compatible, so the row bridges them (ADR 0140). Their own
   * records (profile entries, and the entries the row's blocking keys found) are scored pairwise:
   *
   * <ul>
   *   <li>no pair holds strong identifiers of one kind with different values;
   *   <li>no pair has a different given name (the twins rule) unless the row's given name is
   *       exactly both persons' (in either name order: records of one person with swapped or typed
   *       names can look like twins to each other, twins' records never share the row's given
   *       name);
   *   <li>no pair has a different date of birth and a different family name (a contradiction, as
   *       for a strong identifier);
   *   <li>the best pair is at least a possible link by weight (not NO_LINK), and is not a link the
   *       same-name-same-birth-date-elsewhere rule demoted to possible;
   *   <li>every field on which any pair disagrees (DIFFERENT; a postcode also in another sector) is
   *       one the row itself has: a row without a date of birth does not bridge a father and son of
   *       one name and address, nor a row without a postcode two namesakes in different places;
   *   <li>the pair was not kept apart on review.
   * </ul>
   */
  public static final String BRIDGE_RULE = "tier3-bridge-v1";

  private final LinkStore store;
  private final Supplier<PersonId> newPersonIds;
  private final Clock clock;
  private final CandidateIndex index;
  private final MatchScorer scorer;
  private final EncodingSeal seal;
  private final ReviewQueue reviews;

  /** Deterministic tiers only. */
  public Linker(LinkStore store, Supplier<PersonId> newPersonIds, Clock clock) {
    this(store, newPersonIds, clock, null, new MatchScorer(MatchModel.prior()));
  }

  /**
   * With tier 3 when the store has a candidate index and {@code seal} is given.
   *
   * @param seal seals and opens the stored encodings (null: deterministic tiers only)
   */
  public Linker(
      LinkStore store,
      Supplier<PersonId> newPersonIds,
      Clock clock,
      EncodingSeal seal,
      MatchScorer scorer) {
    this.store = store;
    this.newPersonIds = newPersonIds;
    this.clock = clock;
    this.seal = seal;
    this.index = seal == null ? null : store.candidateIndex().orElse(null);
    this.reviews = store.reviewQueue().orElse(null);
    this.scorer = scorer;
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
    // Where the rows' records are now: read first, so a corrected row that no longer holds what
    // made it merge two persons splits them before anything is planned on that merge.
    Set<String> tokens = new LinkedHashSet<>();
    rows.forEach(r -> tokens.add(r.recordToken()));
    Map<String, RecordPlacement> before = store.placements(context.dataset(), tokens, now);
    Plan plan = new Plan(now);
    plan.load(rows);
    Map<Integer, Set<PersonId>> stillBridged = plan.stillBridged(rows, before);
    if (splitWithdrawnBridges(rows, before, stillBridged, context, stats, now)) {
      plan = new Plan(now);
      plan.load(rows);
    }
    List<PersonId> rowPersons = new ArrayList<>(rows.size());
    for (PseudonymisedRow row : rows) {
      rowPersons.add(plan.resolve(row));
    }

    List<PersonEntry> newPersons = plan.newPersons();
    Map<IdentityKey, PersonId> claims = plan.claims();
    // Index entries go first: an entry whose person was never created (a lost race) is ignored on
    // reading, while a person created without its entries could not be found by tier 3.
    List<CandidateIndex.Entry> entries = plan.indexEntries();
    if (index != null && !entries.isEmpty()) {
      index.add(entries, PersonResolution.BLOCK_CAP, context.expiresAt());
    }
    if ((!newPersons.isEmpty() || !claims.isEmpty())
        && !store.claim(newPersons, claims, context.expiresAt(), now)) {
      return false;
    }
    for (MergeRecord merge : plan.merges(context.fileId())) {
      if (!store.merge(merge, context.expiresAt())) {
        return false;
      }
    }
    // A pending review of a pair a bridge just merged has nothing left to decide.
    long reviewsBridged = 0;
    for (String reviewId : plan.bridgedReviews) {
      if (reviews.decide(reviewId, LinkReview.Status.BRIDGED, LinkReview.BRIDGED_BY, now, now)) {
        reviewsBridged++;
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
      MatchScore why = plan.explanations.get(i);
      Set<PersonId> bridged = new LinkedHashSet<>(plan.bridgedByRow.getOrDefault(i, Set.of()));
      // still the evidence of the merges it made earlier (a re-sent row), so still named
      bridged.addAll(stillBridged.getOrDefault(i, Set.of()));
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
              why == null
                  ? row.attributes()
                  : explained(row.attributes(), why, plan.householdLinks.contains(i)),
              context.fileId(),
              context.expiresAt(),
              bridged));
      if (row.family() != null) {
        memberships.put(
            row.family().asString() + "|" + person.value(),
            new FamilyMembership(
                row.family(), person, row.familyRole(), context.dataset(), context.expiresAt()));
      }
    }
    Collection<ReleasedLink> released = releasedBy(records, before);
    if (!released.isEmpty()) {
      store.noteReleased(released, context.expiresAt());
    }
    store.putRecords(records);
    if (!memberships.isEmpty()) {
      store.putMemberships(new ArrayList<>(memberships.values()));
    }
    // Reviews last: a crash before this leaves no review of a record that does not exist (the
    // retried chunk finds the pair again and queues it then).
    List<LinkReview> queued = reviewsOf(plan, rows, context, now);
    if (!queued.isEmpty()) {
      reviews.queue(queued, now);
    }

    stats.rowsLinked += rows.size();
    stats.newPersons += newPersons.size();
    stats.linkedToExisting += plan.linkedToExisting;
    stats.linkedByStrongKey += plan.linkedByStrongKey;
    stats.linkedByComposite += plan.linkedToExisting - plan.linkedByStrongKey;
    stats.merges += plan.plannedMerges.size();
    stats.bridgingMerges += plan.bridgingMerges;
    stats.bridgesRefused += plan.bridgesRefused;
    stats.indexEntriesSkipped += plan.entriesSkipped;
    stats.indexEntriesFiled += entries.size();
    stats.reviewsBridged += reviewsBridged;
    stats.identitiesClaimed += claims.size();
    stats.ambiguousComposites += plan.newlyAmbiguous.size();
    stats.linksReleased += released.size();
    stats.probabilisticLinks += plan.probabilisticLinks;
    stats.possibleLinks += plan.possibleLinks;
    stats.householdLinks += plan.householdLinks.size();
    stats.identifierConflicts += plan.identifierConflicts;
    stats.blocksCapped += plan.cappedKeys.size();
    stats.itemsWritten +=
        newPersons.size()
            + claims.size()
            + 2L * plan.plannedMerges.size()
            + plan.newlyAmbiguous.size()
            + records.size()
            + memberships.size()
            + stats.newIndexKeys(entries.stream().map(CandidateIndex.Entry::key).toList())
            + queued.size()
            + reviewsBridged;
    stats.reviewsQueued += queued.size();
    return true;
  }

  /**
   * The possible links this attempt found, as reviews of survivors (a pair made one is dropped).
   */
  private List<LinkReview> reviewsOf(
      Plan plan, List<PseudonymisedRow> rows, LinkContext context, Instant now) {
    if (reviews == null || plan.possibles.isEmpty()) {
      return List.of();
    }
    Map<String, LinkReview> out = new LinkedHashMap<>();
    plan.possibles.forEach(
        (rowAt, possible) -> {
          PersonId person = plan.survivor(plan.placed.get(rowAt));
          PersonId candidate = plan.survivor(possible.candidate());
          if (!person.equals(candidate)) {
            LinkReview review =
                LinkReview.pending(
                    person,
                    candidate,
                    context.dataset(),
                    rows.get(rowAt).recordToken(),
                    possible.score(),
                    now,
                    context.expiresAt());
            out.putIfAbsent(review.id(), review);
          }
        });
    return new ArrayList<>(out.values());
  }

  /** The record's attributes plus the explanation of its probabilistic link (no values). */
  private static Map<String, String> explained(
      Map<String, String> attributes, MatchScore why, boolean byHousehold) {
    Map<String, String> out = new LinkedHashMap<>(attributes == null ? Map.of() : attributes);
    out.put("link_tier", "3");
    out.put("link_weight", String.format(java.util.Locale.ROOT, "%.2f", why.weight()));
    out.put("link_fields", why.breakdown());
    out.put("link_model", why.modelVersion());
    if (byHousehold) {
      // the names and birth date matched elsewhere; a household member's match corroborated it
      out.put("link_corroboration", "HOUSEHOLD");
    }
    return out;
  }

  /**
   * Persons and memberships that this chunk's records stop backing: a record already stored under
   * another person (a correction re-linked it) or under another family. Counted once per attempt
   * that wrote, so a chunk redone after a lost race may count a move again.
   */
  private static Collection<ReleasedLink> releasedBy(
      List<LinkedRecord> records, Map<String, RecordPlacement> before) {
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

  /** Who a split made because a correction withdrew a merge's evidence says it was. */
  public static final String CORRECTION_SPLIT_BY = "ingest (a correction withdrew the evidence)";

  /**
   * Splits each merge a row of this chunk made earlier by holding both persons' identifiers, when
   * the row as sent now no longer holds them (a correction withdrew the evidence, ADR 0146). True
   * when something was split, so the caller plans again on fresh reads. Unlike a split on review,
   * the pair is not kept apart: a later row with both identifiers may merge them again.
   */
  private boolean splitWithdrawnBridges(
      List<PseudonymisedRow> rows,
      Map<String, RecordPlacement> before,
      Map<Integer, Set<PersonId>> stillBridged,
      LinkContext context,
      LinkStats stats,
      Instant now) {
    Set<PersonId> withdrawn = new LinkedHashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      RecordPlacement old = before.get(rows.get(i).recordToken());
      if (old != null) {
        withdrawn.addAll(old.bridged());
        withdrawn.removeAll(stillBridged.getOrDefault(i, Set.of()));
      }
    }
    if (withdrawn.isEmpty()) {
      return false;
    }
    boolean split = false;
    for (PersonEntry merged : store.getPersons(withdrawn, now).values()) {
      if (merged.isActive()) {
        continue; // split already (on review, or by an earlier attempt)
      }
      MergeRecord merge =
          new MergeRecord(merged.mergedInto(), merged.id(), null, context.fileId(), now)
              .splitAs(new MergeRecord.Split(now, CORRECTION_SPLIT_BY));
      if (store.split(merge, context.expiresAt())) {
        stats.mergesSplit++;
        split = true;
        if (reviews != null) {
          // a possible link a bridge had resolved is a possible link again
          reviews
              .review(merge.id(), now)
              .filter(r -> r.status() == LinkReview.Status.BRIDGED)
              .ifPresent(r -> reviews.record(r.reopened()));
        }
      }
    }
    return split;
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

    /** Tier 3: entries by key as read, plus those this attempt files (in order). */
    private final Map<String, List<CandidateIndex.Entry>> entriesByKey = new HashMap<>();

    private final List<CandidateIndex.Entry> newEntries = new ArrayList<>();
    private final Set<String> cappedKeys = new HashSet<>();
    private final Map<Integer, MatchScore> explanations = new HashMap<>();

    /** Rows whose tier-3 link only household corroboration made (a link, not a possible). */
    private final Set<Integer> householdLinks = new HashSet<>();

    /** Tier 3: the best possible (not linking) candidate of each row that found one, by row. */
    private final Map<Integer, Possible> possibles = new LinkedHashMap<>();

    /** The person each row was placed under, by row (before this attempt's merges). */
    private final Map<Integer, PersonId> placed = new HashMap<>();

    private int rowIndex;
    private long probabilisticLinks;
    private long possibleLinks;
    private long identifierConflicts;
    private long bridgingMerges;
    private long bridgesRefused;

    /** Reviews read by this attempt (by id; empty when none is held). */
    private final Map<String, Optional<LinkReview>> reviewsRead = new HashMap<>();

    /** By row, the stored persons it merges into its person by holding both identifiers. */
    private final Map<Integer, Set<PersonId>> bridgedByRow = new HashMap<>();

    /**
     * By row, the persons its stored record names as merged by it ({@link RecordPlacement#bridged})
     * that the row as sent now still carries the evidence for: both persons' identifiers ({@link
     * #holdsBoth}), or, for a tier-3 bridge, a link by score to the merged person's own records
     * ({@link #scoresLinkTo}). The merged persons' profiles are read in one lookup.
     */
    Map<Integer, Set<PersonId>> stillBridged(
        List<PseudonymisedRow> rows, Map<String, RecordPlacement> before) {
      Set<String> profiles = new LinkedHashSet<>();
      for (PseudonymisedRow row : rows) {
        RecordPlacement old = before.get(row.recordToken());
        if (old != null && row.demographics() != null) {
          old.bridged().forEach(p -> profiles.add(CandidateIndex.profileKey(p)));
          if (!old.bridged().isEmpty()) {
            profiles.add(CandidateIndex.profileKey(old.person()));
          }
        }
      }
      if (index != null && !profiles.isEmpty()) {
        ensureLoaded(new ArrayList<>(profiles));
      }
      Map<Integer, Set<PersonId>> out = new HashMap<>();
      for (int i = 0; i < rows.size(); i++) {
        RecordPlacement old = before.get(rows.get(i).recordToken());
        if (old == null) {
          continue;
        }
        for (PersonId merged : old.bridged()) {
          if (holdsBoth(rows.get(i), merged)
              || scoresLinkTo(rows.get(i), merged)
              || (holdsThrough(rows.get(i), merged) && scoresLinkTo(rows.get(i), old.person()))) {
            out.computeIfAbsent(i, r -> new LinkedHashSet<>()).add(merged);
          }
        }
      }
      return out;
    }

    /**
     * Whether the row's demographics score a LINK against a record of {@code merged} itself (its
     * profile entries: the records linked to it before the merge), as when it bridged them.
     */
    private boolean scoresLinkTo(PseudonymisedRow row, PersonId merged) {
      if (index == null || row.demographics() == null) {
        return false;
      }
      long family = CandidateIndex.familyId(row.family());
      for (CandidateIndex.Entry e : entries(CandidateIndex.profileKey(merged))) {
        if (e.sealed().length == 0) {
          continue;
        }
        boolean sameFamily = family != 0 && family == e.family();
        if (scorer.score(row.demographics(), opened(e), sameFamily).decision()
            == MatchScore.Decision.LINK) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether the row holds a strong identifier held through {@code merged} (its holder is {@code
     * merged} or was merged into it) and one held through the person {@code merged} is part of.
     */
    private boolean holdsBoth(PseudonymisedRow row, PersonId merged) {
      boolean through = false;
      boolean beside = false;
      for (IdentityKey key : row.strongKeys()) {
        PersonId holder = owner.get(key);
        if (holder == null) {
          continue;
        }
        if (passesThrough(holder, merged)) {
          through = true;
        } else if (survivor(holder).equals(survivor(merged))) {
          beside = true;
        }
      }
      return through && beside;
    }

    /**
     * Whether the row holds a strong identifier held through {@code merged}: with a link by score
     * to the person it is part of, the evidence of a bridge from an identifier ({@link
     * #bridgeFromIdentifier}).
     */
    private boolean holdsThrough(PseudonymisedRow row, PersonId merged) {
      for (IdentityKey key : row.strongKeys()) {
        PersonId holder = owner.get(key);
        if (holder != null && passesThrough(holder, merged)) {
          return true;
        }
      }
      return false;
    }

    private boolean passesThrough(PersonId from, PersonId target) {
      PersonId current = from;
      for (int i = 0; i < PersonResolution.MAX_MERGE_CHAIN && current != null; i++) {
        if (current.equals(target)) {
          return true;
        }
        PersonEntry entry = persons.get(current);
        current = entry == null ? null : entry.mergedInto();
      }
      return false;
    }

    /** Pending reviews of pairs this attempt's bridges merge: resolved after the merges. */
    private final Set<String> bridgedReviews = new LinkedHashSet<>();

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
      if (index != null) {
        loadCandidates(rows, toFetch);
      }
      // Follow merge chains so every key resolves to an active survivor.
      fetchPersons(toFetch);
      // A key whose person has expired or vanished cannot link.
      owner.values().removeIf(id -> !persons.containsKey(id));
      if (index != null) {
        corroborated = HouseholdEvidence.corroborated(householdMatches(rows));
        movedHouseholds(rows)
            .forEach(
                (row, moved) ->
                    corroborated.computeIfAbsent(row, r -> new HashSet<>()).addAll(moved));
        // after the household evidence, so that evidence reads what it read before this batching
        ensureLoaded(bridgeBlockKeys(rows));
      }
    }

    /**
     * The blocking keys of rows a stored person's identifier places whose record that person's own
     * profile does not hold: {@link #bridgeFromIdentifier} ranks them, so they are read in the
     * chunk's lookup rather than one round trip a row.
     */
    private List<String> bridgeBlockKeys(List<PseudonymisedRow> rows) {
      Set<String> keys = new LinkedHashSet<>();
      for (PseudonymisedRow row : rows) {
        Demographics d = row.demographics();
        if (d == null) {
          continue;
        }
        for (IdentityKey key : row.strongKeys()) {
          PersonId holder = owner.get(key);
          if (holder != null) {
            if (ownRecords(survivor(holder), d) != null) {
              keys.addAll(row.blockKeys());
            }
            break;
          }
        }
      }
      return new ArrayList<>(keys);
    }

    /**
     * The entries in {@code person}'s own profile, or null when one of them is {@code d} word for
     * word (that record was ranked when it arrived) or there are none (nothing to compare with).
     */
    private List<CandidateIndex.Entry> ownRecords(PersonId person, Demographics d) {
      List<CandidateIndex.Entry> own = new ArrayList<>();
      for (CandidateIndex.Entry e : entries(CandidateIndex.profileKey(person))) {
        if (e.sealed().length == 0 || !survivor(e.person()).equals(person)) {
          continue;
        }
        if (opened(e).equals(d)) {
          return null;
        }
        own.add(e);
      }
      return own.isEmpty() ? null : own;
    }

    /**
     * Across files ({@link HouseholdEvidence#movedWith}): for each row, the stored persons it
     * matches but for where they live whose former household is already known at the row's postcode
     * (someone seen with them elsewhere has been seen here too), or whose family is: someone a
     * partner recorded under the same family or household reference as them is seen at the row's
     * postcode (Early Help has a father at his own flat and his children at their mother's; the
     * police record him at the children's home). And the other way round, within this chunk: a row
     * whose own family or household reference is on another row at a postcode where the matched
     * person was seen (Early Help's record of a child at another address, her parents' rows at the
     * home where the school has her).
     */
    private Map<Integer, Set<PersonId>> movedHouseholds(List<PseudonymisedRow> rows) {
      Map<Integer, Map<PersonId, Set<Long>>> elsewhere = new HashMap<>();
      Set<Long> units = new HashSet<>();
      // where this chunk's rows put each family or household reference
      Map<Long, Set<Long>> familyUnits = new HashMap<>();
      for (PseudonymisedRow row : rows) {
        long family = CandidateIndex.familyId(row.family());
        if (family != 0 && row.demographics() != null && row.demographics().hasPostcode()) {
          familyUnits
              .computeIfAbsent(family, f -> new HashSet<>())
              .add(row.demographics().postcodeUnit());
        }
      }
      // a reference spread over many places is no household (a partner's placeholder, say)
      familyUnits.values().removeIf(at -> at.size() > MAX_FAMILY_PLACES);
      for (int i = 0; i < rows.size(); i++) {
        Demographics d = rows.get(i).demographics();
        if (d == null || !d.hasPostcode()) {
          continue;
        }
        Map<PersonId, Set<Long>> places = placesMatched(rows.get(i), true);
        if (!places.isEmpty()) {
          elsewhere.put(i, places);
          units.add(d.postcodeUnit());
          places.values().forEach(units::addAll);
        }
      }
      if (elsewhere.isEmpty()) {
        return Map.of();
      }
      List<String> keys = new ArrayList<>();
      units.forEach(u -> keys.add(CandidateIndex.placeKey(u)));
      ensureLoaded(keys);
      Map<Long, Map<PersonId, Set<Long>>> seenAt = new HashMap<>();
      for (long unit : units) {
        Map<PersonId, Set<Long>> there = new HashMap<>();
        for (CandidateIndex.Entry e : entries(CandidateIndex.placeKey(unit))) {
          if (persons.containsKey(e.person())) {
            there.computeIfAbsent(survivor(e.person()), p -> new HashSet<>()).add(e.family());
          }
        }
        seenAt.put(unit, there);
      }
      Map<Integer, Set<PersonId>> out = new HashMap<>();
      // rows whose match no former co-resident seen here corroborates: perhaps a namesake of one
      // is seen here (that member's own record here was kept apart as "elsewhere" too)
      Map<Integer, Map<PersonId, Set<PersonId>>> pending = new HashMap<>();
      // rows whose match's family (its records' family references) may be seen here
      Map<Integer, Map<PersonId, Set<Long>>> families = new HashMap<>();
      Set<String> profiles = new HashSet<>();
      elsewhere.forEach(
          (i, places) -> {
            long here = rows.get(i).demographics().postcodeUnit();
            Set<Long> familyHomes =
                familyUnits.getOrDefault(CandidateIndex.familyId(rows.get(i).family()), Set.of());
            places.forEach(
                (person, at) -> {
                  if (familyLivesWhere(familyHomes, at, here)
                      || HouseholdEvidence.movedWith(person, at, here, seenAt)) {
                    out.computeIfAbsent(i, k -> new HashSet<>()).add(person);
                    return;
                  }
                  Set<PersonId> formerHousehold =
                      HouseholdEvidence.coResidents(person, at, here, seenAt);
                  Set<PersonId> hereNow = new HashSet<>(seenAt.get(here).keySet());
                  hereNow.remove(person);
                  Set<Long> referenced = familiesMatched(rows.get(i), person);
                  if (!referenced.isEmpty() && !hereNow.isEmpty()) {
                    families.computeIfAbsent(i, k -> new HashMap<>()).put(person, referenced);
                    hereNow.forEach(h -> profiles.add(CandidateIndex.profileKey(h)));
                  }
                  if (!formerHousehold.isEmpty() && !hereNow.isEmpty()) {
                    pending.computeIfAbsent(i, k -> new HashMap<>()).put(person, formerHousehold);
                    formerHousehold.forEach(c -> profiles.add(CandidateIndex.profileKey(c)));
                    hereNow.forEach(h -> profiles.add(CandidateIndex.profileKey(h)));
                  }
                });
          });
      if (pending.isEmpty() && families.isEmpty()) {
        return out;
      }
      ensureLoaded(new ArrayList<>(profiles));
      families.forEach(
          (i, byPerson) -> {
            long here = rows.get(i).demographics().postcodeUnit();
            byPerson.forEach(
                (person, referenced) -> {
                  for (PersonId seenHere : seenAt.get(here).keySet()) {
                    if (!seenHere.equals(person) && inFamily(seenHere, referenced)) {
                      out.computeIfAbsent(i, k -> new HashSet<>()).add(person);
                      return;
                    }
                  }
                });
          });
      pending.forEach(
          (i, byPerson) -> {
            long here = rows.get(i).demographics().postcodeUnit();
            byPerson.forEach(
                (person, formerHousehold) -> {
                  for (PersonId seenHere : seenAt.get(here).keySet()) {
                    if (seenHere.equals(person) || formerHousehold.contains(seenHere)) {
                      continue;
                    }
                    for (PersonId member : formerHousehold) {
                      MatchScore pair = sameButForPlace(seenHere, member);
                      if (pair != null && !keptApart(seenHere, member)) {
                        out.computeIfAbsent(i, k -> new HashSet<>()).add(person);
                        movedMembers
                            .computeIfAbsent(i, k -> new HashMap<>())
                            .put(person, new MovedMember(seenHere, member, pair));
                        return;
                      }
                    }
                  }
                });
          });
      return out;
    }

    /**
     * Postcode units one family or household reference may span in a chunk and still say where the
     * family lives: a child can be at two parents' and a grandparent's.
     */
    private static final int MAX_FAMILY_PLACES = 3;

    /**
     * Whether the row's family is in this chunk at a unit other than the row's where it was seen.
     */
    private static boolean familyLivesWhere(Set<Long> familyHomes, Set<Long> seenAt, long here) {
      for (long unit : seenAt) {
        if (unit != here && familyHomes.contains(unit)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The family and household references (as {@link CandidateIndex#familyId}) of {@code person}'s
     * records among the row's candidates.
     */
    private Set<Long> familiesMatched(PseudonymisedRow row, PersonId person) {
      Set<Long> out = new HashSet<>();
      for (String key : row.blockKeys()) {
        for (CandidateIndex.Entry e : entries(key)) {
          if (e.family() != 0
              && persons.containsKey(e.person())
              && survivor(e.person()).equals(person)) {
            out.add(e.family());
          }
        }
      }
      return out;
    }

    /** Whether one of {@code person}'s own records has one of these family references. */
    private boolean inFamily(PersonId person, Set<Long> referenced) {
      for (CandidateIndex.Entry e : entries(CandidateIndex.profileKey(person))) {
        if (e.family() != 0 && referenced.contains(e.family())) {
          return true;
        }
      }
      return false;
    }

    /**
     * The stored persons the row's names and birth date match as one family would (a link but for
     * where they live), with the postcode units each was seen at; {@code onlyElsewhere}: only
     * records at another unit that would not link without that lift.
     */
    private Map<PersonId, Set<Long>> placesMatched(PseudonymisedRow row, boolean onlyElsewhere) {
      Demographics d = row.demographics();
      Map<PersonId, Set<Long>> places = new HashMap<>();
      for (String key : row.blockKeys()) {
        for (CandidateIndex.Entry e : entries(key)) {
          if (!persons.containsKey(e.person())) {
            continue;
          }
          Demographics seen = opened(e);
          if (seen.hasPostcode()
              && (!onlyElsewhere || seen.postcodeUnit() != d.postcodeUnit())
              && scorer.score(d, seen, true).decision() == MatchScore.Decision.LINK
              && (!onlyElsewhere
                  || scorer.score(d, seen, false).decision() != MatchScore.Decision.LINK)) {
            places
                .computeIfAbsent(survivor(e.person()), k -> new HashSet<>())
                .add(seen.postcodeUnit());
          }
        }
      }
      return places;
    }

    /**
     * Whether two persons' own records match but for where they live (a link only as one family),
     * never twins: the same test as a row's match.
     */
    private MatchScore sameButForPlace(PersonId a, PersonId b) {
      MatchScore best = null;
      for (CandidateIndex.Entry x : entries(CandidateIndex.profileKey(a))) {
        for (CandidateIndex.Entry y : entries(CandidateIndex.profileKey(b))) {
          Demographics dx = opened(x);
          Demographics dy = opened(y);
          if (dx.hasPostcode()
              && dy.hasPostcode()
              && dx.postcodeUnit() != dy.postcodeUnit()
              && !PersonResolution.strongDisagree(x.strongIds(), y.strongIds())
              && scorer.score(dx, dy, false).decision() != MatchScore.Decision.LINK) {
            MatchScore asOneFamily = scorer.score(dx, dy, true);
            if (asOneFamily.decision() == MatchScore.Decision.LINK
                && (best == null || asOneFamily.weight() > best.weight())) {
              best = asOneFamily;
            }
          }
        }
      }
      return best;
    }

    /**
     * A member of a household that moved, seen at the new place ({@code here}, kept apart there as
     * "same name elsewhere") and matching {@code formerly}, a member of the household's former
     * dwelling: what corroborated a row's link to another member.
     */
    private record MovedMember(PersonId here, PersonId formerly, MatchScore pair) {}

    /** By row, for each person a row's link to was corroborated that way, the moved member. */
    private final Map<Integer, Map<PersonId, MovedMember>> movedMembers = new HashMap<>();

    /**
     * The row linked to a person only thanks to a moved member seen here: the same evidence says
     * that member's record here is the former member, so they merge (as a tier-3 bridge, unless the
     * pair was kept apart on review).
     */
    private void mergeMovedMember(int rowAt, PersonId chosen, MatchScore rowScore) {
      MovedMember moved = movedMembers.getOrDefault(rowAt, Map.of()).get(chosen);
      if (moved == null) {
        return;
      }
      PersonId a = survivor(moved.here());
      PersonId b = survivor(moved.formerly());
      if (a.equals(b) || pending.containsKey(a) || pending.containsKey(b)) {
        return;
      }
      if (keptApart(a, b)) {
        bridgesRefused++;
        return;
      }
      Optional<LinkReview> review = review(a, b);
      if (review.isPresent() && review.get().isPending()) {
        bridgedReviews.add(review.get().id());
      }
      PersonId survivor = persons.get(a).outranks(persons.get(b)) ? a : b;
      PersonId loser = survivor.equals(a) ? b : a;
      redirect.put(loser, survivor);
      planBridge(
          survivor,
          loser,
          new MergeRecord.ProbabilisticBridge(
              rowScore.weight(),
              moved.pair().weight(),
              moved.pair().weight(),
              moved.pair().breakdown(),
              moved.pair().modelVersion(),
              true));
    }

    /** A tier-3 merge (a bridge) of {@code loser} into {@code survivor}, written with the chunk. */
    private void planBridge(
        PersonId survivor, PersonId loser, MergeRecord.ProbabilisticBridge evidence) {
      plannedMerges.put(loser, new MergeRecordDraft(survivor, loser, null, evidence));
      bridgingMerges++;
    }

    /**
     * For each row, its households in this chunk (postcode unit, family reference), the stored
     * persons its names and birth date match (a link but for where they live) and the postcode
     * units each was seen at; a row alone in every household it names is skipped (nothing can
     * corroborate it).
     */
    private List<HouseholdEvidence.RowMatches> householdMatches(List<PseudonymisedRow> rows) {
      Map<String, Integer> members = new HashMap<>();
      List<Set<String>> households = new ArrayList<>(rows.size());
      for (PseudonymisedRow row : rows) {
        Set<String> of = new HashSet<>(2);
        if (row.demographics() != null && row.demographics().hasPostcode()) {
          of.add("P" + row.demographics().postcodeUnit());
        }
        long family = CandidateIndex.familyId(row.family());
        if (family != 0) {
          of.add("F" + family);
        }
        of.forEach(h -> members.merge(h, 1, Integer::sum));
        households.add(of);
      }
      List<HouseholdEvidence.RowMatches> out = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        PseudonymisedRow row = rows.get(i);
        Demographics d = row.demographics();
        Set<String> of = households.get(i);
        of.removeIf(h -> members.get(h) < 2); // alone in it: nothing can corroborate
        if (d == null || of.isEmpty()) {
          out.add(HouseholdEvidence.RowMatches.NONE);
          continue;
        }
        Map<PersonId, Set<Long>> places = placesMatched(row, false);
        out.add(
            new HouseholdEvidence.RowMatches(d.hasPostcode() ? d.postcodeUnit() : 0, of, places));
      }
      return out;
    }

    /** Tier 3: the stored persons each row's household corroborates ({@link HouseholdEvidence}). */
    private Map<Integer, Set<PersonId>> corroborated = Map.of();

    /**
     * Reads the profiles of persons named by the rows' strong keys (to corroborate them), and the
     * blocking keys of rows no strong key places; their persons join {@code toFetch}.
     */
    private void loadCandidates(List<PseudonymisedRow> rows, Set<PersonId> toFetch) {
      Set<String> lookups = new LinkedHashSet<>();
      for (PseudonymisedRow row : rows) {
        if (row.demographics() == null) {
          continue;
        }
        boolean placed = false;
        for (IdentityKey key : row.strongKeys()) {
          PersonId p = owner.get(key);
          if (p != null) {
            lookups.add(CandidateIndex.profileKey(p));
            placed = true;
          }
        }
        if (!placed) {
          lookups.addAll(row.blockKeys());
        }
      }
      lookup(lookups, toFetch);
    }

    private final Set<String> looked = new HashSet<>();

    private void lookup(Set<String> keys, Set<PersonId> toFetch) {
      keys.removeAll(looked);
      if (keys.isEmpty()) {
        return;
      }
      looked.addAll(keys);
      for (Map.Entry<String, CandidateIndex.Block> e :
          index.lookup(keys, PersonResolution.BLOCK_CAP, now).entrySet()) {
        if (e.getValue().capped()) {
          cappedKeys.add(e.getKey());
          continue;
        }
        // entries this attempt filed already under the key stay after the stored ones
        List<CandidateIndex.Entry> list = new ArrayList<>(e.getValue().entries());
        list.addAll(entriesByKey.getOrDefault(e.getKey(), List.of()));
        entriesByKey.put(e.getKey(), list);
        for (CandidateIndex.Entry entry : e.getValue().entries()) {
          if (!persons.containsKey(entry.person())) {
            toFetch.add(entry.person());
          }
        }
      }
    }

    /** Looks up keys not read yet (a row whose strong key was not trusted) and their persons. */
    private void ensureLoaded(List<String> keys) {
      Set<PersonId> toFetch = new HashSet<>();
      lookup(new LinkedHashSet<>(keys), toFetch);
      fetchPersons(toFetch);
    }

    private void fetchPersons(Set<PersonId> first) {
      PersonResolution.readChains(first, ids -> store.getPersons(ids, now), persons);
    }

    /**
     * Index entries this attempt files, pointing at survivors; none under a key read as capped (it
     * stays capped, so they would never be read).
     */
    List<CandidateIndex.Entry> indexEntries() {
      List<CandidateIndex.Entry> out = new ArrayList<>(newEntries.size());
      for (CandidateIndex.Entry e : newEntries) {
        if (cappedKeys.contains(e.key())) {
          continue;
        }
        out.add(
            new CandidateIndex.Entry(
                e.key(), survivor(e.person()), e.sealed(), e.strongIds(), e.family()));
      }
      return out;
    }

    /** Opened encodings, by entry (each stored entry is opened once per attempt). */
    private final Map<CandidateIndex.Entry, Demographics> opened = new HashMap<>();

    private Demographics opened(CandidateIndex.Entry e) {
      return opened.computeIfAbsent(e, x -> seal.open(x.sealed()));
    }

    private List<CandidateIndex.Entry> entries(String key) {
      return entriesByKey.getOrDefault(key, List.of());
    }

    /** Tier 3: the best-scoring candidate that links, or null. */
    private PersonId linkByScore(PseudonymisedRow row, int rowAt) {
      ensureLoaded(row.blockKeys());
      PersonResolution.Ranking ranking =
          PersonResolution.rank(row, view, scorer, corroborated.getOrDefault(rowAt, Set.of()));
      PersonId chosen = ranking.chosen();
      if (chosen != null) {
        probabilisticLinks++;
        explanations.put(rowAt, ranking.best().get(chosen));
        if (ranking.liftedByHousehold().contains(chosen)) {
          householdLinks.add(rowAt);
          mergeMovedMember(rowAt, chosen, ranking.best().get(chosen));
        }
        if (ranking.links().size() > 1) {
          chosen = bridge(row, rowAt, ranking.links(), ranking.best(), false);
        }
      } else if (ranking.possible() != null) {
        possibleLinks++;
        possibles.put(rowAt, new Possible(ranking.possible(), ranking.possibleScore()));
      }
      return chosen;
    }

    /**
     * A row its strong identifier placed with {@code held} that also links by score to other
     * persons (the same person seen by an agency using another identifier, or none): merges them as
     * a tier-3 bridge when compatible ({@link #BRIDGE_RULE}). A record the person already holds
     * word for word is not looked at again: whoever it links to, that record linked to first.
     */
    private PersonId bridgeFromIdentifier(PseudonymisedRow row, int rowAt, PersonId held) {
      PersonId person = survivor(held);
      Demographics d = row.demographics();
      List<CandidateIndex.Entry> own = ownRecords(person, d);
      if (own == null) {
        return person;
      }
      // read already in the chunk's lookup unless the person was created or merged this attempt
      ensureLoaded(row.blockKeys());
      PersonResolution.Ranking ranking =
          PersonResolution.rank(row, view, scorer, corroborated.getOrDefault(rowAt, Set.of()));
      List<PersonId> links = new ArrayList<>();
      links.add(person);
      for (PersonId other : ranking.links()) {
        if (!other.equals(person)) {
          links.add(other);
        }
      }
      if (links.size() == 1) {
        return person;
      }
      Map<PersonId, MatchScore> scores = new HashMap<>(ranking.best());
      long family = CandidateIndex.familyId(row.family());
      MatchScore toHeld = null;
      for (CandidateIndex.Entry e : own) {
        MatchScore s = scorer.score(d, opened(e), family != 0 && family == e.family());
        if (toHeld == null || s.weight() > toHeld.weight()) {
          toHeld = s;
        }
      }
      MatchScore ranked = scores.get(person);
      if (ranked == null || ranked.weight() < toHeld.weight()) {
        scores.put(person, toHeld);
      }
      return bridge(row, rowAt, links, scores, true);
    }

    /**
     * The row links to every person in {@code links} (strongest first): merges the first with each
     * other that is compatible with all already joined ({@link #BRIDGE_RULE}); returns the
     * survivor. {@code byIdentifier}: the first of {@code links} holds the row's strong identifier,
     * so the row itself is evidence that it is one person with whoever it links to by score (two
     * persons' records at different places with the same names and birth date are not then kept
     * apart by that alone).
     */
    private PersonId bridge(
        PseudonymisedRow row,
        int rowAt,
        List<PersonId> links,
        Map<PersonId, MatchScore> rowScores,
        boolean byIdentifier) {
      List<PersonId> group = new ArrayList<>();
      group.add(links.get(0));
      Map<Set<PersonId>, MatchScore> pairs = new HashMap<>();
      for (PersonId candidate : links.subList(1, links.size())) {
        Map<Set<PersonId>, MatchScore> found = new HashMap<>();
        for (PersonId member : group) {
          MatchScore pair =
              compatible(
                  row, member, candidate, rowScores, byIdentifier && member.equals(links.get(0)));
          if (pair == null) {
            found = null;
            break;
          }
          found.put(Set.of(member, candidate), pair);
        }
        if (found == null) {
          bridgesRefused++;
          continue;
        }
        pairs.putAll(found);
        group.add(candidate);
      }
      if (group.size() == 1) {
        return group.get(0);
      }
      for (int i = 0; i < group.size(); i++) {
        for (int j = i + 1; j < group.size(); j++) {
          Optional<LinkReview> review = review(group.get(i), group.get(j));
          if (review.isPresent() && review.get().isPending()) {
            bridgedReviews.add(review.get().id());
          }
        }
      }
      PersonId survivor = null;
      for (PersonId id : group) {
        if (survivor == null || persons.get(id).outranks(persons.get(survivor))) {
          survivor = id;
        }
      }
      for (PersonId loser : group) {
        if (loser.equals(survivor)) {
          continue;
        }
        redirect.put(loser, survivor);
        if (pending.remove(loser) == null) {
          MatchScore toLoser = rowScores.get(loser);
          planBridge(
              survivor,
              loser,
              new MergeRecord.ProbabilisticBridge(
                  rowScores.get(survivor).weight(),
                  toLoser.weight(),
                  pairs.get(Set.of(survivor, loser)).weight(),
                  toLoser.breakdown(),
                  toLoser.modelVersion()));
          bridgedByRow.computeIfAbsent(rowAt, r -> new LinkedHashSet<>()).add(loser);
        }
      }
      return survivor;
    }

    /**
     * The best score of two persons' own records against each other when a row that links to both
     * may bridge them ({@link #BRIDGE_RULE}); null when it may not.
     */
    private MatchScore compatible(
        PseudonymisedRow row,
        PersonId a,
        PersonId b,
        Map<PersonId, MatchScore> rowScores,
        boolean byIdentifier) {
      List<CandidateIndex.Entry> ofA = entriesOf(a, row);
      List<CandidateIndex.Entry> ofB = entriesOf(b, row);
      if (ofA.isEmpty() || ofB.isEmpty()) {
        return null; // nothing to compare: no evidence they are one
      }
      Demographics d = row.demographics();
      // Records of one person whose names were swapped or half-typed can look like twins to each
      // other; the row settles it only when its given name is the same as both persons' (exactly,
      // in either name order), which twins' records never are.
      boolean givenExactToBoth =
          rowScores.get(a).level(Field.GIVEN_NAME) == Level.EXACT
              && rowScores.get(b).level(Field.GIVEN_NAME) == Level.EXACT;
      MatchScore bestPair = null;
      for (CandidateIndex.Entry x : ofA) {
        for (CandidateIndex.Entry y : ofB) {
          if (PersonResolution.strongDisagree(x.strongIds(), y.strongIds())) {
            return null;
          }
          boolean sameFamily = x.family() != 0 && x.family() == y.family();
          MatchScore s = scorer.score(opened(x), opened(y), sameFamily);
          if (s.level(Field.GIVEN_NAME) == Level.DIFFERENT && !givenExactToBoth) {
            return null; // the twins rule
          }
          if (s.level(Field.DATE_OF_BIRTH) == Level.DIFFERENT
              && s.level(Field.FAMILY_NAME) == Level.DIFFERENT) {
            return null; // a contradiction, as for a strong identifier
          }
          for (Field f : Field.values()) {
            if (disagrees(f, s.level(f)) && !has(d, f)) {
              return null; // they differ where the row says nothing
            }
          }
          if (bestPair == null || s.weight() > bestPair.weight()) {
            bestPair = s;
          }
        }
      }
      if (bestPair.decision() == MatchScore.Decision.NO_LINK) {
        return null;
      }
      if (!byIdentifier
          && bestPair.decision() == MatchScore.Decision.POSSIBLE
          && bestPair.weight() >= scorer.model().linkThreshold()) {
        return null; // same names and birth date elsewhere: the rule holds between them too
      }
      if (keptApart(a, b)) {
        return null;
      }
      return bestPair;
    }

    /** Whether the data team decided on review that the two persons are different people. */
    private boolean keptApart(PersonId a, PersonId b) {
      Optional<LinkReview> review = review(a, b);
      return review.isPresent() && review.get().keepsApart();
    }

    /** The review of a pair of persons, read once per attempt; empty for a person new here. */
    private Optional<LinkReview> review(PersonId a, PersonId b) {
      if (reviews == null || pending.containsKey(a) || pending.containsKey(b)) {
        return Optional.empty();
      }
      return reviewsRead.computeIfAbsent(LinkReview.idOf(a, b), id -> reviews.review(id, now));
    }

    /**
     * A person's own records: its profile entries (and those of persons known to be merged into
     * it), or when none could be read, the entries the row's blocking keys found for it; each set
     * of demographics once.
     */
    private List<CandidateIndex.Entry> entriesOf(PersonId person, PseudonymisedRow row) {
      List<String> profiles = new ArrayList<>();
      for (PersonId id : new ArrayList<>(persons.keySet())) {
        if (survivor(id).equals(person)) {
          profiles.add(CandidateIndex.profileKey(id));
        }
      }
      ensureLoaded(profiles);
      Map<ByteBuffer, CandidateIndex.Entry> out = new LinkedHashMap<>();
      collect(profiles, person, out);
      if (out.isEmpty()) {
        collect(row.blockKeys(), person, out);
      }
      return new ArrayList<>(out.values());
    }

    private void collect(
        List<String> keys, PersonId person, Map<ByteBuffer, CandidateIndex.Entry> out) {
      for (String key : keys) {
        for (CandidateIndex.Entry e : entries(key)) {
          if (persons.containsKey(e.person()) && survivor(e.person()).equals(person)) {
            out.putIfAbsent(ByteBuffer.wrap(e.sealed()), e);
          }
        }
      }
    }

    /** Files the row's demographics under its blocking keys and its person's profile key. */
    private void file(PseudonymisedRow row, PersonId person, Set<IdentityKey> conflicted) {
      if (index == null || row.demographics() == null) {
        return;
      }
      List<IdentityKey> trusted = new ArrayList<>(row.strongKeys());
      trusted.removeAll(conflicted);
      long[] ids = new long[trusted.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = CandidateIndex.strongId(trusted.get(i));
      }
      long family = CandidateIndex.familyId(row.family());
      String profile = CandidateIndex.profileKey(person);
      // A record the person already has, word for word (same encodings, identifiers and family),
      // adds nothing to score against: its entries are not filed again. When the person's own
      // profile holds it, the earlier record filed the same block keys and place too (they follow
      // from the values). When only the block keys are seen to hold it, the earlier record may
      // have been filed under a person merged into this one since, so the profile entry is filed
      // (the person's own profile is what bridges and households compare).
      long[] sortedIds = ids.clone();
      Arrays.sort(sortedIds);
      boolean seenWhole = holdsAlready(profile, person, row.demographics(), sortedIds, family);
      Set<String> held = new HashSet<>();
      if (!seenWhole) {
        for (String key : row.blockKeys()) {
          if (holdsAlready(key, person, row.demographics(), sortedIds, family)) {
            held.add(key);
          }
        }
      }
      boolean blocksHeld =
          seenWhole || (!row.blockKeys().isEmpty() && held.containsAll(row.blockKeys()));
      List<String> keys = new ArrayList<>(row.blockKeys());
      keys.add(profile);
      byte[] sealed = null;
      for (String key : keys) {
        if (seenWhole || held.contains(key)) {
          entriesSkipped++;
          continue;
        }
        if (sealed == null) {
          sealed = seal.seal(row.demographics());
        }
        CandidateIndex.Entry e = new CandidateIndex.Entry(key, person, sealed, ids, family);
        opened.put(e, row.demographics());
        newEntries.add(e);
        entriesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
      }
      if (row.demographics().hasPostcode()) {
        // who was seen where, for households that move ({@link #movedHouseholds}); one entry per
        // person, place and dwelling, without encodings: nothing to score, only a person to find
        CandidateIndex.Entry place =
            new CandidateIndex.Entry(
                CandidateIndex.placeKey(row.demographics().postcodeUnit()),
                person,
                CandidateIndex.NO_ENCODINGS,
                new long[0],
                dwelling(row));
        if (blocksHeld || placeKnown(place)) {
          entriesSkipped++;
          return;
        }
        newEntries.add(place);
        entriesByKey.computeIfAbsent(place.key(), k -> new ArrayList<>()).add(place);
      }
    }

    /** Entries not filed because the person already had them (ADR 0143 addendum). */
    private long entriesSkipped;

    /**
     * Whether {@code key}, as read or filed by this attempt, already holds an entry of this person
     * (or one merged into it) with these demographics, strong identifiers ({@code sortedIds},
     * ascending) and family.
     */
    private boolean holdsAlready(
        String key, PersonId person, Demographics d, long[] sortedIds, long family) {
      List<CandidateIndex.Entry> held = entries(key);
      if (held.isEmpty()) {
        return false;
      }
      PersonId who = survivor(person);
      for (CandidateIndex.Entry e : held) {
        if (e.family() != family
            || e.sealed().length == 0
            || e.strongIds().length != sortedIds.length
            || !survivor(e.person()).equals(who)) {
          continue;
        }
        long[] theirs = e.strongIds().clone();
        Arrays.sort(theirs);
        if (Arrays.equals(theirs, sortedIds) && opened(e).equals(d)) {
          return true;
        }
      }
      return false;
    }

    /** Whether the person was seen in this dwelling at this place already (as read or filed). */
    private boolean placeKnown(CandidateIndex.Entry place) {
      PersonId who = survivor(place.person());
      for (CandidateIndex.Entry e : entries(place.key())) {
        if (e.family() == place.family() && survivor(e.person()).equals(who)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Which dwelling at its postcode unit a row names: its address line's keyed token, else its
     * family or household reference, else 0 (unknown: a postcode unit holds several households).
     */
    private long dwelling(PseudonymisedRow row) {
      long address = row.demographics().addressFull();
      return address != 0 ? address : CandidateIndex.familyId(row.family());
    }

    /** What this attempt has read and planned, as {@link PersonResolution} sees it. */
    private final PersonResolution.View view =
        new PersonResolution.View(owner, ambiguous, persons, redirect, entriesByKey, this::opened);

    PersonId survivor(PersonId id) {
      return view.survivor(id);
    }

    PersonId resolve(PseudonymisedRow row) {
      int rowAt = rowIndex++;
      PersonResolution.StrongMatch strong =
          PersonResolution.strong(row, view, index == null ? null : scorer);
      Set<PersonId> strongPersons = strong.persons();
      Set<IdentityKey> conflicted = strong.conflicted();
      identifierConflicts += conflicted.size();
      PersonId person;
      if (strongPersons.size() > 1) {
        person = mergeAll(strongPersons, strong.bridgedBy().kind(), rowAt);
      } else if (strongPersons.size() == 1) {
        person = strongPersons.iterator().next();
        if (index != null && row.demographics() != null) {
          person = bridgeFromIdentifier(row, rowAt, person);
        }
      } else {
        person = PersonResolution.composite(row, view, index != null);
        if (person == null && index != null && row.demographics() != null) {
          person = linkByScore(row, rowAt);
        }
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
        if (!conflicted.contains(key)) {
          claimIfFree(key, person);
        }
      }
      file(row, person, conflicted);
      for (IdentityKey key : row.compositeKeys()) {
        PersonId holder = owner.get(key);
        if (holder == null) {
          claimIfFree(key, person);
        } else if (!survivor(holder).equals(person) && ambiguous.add(key)) {
          newlyAmbiguous.add(key);
        }
      }
      placed.put(rowAt, person);
      return person;
    }

    private void claimIfFree(IdentityKey key, PersonId person) {
      if (!owner.containsKey(key)) {
        owner.put(key, person);
        plannedClaims.put(key, person);
      }
    }

    private PersonId mergeAll(Set<PersonId> candidates, LinkKeyKind bridgedBy, int rowAt) {
      PersonId best = null;
      for (PersonId id : candidates) {
        if (best == null || persons.get(id).outranks(persons.get(best))) {
          best = id;
        }
      }
      for (PersonId loser : candidates) {
        if (!loser.equals(best)) {
          if (keptApart(loser, best)) {
            // the data team split them (or kept them apart): a row with both identifiers, the
            // same row sent again included, does not join them again (ADR 0146)
            bridgesRefused++;
            continue;
          }
          redirect.put(loser, best);
          if (pending.remove(loser) == null) {
            plannedMerges.put(loser, new MergeRecordDraft(best, loser, bridgedBy, null));
            bridgedByRow.computeIfAbsent(rowAt, r -> new LinkedHashSet<>()).add(loser);
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
        PersonId survivor = survivor(draft.survivor);
        result.add(
            draft.probabilistic == null
                ? new MergeRecord(survivor, draft.merged, draft.bridgedBy, fileId, now)
                : MergeRecord.bridge(survivor, draft.merged, fileId, now, draft.probabilistic));
      }
      return result;
    }
  }

  /** A row's best possible candidate and its score. */
  private record Possible(PersonId candidate, MatchScore score) {}

  private record MergeRecordDraft(
      PersonId survivor,
      PersonId merged,
      LinkKeyKind bridgedBy,
      MergeRecord.ProbabilisticBridge probabilistic) {}

  /** A level at which two records disagree on a field (a postcode also in another sector). */
  private static boolean disagrees(Field field, Level level) {
    return level == Level.DIFFERENT || (field == Field.POSTCODE && level == Level.DISTRICT);
  }

  /** Whether the row has the field at all. */
  private static boolean has(Demographics d, Field field) {
    return switch (field) {
      case GIVEN_NAME -> d.hasGiven();
      case FAMILY_NAME -> d.hasFamily();
      case DATE_OF_BIRTH -> d.hasDob();
      case POSTCODE -> d.hasPostcode();
      case ADDRESS_LINE -> d.hasAddress();
    };
  }

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
