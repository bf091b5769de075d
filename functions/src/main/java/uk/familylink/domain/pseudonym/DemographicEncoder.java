package uk.familylink.domain.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import uk.familylink.domain.linkage.Demographics;
import uk.familylink.domain.linkage.MatchModel;

/**
 * Keyed comparison encodings and blocking keys of a record's normalised demographics (tier 3),
 * under the bloom working key ({@link #BLOOM_LABEL}). See docs/adr/0140 for what they leak and
 * which attacks they resist.
 *
 * <ul>
 *   <li>Names: a Bloom filter of the padded letter bigrams, 512 bits with {@value #HASHES} keyed
 *       positions per bigram (HMAC-SHA256 of a label and the bigram: random hashing, not double
 *       hashing); plus keyed 64-bit tokens of the nickname groups and Double Metaphone codes. Given
 *       and family names share the Bloom label, and a family name's codes are tokens under the
 *       given name's label as well as its own, so names written in the other order can be compared
 *       crossed.
 *   <li>Given name, when it has 4 characters or more: keyed tokens of itself and of each name one
 *       swap of two adjacent characters makes of it (a transposed typo).
 *   <li>Date of birth: keyed tokens of year, month, day, the whole date, the day/month-swapped date
 *       and the next year.
 *   <li>Postcode: keyed tokens of district, sector and unit.
 *   <li>Address line: a Bloom filter (its own label) of the street part's bigrams, keyed tokens of
 *       the house number, the street part and the whole line.
 *   <li>Blocking keys: keyed tokens of six combinations (family-name code + birth year, family-name
 *       code + birth month and day, given-name group or code + birth year, given-name group or code
 *       + birth month and day, the two name codes in either order, postcode sector + birth
 *       year-month), each found by key in the store. Every pair of the four parts (given name,
 *       family name, birth year, birth month-day) is a key, so a record that keeps any two of them
 *       intact shares a key with its other records, whatever happened to the rest. With an address
 *       line, house number + the street's first four letters (B9).
 * </ul>
 *
 * <p>Not thread-safe (one {@link Mac}); one per ingest.
 */
public final class DemographicEncoder {

  /** KMS derivation label of the bloom working key. */
  public static final String BLOOM_LABEL = "familylink/v1/bloom";

  static final int HASHES = 12;
  private static final int RAW_BITS = 512;
  private static final int CACHE = 20_000;

  private final Mac mac;
  private final NameVariants variants = new NameVariants();
  private final Map<String, long[]> bloomCache = lru();
  private final Map<String, Long> tokenCache = lruLong();

