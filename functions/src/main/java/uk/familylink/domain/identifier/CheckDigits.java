package uk.familylink.domain.identifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Generators of valid identifiers for synthetic test populations: each method turns a serial into
 * an identifier that {@link Identifiers#normalise} accepts (returned in normalised form), or null
 * where the scheme has no valid identifier for that serial. Never used on partner data.
 */
public final class CheckDigits {

  private static final List<String> VALID_NINO_PREFIXES = computeValidNinoPrefixes();

  private CheckDigits() {}

  /**
   * The NHS number whose first nine digits are {@code nineDigits} (0..999,999,999, zero-padded), or
   * null when that base has no check digit (remainder 10) or is a repeated-digit placeholder.
   */
  public static String nhsNumber(long nineDigits) {
    if (nineDigits < 0 || nineDigits > 999_999_999L) {
      return null;
    }
    char[] d = padded(nineDigits, 10);
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (d[i] - '0') * (10 - i);
    }
    int check = 11 - sum % 11;
    if (check == 11) {
      check = 0;
    }
    if (check == 10) {
      return null;
    }
    d[9] = (char) ('0' + check);
    String candidate = new String(d);
    return Identifiers.normalise(IdentifierKind.NHS_NUMBER, candidate) == null ? null : candidate;
  }

  /**
   * The ULN whose first nine digits are {@code nineDigits} (100,000,000..999,999,999), or null when
   * no final digit makes the weighted sum 10 mod 11.
   */
  public static String uln(long nineDigits) {
    if (nineDigits < 100_000_000L || nineDigits > 999_999_999L) {
      return null;
    }
    char[] d = padded(nineDigits, 10);
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (d[i] - '0') * (10 - i);
    }
    int check = Math.floorMod(10 - sum, 11); // weight of the last digit is 1
    if (check == 10) {
      return null;
    }
    d[9] = (char) ('0' + check);
    return new String(d);
  }

  /**
   * A permanent UPN for LA code (0..999), establishment (0..9999), two-digit year of allocation
   * (0..99) and serial (0..999); null if any is out of range.
   */
  public static String upn(int la, int establishment, int year, int serial) {
    if (la < 0
        || la > 999
        || establishment < 0
        || establishment > 9999
        || year < 0
        || year > 99
        || serial < 0
        || serial > 999) {
      return null;
    }
    char[] v = new char[13];
    write(v, 1, la, 3);
    write(v, 4, establishment, 4);
    write(v, 8, year, 2);
    write(v, 10, serial, 3);
    return withUpnCheckLetter(v);
  }

  /**
   * A temporary UPN: as {@link #upn} but with a two-digit serial (0..99) followed by {@code letter}
   * from {@link Identifiers#UPN_ALPHABET}; null if anything is out of range.
   */
  public static String temporaryUpn(int la, int establishment, int year, int serial, char letter) {
    if (la < 0
        || la > 999
        || establishment < 0
        || establishment > 9999
        || year < 0
        || year > 99
        || serial < 0
        || serial > 99
        || Identifiers.UPN_ALPHABET.indexOf(letter) < 0) {
      return null;
    }
    char[] v = new char[13];
    write(v, 1, la, 3);
    write(v, 4, establishment, 4);
    write(v, 8, year, 2);
    write(v, 10, serial, 2);
    v[12] = letter;
    return withUpnCheckLetter(v);
  }

  /**
   * A PNC ID "YY/NNNNNNNA" for a year (two or four digits; last two used) and serial 0..9,999,999.
   */
  public static String pncId(int year, int serial) {
    if (year < 0 || year > 2099 || (year > 99 && year < 1900) || serial < 0 || serial > 9_999_999) {
      return null;
    }
    int yy = year % 100;
    char[] v = new char[11];
    write(v, 0, yy, 2);
    v[2] = '/';
    write(v, 3, serial, 7);
    v[10] = Identifiers.pncCheckLetter(yy, serial);
    return new String(v);
  }

  /**
   * A NINO built from the {@code prefixIndex}-th valid prefix (modulo their number), six digits
   * {@code number} (0..999,999) and suffix A-D; null if number or suffix is out of range.
   */
  public static String nino(int prefixIndex, int number, char suffix) {
    if (number < 0 || number > 999_999 || suffix < 'A' || suffix > 'D') {
      return null;
    }
    String prefix = VALID_NINO_PREFIXES.get(Math.floorMod(prefixIndex, VALID_NINO_PREFIXES.size()));
    char[] v = new char[9];
    v[0] = prefix.charAt(0);
    v[1] = prefix.charAt(1);
    write(v, 2, number, 6);
    v[8] = suffix;
    return new String(v);
  }

  /** Every two-letter prefix {@link Identifiers#normalise} accepts for a NINO, in order. */
  public static List<String> validNinoPrefixes() {
    return VALID_NINO_PREFIXES;
  }

  private static List<String> computeValidNinoPrefixes() {
    List<String> prefixes = new ArrayList<>();
    for (char a = 'A'; a <= 'Z'; a++) {
      for (char b = 'A'; b <= 'Z'; b++) {
        String prefix = "" + a + b;
        if (Identifiers.normalise(IdentifierKind.NINO, prefix + "000000A") != null) {
          prefixes.add(prefix);
        }
      }
    }
    return List.copyOf(prefixes);
  }

  private static String withUpnCheckLetter(char[] v) {
    int sum = 0;
    for (int i = 1; i < 13; i++) {
      char c = v[i];
      int value = c >= '0' && c <= '9' ? c - '0' : Identifiers.UPN_ALPHABET.indexOf(c);
      sum += value * (i + 1);
    }
    v[0] = Identifiers.UPN_ALPHABET.charAt(sum % 23);
    return new String(v);
  }

  /**
   * {@code size} chars: {@code value} zero-padded in the first size-1, the last left for a check
   * digit.
   */
  private static char[] padded(long value, int size) {
    char[] d = new char[size];
    for (int i = size - 2; i >= 0; i--, value /= 10) {
      d[i] = (char) ('0' + value % 10);
    }
    return d;
  }

  private static void write(char[] v, int at, long value, int width) {
    for (int i = at + width - 1; i >= at; i--, value /= 10) {
      v[i] = (char) ('0' + value % 10);
    }
  }
}
