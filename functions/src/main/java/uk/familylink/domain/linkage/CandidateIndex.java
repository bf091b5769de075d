package uk.familylink.domain.linkage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Port to the tier-3 candidate index: keyed blocking keys, each naming the persons (and the keyed
 * demographics they were seen with) filed under it, found by key, never by a scan. A person's own
 * entries are filed under {@link #profileKey(PersonId)}, so the demographics behind a strong
 * identifier can be checked.
 */
public interface CandidateIndex {

  /**
   * One person's demographics ({@link EncodingSeal sealed}) filed under a key, with the strong
   * identifiers and the family or household reference ({@link #familyId}, 0 for none) of the record
   * it was seen in.
   */
  @SuppressWarnings("ArrayRecordComponent") // compact binary payloads, never mutated after filing
  record Entry(String key, PersonId person, byte[] sealed, long[] strongIds, long family) {}

  /** A key's entries; {@code capped} when the key has more than the cap (too common to use). */
  record Block(List<Entry> entries, boolean capped) {}

  /** The entries under each key (absent keys have none), at most {@code cap} per key. */
  Map<String, Block> lookup(Collection<String> keys, int cap, Instant now);

  /**
   * Files entries (idempotent: the same key, person, demographics and family overwrite). A key
   * holds at most {@code cap} entries: filing that would take it past the cap stores none of that
   * key's new entries and marks the key capped, so its lookups report it capped from then on.
   */
  void add(Collection<Entry> entries, int cap, long expiresAt);

  static String profileKey(PersonId person) {
    return "P:" + person.value();
  }

  /** The payload of an entry that only names a person (a place entry: never opened or scored). */
  byte[] NO_ENCODINGS = new byte[0];

  /**
   * The key of the persons seen at one postcode unit (a keyed token), filed without encodings, so
   * households that moved can be recognised across files ({@code HouseholdEvidence#movedWith}).
   */
  static String placeKey(long postcodeUnit) {
    return "U:" + Long.toHexString(postcodeUnit);
  }

  /** A family key (already a keyed token) as a 64-bit value; 0 for none. */
  static long familyId(FamilyKey family) {
    if (family == null) {
      return 0;
    }
    long h = hash(family.kind() + "#" + family.token());
    return h == 0 ? 1 : h;
  }

  private static long hash(String t) {
    long h = 1125899906842597L;
    for (int i = 0; i < t.length(); i++) {
      h = 31 * h + t.charAt(i);
    }
    return h;
  }

  /** A strong identity key as a 64-bit value: kind in the top byte, token hash below. */
  @SuppressWarnings("EnumOrdinal") // only compared within one process's encodings of one version
  static long strongId(IdentityKey key) {
    long h = 1125899906842597L;
    String t = key.token();
    for (int i = 0; i < t.length(); i++) {
      h = 31 * h + t.charAt(i);
    }
    return ((long) key.kind().ordinal() << 56) | (h & 0x00FF_FFFF_FFFF_FFFFL);
  }
}
