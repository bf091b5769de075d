package uk.familylink.domain.linkage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The keyed comparison encodings of one record's demographics (tier 3): nothing here can be turned
 * back into a name, date or postcode without the bloom working key. Names are hardened Bloom
 * filters of their letter bigrams ({@link #BLOOM_LONGS} × 64 bits, keyed random hashing) plus keyed
 * 64-bit tokens of their variants (phonetic codes, the nickname group); the date of birth and the
 * postcode are keyed tokens of their parts, so each part can agree or differ on its own. A token of
 * 0 means "not given".
 *
 * @param givenBloom Bloom filter of the given name's bigrams (null when no given name)
 * @param familyBloom Bloom filter of the family name's bigrams (null when none)
 * @param givenVariants tokens of the given name's variants (may be empty)
 * @param familyVariants tokens of the family name's variants (may be empty)
 * @param dobFull token of the whole date of birth
 * @param dobSwapped token, under the whole date's label, of the date with day and month swapped (0
 *     when that is no date): equals another record's {@code dobFull} when one of them swapped them
 * @param dobYearNext token, under the year's label, of the year after: equals another record's
 *     {@code dobYear} when the years are one apart. (It orders year tokens, which reveals nothing
 *     beyond the birth year-month records keep anyway.)
 * @param addressBloom Bloom filter, under its own label, of the letters and digits of the address
 *     line's street part (the line without its house number; null when no address line)
 * @param addressNumber token of the address line's house number (0 when none)
 * @param addressStreet token of the street part (0 when none)
 * @param addressFull token of the whole normalised address line (0 when none)
 * @param givenTranspositions token, under its own label, of the given name itself and then of each
 *     name one swap of two adjacent letters makes of it (empty when the name has fewer than {@value
 *     #TRANSPOSED_MIN_LENGTH} characters or there is none): a record's first token is among
 *     another's others when their given names differ by one such swap, a typo the bigrams miss in a
 *     short name ("ATRHUR" keeps 4 of ARTHUR's 7 bigrams)
 */
@SuppressWarnings("ArrayRecordComponent") // fixed-size encodings, never mutated; equals by bytes
public record Demographics(
    long[] givenBloom,
    long[] familyBloom,
    long[] givenVariants,
    long[] familyVariants,
    long dobYear,
    long dobMonth,
    long dobDay,
    long dobFull,
    long dobSwapped,
    long dobYearNext,
    long postcodeDistrict,
    long postcodeSector,
    long postcodeUnit,
    long[] addressBloom,
    long addressNumber,
    long addressStreet,
    long addressFull,
    long[] givenTranspositions) {

  /** Longs per name Bloom filter: 512 bits. */
  public static final int BLOOM_LONGS = 8;

  /**
   * Shorter given names get no transposition tokens: two names of three letters one swap apart are
   * as often two names (KAI, KIA) as one mistyped.
   */
  public static final int TRANSPOSED_MIN_LENGTH = 4;

  /**
   * Version 3 adds the given name's transpositions, version 2 the address line; version 1 and 2
   * bytes are still read (as having none).
   */
  private static final byte VERSION = 3;

  private static final long[] NONE = new long[0];

  public Demographics {
    givenTranspositions = givenTranspositions == null ? NONE : givenTranspositions;
  }

  public boolean hasGiven() {
    return givenBloom != null;
  }

  public boolean hasFamily() {
    return familyBloom != null;
  }

  public boolean hasDob() {
    return dobYear != 0;
  }

  public boolean hasPostcode() {
    return postcodeDistrict != 0;
  }

  public boolean hasAddress() {
    return addressFull != 0;
  }

  /** Compact binary form for storage (version byte first). */
  public byte[] toBytes() {
    int n =
        1
            + 2
            + 8 * 2 * BLOOM_LONGS
            + 2
            + 8 * (givenVariants.length + familyVariants.length)
            + 8 * 9
            + 1
            + (hasAddress() ? 8 * BLOOM_LONGS + 8 * 3 : 0)
            + 1
            + 8 * givenTranspositions.length;
    ByteBuffer b = ByteBuffer.allocate(n);
    b.put(VERSION);
    b.put((byte) (hasGiven() ? 1 : 0)).put((byte) (hasFamily() ? 1 : 0));
    putBloom(b, givenBloom);
    putBloom(b, familyBloom);
    b.put((byte) givenVariants.length).put((byte) familyVariants.length);
    for (long v : givenVariants) {
      b.putLong(v);
    }
    for (long v : familyVariants) {
      b.putLong(v);
    }
    b.putLong(dobYear).putLong(dobMonth).putLong(dobDay).putLong(dobFull);
    b.putLong(dobSwapped).putLong(dobYearNext);
    b.putLong(postcodeDistrict).putLong(postcodeSector).putLong(postcodeUnit);
    b.put((byte) (hasAddress() ? 1 : 0));
    if (hasAddress()) {
      putBloom(b, addressBloom);
      b.putLong(addressNumber).putLong(addressStreet).putLong(addressFull);
    }
    b.put((byte) givenTranspositions.length);
    for (long t : givenTranspositions) {
      b.putLong(t);
    }
    return b.array();
  }

  public static Demographics fromBytes(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte version = b.get();
    if (version < 1 || version > VERSION) {
      throw new IllegalArgumentException("unknown demographics encoding version");
    }
    boolean given = b.get() == 1;
    boolean family = b.get() == 1;
    long[] gb = getBloom(b);
    long[] fb = getBloom(b);
    long[] gv = new long[b.get()];
    long[] fv = new long[b.get()];
    for (int i = 0; i < gv.length; i++) {
      gv[i] = b.getLong();
    }
    for (int i = 0; i < fv.length; i++) {
      fv[i] = b.getLong();
    }
    long[] t = new long[9];
    for (int i = 0; i < t.length; i++) {
      t[i] = b.getLong();
    }
    long[] ab = null;
    long number = 0;
    long street = 0;
    long full = 0;
    if (version >= 2 && b.get() == 1) {
      ab = getBloom(b);
      number = b.getLong();
      street = b.getLong();
      full = b.getLong();
    }
    long[] transposed = version >= 3 ? new long[b.get() & 0xFF] : NONE;
    for (int i = 0; i < transposed.length; i++) {
      transposed[i] = b.getLong();
    }
    return new Demographics(
        given ? gb : null,
        family ? fb : null,
        gv,
        fv,
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
        t[5],
        t[6],
        t[7],
        t[8],
        ab,
        number,
        street,
        full,
        transposed);
  }

  /**
   * Whether the two given names differ by one swap of two adjacent letters ({@link
   * #givenTranspositions}).
   */
  public static boolean transposed(Demographics a, Demographics b) {
    return oneSwapOf(a.givenTranspositions, b.givenTranspositions)
        || oneSwapOf(b.givenTranspositions, a.givenTranspositions);
  }

  private static boolean oneSwapOf(long[] name, long[] other) {
    if (name.length == 0) {
      return false;
    }
    for (int i = 1; i < other.length; i++) {
      if (other[i] == name[0]) {
        return true;
      }
    }
    return false;
  }

  private static void putBloom(ByteBuffer b, long[] bloom) {
    for (int i = 0; i < BLOOM_LONGS; i++) {
      b.putLong(bloom == null ? 0 : bloom[i]);
    }
  }

  private static long[] getBloom(ByteBuffer b) {
    long[] bloom = new long[BLOOM_LONGS];
    for (int i = 0; i < BLOOM_LONGS; i++) {
      bloom[i] = b.getLong();
    }
    return bloom;
  }

  /** Dice coefficient of two Bloom filters: 2|A∩B| / (|A|+|B|). */
  public static double dice(long[] a, long[] b) {
    int both = 0;
    int sum = 0;
    for (int i = 0; i < a.length; i++) {
      both += Long.bitCount(a[i] & b[i]);
      sum += Long.bitCount(a[i]) + Long.bitCount(b[i]);
    }
    return sum == 0 ? 0 : 2.0 * both / sum;
  }

  /** Overlap coefficient |A∩B| / min(|A|,|B|): near 1 when one name is contained in the other. */
  public static double overlap(long[] a, long[] b) {
    int both = 0;
    int ca = 0;
    int cb = 0;
    for (int i = 0; i < a.length; i++) {
      both += Long.bitCount(a[i] & b[i]);
      ca += Long.bitCount(a[i]);
      cb += Long.bitCount(b[i]);
    }
    int min = Math.min(ca, cb);
    return min == 0 ? 0 : (double) both / min;
  }

  /** True when the two token sets share a token. */
  public static boolean shareAny(long[] a, long[] b) {
    for (long x : a) {
      for (long y : b) {
        if (x == y && x != 0) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Demographics d && Arrays.equals(toBytes(), d.toBytes());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "Demographics[keyed encodings]";
  }
}
