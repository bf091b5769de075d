package uk.familylink.domain.validation;

/**
 * The record references already loaded from one file, for finding duplicates while streaming: an
 * open-addressing table of 64-bit hashes of the normalised reference and the row that loaded it (12
 * bytes a slot, at most 3/4 full). Lives in memory for one validation only; nothing in it is
 * reported or stored.
 *
 * <p>Two different references share a hash with probability about n²/2⁶⁵ for a file of n rows (3 ×
 * 10⁻⁶ at 10 million rows); such a row would be reported as a duplicate of the other, never
 * silently merged with it.
 */
final class ReferenceIndex {

  private long[] keys = new long[1024];
  private int[] rows = new int[1024];
  private int size;

  /**
   * Records that {@code row} loaded {@code reference} unless an earlier row did: returns that
   * earlier row, or -1 when the reference is new (and now taken by {@code row}). Rows beyond {@link
   * Integer#MAX_VALUE} are remembered as 0 (unknown).
   */
  long claim(String reference, long row) {
    long h = hash(reference);
    int mask = keys.length - 1;
    int i = (int) (h ^ (h >>> 32)) & mask;
    while (keys[i] != 0) {
      if (keys[i] == h) {
        return rows[i];
      }
      i = (i + 1) & mask;
    }
    keys[i] = h;
    rows[i] = row <= Integer.MAX_VALUE ? (int) row : 0;
    if (++size > keys.length / 4 * 3) {
      grow();
    }
    return -1;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldRows = rows;
    keys = new long[oldKeys.length * 2];
    rows = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long h = oldKeys[j];
      if (h != 0) {
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = h;
        rows[i] = oldRows[j];
      }
    }
  }

  /** FNV-1a over the characters, then MurmurHash3's 64-bit finaliser; never 0 (the empty slot). */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0, n = s.length(); i < n; i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
