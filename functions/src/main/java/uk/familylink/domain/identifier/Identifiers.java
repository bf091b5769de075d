package uk.familylink.domain.identifier;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * Validation and normalisation of identifiers (DESIGN.md section 4), normalisation version v1. A
 * changed normalisation is a new token label, never a silent change of tokens.
 *
 * <h2>Normalisation v1 (a contract)</h2>
 *
 * <p>Tokens are HMAC-SHA256 over the kind and the <em>normalised</em> value, so two records link
 * only if their values normalise to the same string. Every rule below is therefore part of the
 * token contract: changing any of them (even "fixing" one) changes tokens, and must ship as a new
 * normalisation version with a new token label (e.g. {@code familylink/v2/token}), never as an edit
 * to v1.
 *
 * <p>General rules, all kinds: a null kind or value gives null; the result is null whenever the
 * value is not a valid identifier of the kind; nothing ever throws for bad input; the value never
 * appears in an exception or log. "Whitespace" means {@link Character#isWhitespace} plus the
 * no-break spaces U+00A0, U+2007 and U+202F. Leading and trailing whitespace is ignored for every
 * kind. "Upper-casing" affects ASCII letters only (names excepted, see below); any other non-ASCII
 * character makes a non-name value invalid.
 *
 * <table>
 * <caption>Per-kind rules</caption>
 * <tr><th>Kind</th><th>Accepted input</th><th>Normalised form</th></tr>
 * <tr><td>NHS_NUMBER</td><td>10 digits, optionally separated by spaces or hyphens
 *   ("943 476 5919"). Modulus 11: weights 10..2 on digits 1-9, check = 11 - (sum mod 11), 11
 *   gives 0, 10 is invalid. The ten repeated-digit numbers (0000000000, 1111111111, ...) pass the
 *   check digit but are placeholders, not people, and are rejected so they cannot link
 *   strangers.</td><td>10 digits</td></tr>
 * <tr><td>NINO</td><td>Case and whitespace free: 2 letters, 6 digits, suffix A-D. Neither prefix
 *   letter in D, F, I, Q, U, V; second letter not O; prefixes BG, GB, KN, NK, NT, TN, ZZ not
 *   allocated; administrative prefixes {@link #NINO_ADMINISTRATIVE_PREFIXES} (HMRC National
 *   Insurance Manual NIM39110: OO tax credits, CR investigations, FY attendance allowance, MW
 *   migrant workers 1980-87, NC stakeholder pension dummies, PP pension scheme dummies, PY and PZ
 *   tax-only accounts) and temporary numbers (TN prefix, no longer issued) are not NINOs.
 *   The suffix is kept.</td><td>e.g. AB123456C</td></tr>
 * <tr><td>UPN</td><td>13 characters, case free: check letter, 3-digit LA, 4-digit
 *   establishment, 2-digit year, 3-digit serial; a temporary UPN has a letter as its 13th
 *   character. Alphabet {@value #UPN_ALPHABET} (A..Z without I, O, S; A=0). Check letter =
 *   alphabet[(sum of weight i x value of character i, i = 2..13) mod 23], digits by value and a
 *   trailing letter by its alphabet index.</td><td>13 characters, upper case</td></tr>
 * <tr><td>ULN</td><td>10 digits, first not 0; sum of digit x weight (10..1) mod 11 must be 10.
 *   </td><td>10 digits</td></tr>
 * <tr><td>POSTCODE</td><td>Case free; outward and inward code separated by one run of whitespace
 *   or by none ("hr12ab", "HR1   2AB"). The upper-cased "OUTWARD INWARD" form must match the
 *   government bulk-data transfer expression, anchored as a whole (the published one anchors only
 *   its first and last alternatives): {@value #POSTCODE_REGEX}. Forces post: "BFPO" then 1-4
 *   digits (optionally separated by whitespace), leading zeros dropped, BFPO 0 invalid.
 *   </td><td>"HR1 2AB", "GIR 0AA", "BFPO 123"</td></tr>
 * <tr><td>PNC_ID</td><td>YYYY/N...NA or YY/N...NA with a 1-7 digit serial, check letter case
 *   free; a four-digit year must be 19xx or 20xx. Check letter =
 *   {@value #PNC_ALPHABET}[(YY followed by the 7-digit zero-padded serial, as one integer) mod
 *   23].</td><td>YY/NNNNNNNA (serial zero-padded to 7)</td></tr>
 * <tr><td>GIVEN_NAME, FAMILY_NAME</td><td>Any text. Unicode NFKD; letters that NFKD does not
 *   decompose are folded (ß→SS, Æ→AE, Œ→OE, Ø→O, Ł→L, Đ/Ð→D, Þ→TH, ı→I, Ħ→H); upper case
 *   (Locale.ROOT); everything that is not A-Z (diacritics, spaces, hyphens, apostrophes, digits,
 *   other scripts) is dropped. "O'Brien-Smith" → OBRIENSMITH, "  José " → JOSE. Invalid if
 *   empty or longer than {@value #MAX_NAME_LENGTH} characters after this.</td><td>A-Z only</td></tr>
 * <tr><td>DATE_OF_BIRTH</td><td>{@link Dates#parse}: yyyy-MM-dd, dd/MM/yyyy or d/M/yyyy; real
 *   dates in 1900..2100 only.</td><td>yyyy-MM-dd</td></tr>
 * <tr><td>ADDRESS_LINE</td><td>Any text (house number or name and street). NFKD and the name
 *   folds, upper case, apostrophes dropped; other non A-Z/0-9 characters and digit/letter changes
 *   separate words; common abbreviations written out (RD→ROAD, ST→STREET, AVE→AVENUE, ...).
 *   Invalid if no word remains or longer than {@value #MAX_ADDRESS_LENGTH}.</td>
 *   <td>"12 A HIGH STREET"</td></tr>
 * <tr><td>FAMILY_REF, HOUSEHOLD_REF, RECORD_REF</td><td>Trimmed, ASCII letters upper-cased,
 *   internal whitespace runs collapsed to one space; only A-Z, 0-9, '-', '/', '_', '.' and space
 *   allowed; 1-{@value #MAX_REF_LENGTH} characters after this.</td><td>e.g. "EH-2024/0001"</td></tr>
 * </table>
 *
 * <p>The code avoids regular expressions and needless allocation: normalisation runs once per
 * identifier on the ingest hot path (target: 500k rows a second per core with four identifiers a
 * row). The postcode expression above is the specification; a test checks the hand-written matcher
 * against it.
 */
public final class Identifiers {

  public static final String NORMALISATION_VERSION = "v1";

  /**
   * Check-letter alphabet of UPNs (A..Z without I, O and S), also the value of a temporary UPN's
   * last letter.
   */
  public static final String UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ";

  /** Check-letter alphabet of PNC IDs, indexed by the remainder mod 23. */
  public static final String PNC_ALPHABET = "ZABCDEFGHJKLMNPQRTUVWXY";

  /** Prefixes HMRC and DWP use for NINO-like administrative references (NIM39110). */
  public static final List<String> NINO_ADMINISTRATIVE_PREFIXES =
      List.of("OO", "CR", "FY", "MW", "NC", "PP", "PY", "PZ");

  /** Prefixes never allocated (NIM39110); TN was also the temporary-number prefix. */
  public static final List<String> NINO_UNALLOCATED_PREFIXES =
      List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");

  /**
   * The government bulk-data transfer postcode expression, upper case, mandatory single space,
   * anchored as a whole. Documentation and test oracle only; {@link #normalise} matches by hand.
   */
  public static final String POSTCODE_REGEX =
      "^(?:GIR 0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]"
          + "|[A-Z][A-HJ-Y][0-9][A-Z]?) [0-9][A-Z]{2})$";

  public static final int MAX_NAME_LENGTH = 100;
  public static final int MAX_REF_LENGTH = 64;
  public static final int MAX_ADDRESS_LENGTH = 120;

  /**
   * Street-type and other common address abbreviations, each written out in full by {@code
   * ADDRESS_LINE} normalisation (pairs: abbreviation, full word). Part of normalisation v1.
   */
  private static final java.util.Map<String, String> ADDRESS_WORDS =
      java.util.Map.ofEntries(
          java.util.Map.entry("RD", "ROAD"),
          java.util.Map.entry("ST", "STREET"),
          java.util.Map.entry("STR", "STREET"),
          java.util.Map.entry("AVE", "AVENUE"),
          java.util.Map.entry("AV", "AVENUE"),
          java.util.Map.entry("DR", "DRIVE"),
          java.util.Map.entry("LN", "LANE"),
          java.util.Map.entry("CRES", "CRESCENT"),
          java.util.Map.entry("CRESC", "CRESCENT"),
          java.util.Map.entry("CL", "CLOSE"),
          java.util.Map.entry("CT", "COURT"),
          java.util.Map.entry("PL", "PLACE"),
          java.util.Map.entry("SQ", "SQUARE"),
          java.util.Map.entry("TCE", "TERRACE"),
          java.util.Map.entry("TER", "TERRACE"),
          java.util.Map.entry("GDNS", "GARDENS"),
          java.util.Map.entry("GRN", "GREEN"),
          java.util.Map.entry("GRO", "GROVE"),
          java.util.Map.entry("GR", "GROVE"),
          java.util.Map.entry("HWY", "HIGHWAY"),
          java.util.Map.entry("PDE", "PARADE"),
          java.util.Map.entry("BLVD", "BOULEVARD"),
          java.util.Map.entry("PK", "PARK"),
          java.util.Map.entry("MT", "MOUNT"),
          java.util.Map.entry("CIRC", "CIRCUIT"),
          java.util.Map.entry("CCT", "CIRCUIT"),
          java.util.Map.entry("ESP", "ESPLANADE"),
          java.util.Map.entry("FLT", "FLAT"),
          java.util.Map.entry("APT", "APARTMENT"));

  /** Letters NFKD leaves whole: folded to their usual Latin transliteration before upper-casing. */
  private static final String FOLD_FROM = "ßẞÆæŒœØøŁłĐđÐðÞþıĦħ";

  private static final String[] FOLD_TO = {
    "SS", "SS", "AE", "AE", "OE", "OE", "O", "O", "L", "L", "D", "D", "D", "D", "TH", "TH", "I",
    "H", "H"
  };

  /** 2^k-bit sets of NINO letters banned in the first / second prefix position. */
  private static final int NINO_BANNED_FIRST = letters("DFIQUV");

  private static final int NINO_BANNED_SECOND = letters("DFIQUVO");

  private Identifiers() {}

  /**
   * The normalised form of {@code raw} as an identifier of {@code kind}, or null when it is not a
   * valid identifier of that kind. Never throws for bad input; never echoes the value.
   */
  public static String normalise(IdentifierKind kind, String raw) {
    try {
      return normaliseUnguarded(kind, raw);
    } catch (RuntimeException unexpected) {
      // Belt and braces for "never throws": a bug here must reject the value, not leak it
      // through an exception message or stop the file.
      return null;
    }
  }

  /** {@link #normalise} without the catch-all, so tests can see any exception a bug raises. */
  static String normaliseUnguarded(IdentifierKind kind, String raw) {
    if (kind == null || raw == null) {
      return null;
    }
    return switch (kind) {
      case NHS_NUMBER -> nhsNumber(raw);
      case NINO -> nino(raw);
      case UPN -> upn(raw);
      case ULN -> uln(raw);
      case PNC_ID -> pncId(raw);
      case GIVEN_NAME, FAMILY_NAME -> name(raw);
      case DATE_OF_BIRTH -> Dates.isoText(raw);
      case POSTCODE -> postcode(raw);
      case ADDRESS_LINE -> addressLine(raw);
      case FAMILY_REF, HOUSEHOLD_REF, RECORD_REF -> reference(raw);
    };
  }

  /** True for whitespace as defined by normalisation v1. */
  static boolean isSpace(char c) {
    if (c == ' ') {
      return true;
    }
    if (c > ' ' && c < 0x7F) {
      return false;
    }
    return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F';
  }

  // ---------------------------------------------------------------- strong identifiers

  private static String nhsNumber(String raw) {
    int len = raw.length();
    char[] digits = new char[10];
    int n = 0;
    boolean plain = true; // input is exactly the normalised form: reuse it
    for (int i = 0; i < len; i++) {
      char c = raw.charAt(i);
      if (c >= '0' && c <= '9') {
        if (n == 10) {
          return null;
        }
        digits[n++] = c;
      } else if (c == '-' || isSpace(c)) {
        plain = false;
      } else {
        return null;
      }
    }
    if (n != 10 || !nhsCheckDigitValid(digits)) {
      return null;
    }
    boolean repeated = true;
    for (int i = 1; i < 10 && repeated; i++) {
      repeated = digits[i] == digits[0];
    }
    if (repeated) {
      return null;
    }
    return plain ? raw : new String(digits);
  }

  private static boolean nhsCheckDigitValid(char[] d) {
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (d[i] - '0') * (10 - i);
    }
    int check = 11 - sum % 11;
    if (check == 11) {
      check = 0;
    }
    return check != 10 && check == d[9] - '0';
  }

  private static String nino(String raw) {
    char[] v = new char[9];
    int n = 0;
    for (int i = 0, len = raw.length(); i < len; i++) {
      char c = raw.charAt(i);
      if (isSpace(c)) {
        continue;
      }
      if (n == 9) {
        return null;
      }
      v[n++] = upper(c);
    }
    if (n != 9) {
      return null;
    }
    char a = v[0];
    char b = v[1];
    if (!isUpperLetter(a) || !isUpperLetter(b)) {
      return null;
    }
    for (int i = 2; i < 8; i++) {
      if (!isDigit(v[i])) {
        return null;
      }
    }
    if (v[8] < 'A' || v[8] > 'D') {
      return null;
    }
    if ((NINO_BANNED_FIRST & bit(a)) != 0 || (NINO_BANNED_SECOND & bit(b)) != 0) {
      return null;
    }
    if (isListedPrefix(NINO_UNALLOCATED_PREFIXES, a, b)
        || isListedPrefix(NINO_ADMINISTRATIVE_PREFIXES, a, b)) {
      return null;
    }
    return new String(v);
  }

  private static boolean isListedPrefix(List<String> prefixes, char a, char b) {
    for (int i = 0, size = prefixes.size(); i < size; i++) {
      String p = prefixes.get(i);
      if (p.charAt(0) == a && p.charAt(1) == b) {
        return true;
      }
    }
    return false;
  }

  private static String upn(String raw) {
    int start = trimStart(raw);
    int end = trimEnd(raw, start);
    if (end - start != 13) {
      return null;
    }
    char[] v = new char[13];
    boolean same = start == 0 && end == raw.length();
    for (int i = 0; i < 13; i++) {
      char c = raw.charAt(start + i);
      char u = upper(c);
      same &= u == c;
      v[i] = u;
    }
    int checkIndex = UPN_ALPHABET.indexOf(v[0]);
    if (checkIndex < 0) {
      return null;
    }
    int sum = 0;
    for (int i = 1; i < 12; i++) {
      if (!isDigit(v[i])) {
        return null;
      }
      sum += (v[i] - '0') * (i + 1);
    }
    int last;
    if (isDigit(v[12])) {
      last = v[12] - '0';
    } else {
      last = UPN_ALPHABET.indexOf(v[12]); // temporary UPN
      if (last < 0) {
        return null;
      }
    }
    sum += last * 13;
    if (sum % 23 != checkIndex) {
      return null;
    }
    return same ? raw : new String(v);
  }

  private static String uln(String raw) {
    int start = trimStart(raw);
    int end = trimEnd(raw, start);
    if (end - start != 10 || raw.charAt(start) == '0') {
      return null;
    }
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      char c = raw.charAt(start + i);
      if (!isDigit(c)) {
        return null;
      }
      sum += (c - '0') * (10 - i);
    }
    if (sum % 11 != 10) {
      return null;
    }
    return start == 0 && end == raw.length() ? raw : raw.substring(start, end);
  }

  private static String pncId(String raw) {
    int start = trimStart(raw);
    int end = trimEnd(raw, start);
    int slash = raw.indexOf('/', start);
    if (slash < 0 || slash >= end) {
      return null;
    }
    int yearLen = slash - start;
    int year;
    if (yearLen == 2) {
      year = digitsValue(raw, start, 2);
    } else if (yearLen == 4) {
      int century = digitsValue(raw, start, 2);
      if (century != 19 && century != 20) {
        return null;
      }
      year = digitsValue(raw, start + 2, 2);
    } else {
      return null;
    }
    int serialLen = end - 1 - (slash + 1);
    if (year < 0 || serialLen < 1 || serialLen > 7) {
      return null;
    }
    int serial = digitsValue(raw, slash + 1, serialLen);
    char check = upper(raw.charAt(end - 1));
    if (serial < 0 || check != pncCheckLetter(year, serial)) {
      return null;
    }
    char[] v = new char[11];
    v[0] = (char) ('0' + year / 10);
    v[1] = (char) ('0' + year % 10);
    v[2] = '/';
    for (int i = 9, s = serial; i >= 3; i--, s /= 10) {
      v[i] = (char) ('0' + s % 10);
    }
    v[10] = check;
    return new String(v);
  }

  /** PNC check letter for a two-digit year and a serial below 10^7. */
  static char pncCheckLetter(int twoDigitYear, int serial) {
    long number = twoDigitYear * 10_000_000L + serial;
    return PNC_ALPHABET.charAt((int) (number % 23));
  }

  // ---------------------------------------------------------------- postcode

  private static String postcode(String raw) {
    int start = trimStart(raw);
    int end = trimEnd(raw, start);
    if (end - start > 40) { // cheap bound: no valid form with one whitespace run is this long
      return null;
    }
    char[] v = new char[8];
    int n = 0;
    int gapAt = -1; // number of characters before the single internal whitespace run
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (isSpace(c)) {
        if (gapAt < 0) {
          gapAt = n;
        } else if (gapAt != n) {
          return null; // a second whitespace run
        }
        continue;
      }
      if (n == 8) {
        return null;
      }
      c = upper(c);
      if (!isUpperLetter(c) && !isDigit(c)) {
        return null;
      }
      v[n++] = c;
    }
    if (n >= 5 && v[0] == 'B' && v[1] == 'F' && v[2] == 'P' && v[3] == 'O') {
      return bfpo(v, n, gapAt);
    }
    if (n < 5 || n > 7 || (gapAt >= 0 && gapAt != n - 3)) {
      return null;
    }
    // inward code: digit, letter, letter
    if (!isDigit(v[n - 3]) || !isUpperLetter(v[n - 2]) || !isUpperLetter(v[n - 1])) {
      return null;
    }
    if (!validOutward(v, n - 3)) {
      return null;
    }
    char[] out = new char[n + 1];
    System.arraycopy(v, 0, out, 0, n - 3);
    out[n - 3] = ' ';
    System.arraycopy(v, n - 3, out, n - 2, 3);
    return new String(out);
  }

  /** The outward alternatives of {@link #POSTCODE_REGEX}, GIR being only valid with 0AA. */
  private static boolean validOutward(char[] v, int len) {
    if (len == 3 && v[0] == 'G' && v[1] == 'I' && v[2] == 'R') {
      return v[3] == '0' && v[4] == 'A' && v[5] == 'A';
    }
    if (len < 2 || !isUpperLetter(v[0])) {
      return false;
    }
    char b = v[1];
    return switch (len) {
      case 2 -> isDigit(b); // A9
      case 3 -> // A99, AA9, A9A
          (isDigit(b) && (isDigit(v[2]) || isUpperLetter(v[2])))
              || (isPostcodeSecondLetter(b) && isDigit(v[2]));
      case 4 -> // AA99, AA9A
          isPostcodeSecondLetter(b) && isDigit(v[2]) && (isDigit(v[3]) || isUpperLetter(v[3]));
      default -> false;
    };
  }

  private static boolean isPostcodeSecondLetter(char c) {
    return c >= 'A' && c <= 'Y' && c != 'I';
  }

  private static String bfpo(char[] v, int n, int gapAt) {
    if (gapAt >= 0 && gapAt != 4) {
      return null;
    }
    int digits = n - 4;
    if (digits < 1 || digits > 4) {
      return null;
    }
    int number = 0;
    for (int i = 4; i < n; i++) {
      if (!isDigit(v[i])) {
        return null;
      }
      number = number * 10 + (v[i] - '0');
    }
    return number == 0 ? null : "BFPO " + number;
  }

  // ---------------------------------------------------------------- names and references

  private static String name(String raw) {
    int len = raw.length();
    // Fast path: pure ASCII needs neither NFKD nor folding; a name already in upper case is reused.
    byte[] out = null;
    int count = 0;
    boolean same = true;
    for (int i = 0; i < len; i++) {
      char c = raw.charAt(i);
      if (c >= 0x80) {
        return nameSlow(raw);
      }
      char u = upper(c);
      if (isUpperLetter(u)) {
        if (++count > MAX_NAME_LENGTH) {
          return null;
        }
        if (out == null) {
          out = new byte[Math.min(len, MAX_NAME_LENGTH)];
        }
        out[count - 1] = (byte) u;
        same &= u == c;
      } else {
        same = false;
      }
    }
    if (out == null) {
      return null;
    }
    return same ? raw : new String(out, 0, count, StandardCharsets.ISO_8859_1);
  }

  private static String nameSlow(String raw) {
    String decomposed = Normalizer.normalize(raw, Normalizer.Form.NFKD);
    StringBuilder folded = new StringBuilder(decomposed.length());
    for (int i = 0, len = decomposed.length(); i < len; i++) {
      char c = decomposed.charAt(i);
      int fold = FOLD_FROM.indexOf(c);
      if (fold >= 0) {
        folded.append(FOLD_TO[fold]);
      } else {
        folded.append(c);
      }
    }
    String upper = folded.toString().toUpperCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(Math.min(upper.length(), MAX_NAME_LENGTH + 1));
    for (int i = 0, len = upper.length(); i < len; i++) {
      char c = upper.charAt(i);
      if (isUpperLetter(c)) {
        if (out.length() == MAX_NAME_LENGTH) {
          return null;
        }
        out.append(c);
      }
    }
    return out.length() == 0 ? null : out.toString();
  }

  /**
   * ADDRESS_LINE: NFKD and the name folds, upper case; apostrophes dropped ("St John's" → JOHNS);
   * every other character that is not A-Z or 0-9 separates words, and so does a change between
   * digits and letters ("12a" → "12 A", "7wallaby" → "7 WALLABY"); each word in {@link
   * #ADDRESS_WORDS} written out (RD → ROAD, ST → STREET, ...); words joined by one space. Invalid
   * when no word remains or the result is longer than {@value #MAX_ADDRESS_LENGTH} characters.
   */
  private static String addressLine(String raw) {
    String decomposed = Normalizer.normalize(raw, Normalizer.Form.NFKD);
    StringBuilder folded = new StringBuilder(decomposed.length());
    for (int i = 0, len = decomposed.length(); i < len; i++) {
      char c = decomposed.charAt(i);
      int fold = FOLD_FROM.indexOf(c);
      folded.append(fold >= 0 ? FOLD_TO[fold] : String.valueOf(c));
    }
    String upper = folded.toString().toUpperCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(Math.min(upper.length(), MAX_ADDRESS_LENGTH + 1));
    StringBuilder word = new StringBuilder(16);
    int wordKind = 0; // 0 none, 1 letters, 2 digits
    for (int i = 0, len = upper.length(); i <= len; i++) {
      char c = i < len ? upper.charAt(i) : ' ';
      if (c == '\''
          || c == '\u2019'
          || c == '`'
          || Character.getType(c) == Character.NON_SPACING_MARK) {
        continue;
      }
      int kind = isUpperLetter(c) ? 1 : isDigit(c) ? 2 : 0;
      if (kind != wordKind && word.length() > 0) {
        String w = word.toString();
        if (out.length() > 0) {
          out.append(' ');
        }
        out.append(ADDRESS_WORDS.getOrDefault(w, w));
        if (out.length() > MAX_ADDRESS_LENGTH) {
          return null;
        }
        word.setLength(0);
      }
      wordKind = kind;
      if (kind != 0) {
        word.append(c);
      }
    }
    return out.length() == 0 ? null : out.toString();
  }

  private static String reference(String raw) {
    int start = trimStart(raw);
    int end = trimEnd(raw, start);
    if (start == end) {
      return null;
    }
    if (isNormalReference(raw, start, end)) {
      return start == 0 && end == raw.length() ? raw : raw.substring(start, end);
    }
    StringBuilder out = new StringBuilder(Math.min(end - start, MAX_REF_LENGTH + 1));
    boolean pendingSpace = false;
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (isSpace(c)) {
        pendingSpace = true;
        continue;
      }
      c = upper(c);
      if (!isUpperLetter(c) && !isDigit(c) && c != '-' && c != '/' && c != '_' && c != '.') {
        return null;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      if (out.length() >= MAX_REF_LENGTH) {
        return null;
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * True when raw[start, end) is already its own normal form (the usual case): at most {@link
   * #MAX_REF_LENGTH} upper-case letters, digits and {@code - / _ .}, with no whitespace.
   */
  private static boolean isNormalReference(String raw, int start, int end) {
    if (end - start > MAX_REF_LENGTH) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (!isUpperLetter(c) && !isDigit(c) && c != '-' && c != '/' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- helpers

  private static int trimStart(String s) {
    int i = 0;
    int len = s.length();
    while (i < len && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int trimEnd(String s, int start) {
    int end = s.length();
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** Value of {@code count} ASCII digits at {@code at}, or -1 if any is not a digit. */
  private static int digitsValue(String s, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static char upper(char c) {
    return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
  }

  private static boolean isUpperLetter(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int bit(char upperLetter) {
    return 1 << (upperLetter - 'A');
  }

  private static int letters(String s) {
    int set = 0;
    for (int i = 0; i < s.length(); i++) {
      set |= bit(s.charAt(i));
    }
    return set;
  }
}
