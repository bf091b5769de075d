package uk.familylink.domain.linkage;

/** Running counts of what linkage did; mutable, owned by one ingest. */
public final class LinkStats {
  long rowsLinked;
  long newPersons;
  long linkedToExisting;
  long linkedByStrongKey;
  long linkedByComposite;
  long merges;
  long identitiesClaimed;
  long ambiguousComposites;
  long itemsWritten;
  long retries;
  long linksReleased;
  long probabilisticLinks;
  long possibleLinks;
  long householdLinks;
  long identifierConflicts;
  long blocksCapped;
  long reviewsQueued;
  long bridgingMerges;
  long bridgesRefused;
  long mergesSplit;
  long indexEntriesSkipped;
  long indexEntriesFiled;
  long reviewsBridged;

  /**
   * Of {@link #merges()}: merges of two stored persons by a tier-3 bridge (a row that linked to
   * both, the two compatible).
   */
  public long bridgingMerges() {
    return bridgingMerges;
  }

  /**
   * Merges a row would have made but did not: persons it linked to by tier 3 that were incompatible
   * with its best link, and persons the data team kept apart or split (ADR 0146), whether the row
   * bridged them by tier 3 or by holding both their identifiers.
   */
  public long bridgesRefused() {
    return bridgesRefused;
  }

  /**
   * Merges split because a correction withdrew their evidence: a re-sent row that had merged two
   * persons by holding both their identifiers no longer holds them (ADR 0146).
   */
  public long mergesSplit() {
    return mergesSplit;
  }

  /**
   * Candidate-index entries not filed because the person already had them: a record with the same
   * encodings, identifiers and family as one it has, under the same key.
   */
  public long indexEntriesSkipped() {
    return indexEntriesSkipped;
  }

  /** Candidate-index entries filed (before the adapter groups them into one write a key). */
  public long indexEntriesFiled() {
    return indexEntriesFiled;
  }

  /** Pending reviews resolved because a bridge merged their pair. */
  public long reviewsBridged() {
    return reviewsBridged;
  }

  /**
   * The candidate-index keys this ingest has filed under, as 64-bit hashes (open addressing, 0 for
   * an empty slot): the index is one item a key (ADR 0143), so a key filed by several chunks is one
   * item written, counted once. Eight bytes a slot; a 50,000-row file's ~400,000 keys take ~8 MB.
   */
  private long[] indexKeys = new long[1024];

  private int indexKeyCount;

  /** How many of these keys this ingest had not filed under before (and notes them). */
  long newIndexKeys(java.util.Collection<String> keys) {
    long added = 0;
    for (String key : keys) {
      if (addIndexKey(hash64(key))) {
        added++;
      }
    }
    return added;
  }

  private boolean addIndexKey(long h) {
    if (2L * (indexKeyCount + 1) > indexKeys.length) {
      long[] old = indexKeys;
      indexKeys = new long[old.length * 2];
      indexKeyCount = 0;
      for (long v : old) {
        if (v != 0) {
          insert(v);
        }
      }
    }
    return insert(h);
  }

  private boolean insert(long h) {
    int mask = indexKeys.length - 1;
    for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (indexKeys[i] == h) {
        return false;
      }
      if (indexKeys[i] == 0) {
        indexKeys[i] = h;
        indexKeyCount++;
        return true;
      }
    }
  }

  /** FNV-1a over the key's chars, never 0 (the empty slot). */
  private static long hash64(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    return h == 0 ? 1 : h;
  }

  /**
   * Possible links sent to the review queue (at most one per row; a pair already queued or decided
   * is not queued again, but is counted here when found again).
   */
  public long reviewsQueued() {
    return reviewsQueued;
  }

  /** Rows linked to an existing person by tier 3 (probabilistic comparison of keyed encodings). */
  public long probabilisticLinks() {
    return probabilisticLinks;
  }

  /**
   * Tier-3 links that were "same names and birth date elsewhere" until a household member's match
   * corroborated them ({@link HouseholdEvidence}); counted within {@link #probabilisticLinks()}.
   */
  public long householdLinks() {
    return householdLinks;
  }

  /** Rows whose best tier-3 candidate was a possible link only (kept apart; for review). */
  public long possibleLinks() {
    return possibleLinks;
  }

  /**
   * Strong identifiers not trusted because the row's demographics contradicted the person holding
   * them (no merge, no claim).
   */
  public long identifierConflicts() {
    return identifierConflicts;
  }

  /** Blocking keys skipped because too many persons share them. */
  public long blocksCapped() {
    return blocksCapped;
  }

  public long rowsLinked() {
    return rowsLinked;
  }

  public long newPersons() {
    return newPersons;
  }

  public long linkedToExisting() {
    return linkedToExisting;
  }

  /** Of {@link #linkedToExisting()}: rows linked by a strong identifier (tier 1). */
  public long linkedByStrongKey() {
    return linkedByStrongKey;
  }

  /** Of {@link #linkedToExisting()}: rows linked by name, birth date (and postcode) (tier 2). */
  public long linkedByComposite() {
    return linkedByComposite;
  }

  public long merges() {
    return merges;
  }

  public long identitiesClaimed() {
    return identitiesClaimed;
  }

  public long ambiguousComposites() {
    return ambiguousComposites;
  }

  /** Items the linker asked the store to write (persons, claims, merges, records, memberships). */
  public long itemsWritten() {
    return itemsWritten;
  }

  /**
   * Persons or memberships that corrected records stopped backing (left for the sweep to check).
   */
  public long linksReleased() {
    return linksReleased;
  }

  /** Chunks or rows re-resolved after losing a race with a concurrent ingest. */
  public long retries() {
    return retries;
  }
}