  public DemographicEncoder(byte[] bloomKey) {
    if (bloomKey == null || bloomKey.length != 32) {
      throw new IllegalArgumentException("bloom working key must be 32 bytes");
    }
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bloomKey, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /** What a record yields for tier 3: its encodings and its blocking keys. */
  public record Encoded(Demographics demographics, List<String> blockKeys) {}

  /**
   * The encodings and blocking keys of one record's normalised demographics.
   *
   * @param given normalised given name or null
   * @param family normalised family name or null
   * @param dob ISO date of birth or null
   * @param postcode normalised postcode ("HR1 2AB") or null
   */
  public Encoded encode(String given, String family, String dob, String postcode) {
    return encode(given, family, dob, postcode, null);
  }

  /**
   * The encodings and blocking keys of one record's normalised demographics, with its address line.
   *
   * @param address normalised address line ({@code Identifiers}, ADDRESS_LINE: "12 HIGH STREET") or
   *     null
   */
  public Encoded encode(String given, String family, String dob, String postcode, String address) {
    long[] gb = given == null ? null : bloom("N", given);
    long[] fb = family == null ? null : bloom("N", family);
    String gCode = given == null ? null : variants.phonetic(given);
    String fCode = family == null ? null : variants.phonetic(family);
    long[] gv = given == null ? new long[0] : givenVariants(given, gCode);
    long[] fv =
        family == null
            ? new long[0]
            : distinct(
                List.of(
                    token("FV", fCode),
                    token("FV", variants.phoneticAlternate(family)),
                    // the codes again under the given name's label, so that a family name
                    // written in the given name's place still compares as a phonetic variant
                    // ("MASON MADELINE" and "MADELINE MASNO"); FV alone never meets NV
                    token("NV", fCode),
                    token("NV", variants.phoneticAlternate(family))));
    long year = 0;
    long month = 0;
    long day = 0;
    long full = 0;
    long swapped = 0;
    long next = 0;
    if (dob != null && dob.length() == 10) {
      String y = dob.substring(0, 4);
      String m = dob.substring(5, 7);
      String d = dob.substring(8, 10);
      year = token("DY", y);
      month = token("DM", m);
      day = token("DD", d);
      full = token("DF", dob);
      int dd = Integer.parseInt(d);
      int mm = Integer.parseInt(m);
      if (dd <= 12 && dd != mm && validDate(Integer.parseInt(y), dd, mm)) {
        swapped = token("DF", y + "-" + d + "-" + m);
      }
      next = token("DY", String.valueOf(Integer.parseInt(y) + 1));
    }
    long district = 0;
    long sector = 0;
    long unit = 0;
    if (postcode != null) {
      int space = postcode.indexOf(' ');
      if (space > 0 && space + 1 < postcode.length()) {
        district = token("PD", postcode.substring(0, space));
        sector = token("PS", postcode.substring(0, space + 2));
        unit = token("PU", postcode);
      }
    }
    long[] ab = null;
    long aNumber = 0;
    long aStreet = 0;
    long aFull = 0;
    String number = null;
    String street = null;
    if (address != null) {
      StringBuilder n = new StringBuilder();
      StringBuilder st = new StringBuilder();
      int start = 0;
      while (start < address.length()) {
        int end = address.indexOf(' ', start);
        end = end < 0 ? address.length() : end;
        String word = address.substring(start, end);
        if (!word.isEmpty() && Character.isDigit(word.charAt(0))) {
          n.append(n.length() == 0 ? "" : " ").append(word);
        } else {
          st.append(word);
        }
        start = end + 1;
      }
      number = n.length() == 0 ? null : n.toString();
      street = st.length() == 0 ? null : st.toString();
      if (street != null) { // a number alone is no address line
        aFull = token("AF", address);
        aNumber = number == null ? 0 : token("AN", number);
        aStreet = token("AS", street);
        ab = bloom("A", street);
      }
    }
    Demographics demographics =
        new Demographics(
            gb,
            fb,
            gv,
            fv,
            year,
            month,
            day,
            full,
            swapped,
            next,
            district,
            sector,
            unit,
            ab,
            aNumber,
            aStreet,
            aFull,
            given == null ? null : transpositions(given));
    List<String> blocks = new ArrayList<>(8);
    if (number != null && street != null) {
      // house number + the street's first letters: finds a person at the same address whatever
      // happened to their names and date of birth (a typo late in the street name still agrees)
      blocks.add(block("B9", number, street.substring(0, Math.min(4, street.length()))));
    }
    String gKey = given == null ? null : givenBlockKey(given, gCode);
    if (fCode != null && dob != null) {
      blocks.add(block("B1", fCode, dob.substring(0, 4)));
      blocks.add(block("B5", fCode, dob.substring(5)));
    }
    if (gKey != null && dob != null) {
      // given name with each half of the date of birth, as the family name has (B1, B5): any
      // two of given name, family name, birth year and birth month-day left intact share a key
      blocks.add(block("B6", gKey, dob.substring(0, 4)));
      blocks.add(block("B7", gKey, dob.substring(5)));
    }
    if (dob != null) {
      blocks.add(block("B8", dob, "")); // both names changed (or missing), the date intact
    }
    if (postcode != null && dob != null && sector != 0) {
      blocks.add(
          block("B3", postcode.substring(0, postcode.indexOf(' ') + 2), dob.substring(0, 7)));
    }
    if (gCode != null && fCode != null) {
      boolean ordered = gCode.compareTo(fCode) <= 0;
      blocks.add(block("B4", ordered ? gCode : fCode, ordered ? fCode : gCode));
    }
    return new Encoded(demographics, blocks);
  }

  /** The nickname group when the name has one (so Bill and William block together), else code. */
  private static String givenBlockKey(String given, String code) {
    List<String> groups = NameVariants.nicknameGroups(given);
    return groups.isEmpty() ? code : groups.get(0);
  }

  /**
   * The name's token and then those of each name one swap of two adjacent characters makes of it
   * ({@link Demographics#givenTranspositions}); none for a short name.
   */
  private long[] transpositions(String given) {
    if (given.length() < Demographics.TRANSPOSED_MIN_LENGTH) {
      return null;
    }
    List<Long> tokens = new ArrayList<>(given.length());
    tokens.add(token("GT", given));
    char[] c = given.toCharArray();
    for (int i = 0; i + 1 < c.length; i++) {
      if (c[i] == c[i + 1]) {
        continue;
      }
      char t = c[i];
      c[i] = c[i + 1];
      c[i + 1] = t;
      tokens.add(token("GT", new String(c)));
      c[i + 1] = c[i];
      c[i] = t;
    }
    return distinct(tokens);
  }

  private long[] givenVariants(String given, String code) {
    List<Long> tokens = new ArrayList<>();
    tokens.add(token("NV", code));
    tokens.add(token("NV", variants.phoneticAlternate(given)));
    for (String group : NameVariants.nicknameGroups(given)) {
      tokens.add(token("GN", group));
    }
    return distinct(tokens);
  }

  private static long[] distinct(List<Long> tokens) {
    Set<Long> set = new LinkedHashSet<>(tokens);
    long[] out = new long[set.size()];
    int i = 0;
    for (long t : set) {
      out[i++] = t;
    }
    return out;
  }

  /**
   * The fields a blocking pass (the prefix of its keys, e.g. {@code B1}) blocks on: every pair it
   * finds agrees on them, so a pair found by it says nothing about how often those fields agree.
   */
  public static Set<MatchModel.Field> fieldsBlockedBy(String pass) {
    return switch (pass) {
      case "B1", "B5" -> EnumSet.of(MatchModel.Field.FAMILY_NAME, MatchModel.Field.DATE_OF_BIRTH);
      case "B6", "B7" -> EnumSet.of(MatchModel.Field.GIVEN_NAME, MatchModel.Field.DATE_OF_BIRTH);
      case "B8" -> EnumSet.of(MatchModel.Field.DATE_OF_BIRTH);
      case "B3" -> EnumSet.of(MatchModel.Field.POSTCODE, MatchModel.Field.DATE_OF_BIRTH);
      case "B4" -> EnumSet.of(MatchModel.Field.GIVEN_NAME, MatchModel.Field.FAMILY_NAME);
      case "B9" -> EnumSet.of(MatchModel.Field.ADDRESS_LINE);
      default -> throw new IllegalArgumentException("unknown blocking pass " + pass);
    };
  }

  private String block(String pass, String a, String b) {
    byte[] digest = hmac(pass + "\u001f" + a + "\u001f" + b);
    return pass
        + ":"
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(java.util.Arrays.copyOf(digest, 12));
  }

  private long token(String label, String value) {
    String input = label + "\u001f" + value;
    Long cached = tokenCache.get(input);
    if (cached != null) {
      return cached;
    }
    byte[] d = hmac(input);
    long t = 0;
    for (int i = 0; i < 8; i++) {
      t = (t << 8) | (d[i] & 0xFF);
    }
    if (t == 0) {
      t = 1; // 0 means "not given"
    }
    tokenCache.put(input, t);
    return t;
  }

  /**
   * The Bloom filter of a name's padded bigrams under a label. Not XOR-folded: folding cancels the
   * bits two bigrams share and so destroys the containment that recognises half of a
   * double-barrelled name (measured: "SMITH" in "SMITHJONES" fell from PART to CLOSE).
   */
  long[] bloom(String field, String name) {
    String cacheKey = field + "\u001f" + name;
    long[] cached = bloomCache.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    long[] raw = new long[RAW_BITS / 64];
    String padded = "^" + name + "$";
    for (int i = 0; i + 1 < padded.length(); i++) {
      byte[] d = hmac(field + "B\u001f" + padded.substring(i, i + 2));
      for (int k = 0; k < HASHES; k++) {
        int bit = (((d[2 * k] & 0xFF) << 8) | (d[2 * k + 1] & 0xFF)) % RAW_BITS;
        raw[bit >>> 6] |= 1L << (bit & 63);
      }
    }
    bloomCache.put(cacheKey, raw);
    return raw;
  }

  private byte[] hmac(String input) {
    return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean validDate(int y, int m, int d) {
    try {
      java.time.LocalDate.of(y, m, d);
      return true;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  private static Map<String, long[]> lru() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
        return size() > CACHE;
      }
    };
  }

  private static Map<String, Long> lruLong() {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > CACHE;
      }
    };
  }
}
