package uk.familylink.domain.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.identifier.IdentifierKind.DATE_OF_BIRTH;
import static uk.familylink.domain.identifier.IdentifierKind.FAMILY_NAME;
import static uk.familylink.domain.identifier.IdentifierKind.FAMILY_REF;
import static uk.familylink.domain.identifier.IdentifierKind.GIVEN_NAME;
import static uk.familylink.domain.identifier.IdentifierKind.HOUSEHOLD_REF;
import static uk.familylink.domain.identifier.IdentifierKind.NHS_NUMBER;
import static uk.familylink.domain.identifier.IdentifierKind.NINO;
import static uk.familylink.domain.identifier.IdentifierKind.PNC_ID;
import static uk.familylink.domain.identifier.IdentifierKind.POSTCODE;
import static uk.familylink.domain.identifier.IdentifierKind.RECORD_REF;
import static uk.familylink.domain.identifier.IdentifierKind.ULN;
import static uk.familylink.domain.identifier.IdentifierKind.UPN;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

  private static String norm(IdentifierKind kind, String raw) {
    return Identifiers.normaliseUnguarded(kind, raw);
  }

  @Nested
  class NhsNumber {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "9434765919    | 9434765919",
          "943 476 5919  | 9434765919",
          "943-476-5919  | 9434765919",
          "' 9434765919 '| 9434765919",
          "4010232137    | 4010232137",
        })
    void acceptsPublishedValidNumbersWithSeparators(String raw, String expected) {
      assertThat(norm(NHS_NUMBER, raw)).isEqualTo(expected);
    }

    @Test
    void agreesWithAnIndependentCheckDigitOnEveryFinalDigit() {
      Random random = new Random(42);
      for (int i = 0; i < 20_000; i++) {
        String base = String.format("%09d", random.nextInt(1_000_000_000));
        for (char last = '0'; last <= '9'; last++) {
          String candidate = base + last;
          boolean expected =
              referenceNhsValid(candidate)
                  && !candidate.chars().allMatch(c -> c == candidate.charAt(0));
          assertThat(norm(NHS_NUMBER, candidate) != null)
              .as("validity of a generated number")
              .isEqualTo(expected);
        }
      }
    }

    @Test
    void rejectsWrongCheckDigit() {
      assertThat(norm(NHS_NUMBER, "9434765918")).isNull();
      assertThat(norm(NHS_NUMBER, "9434765910")).isNull();
    }

    @Test
    void rejectsBaseWhoseCheckDigitWouldBeTen() {
      // A weighted sum with remainder 1 needs check digit 11 - 1 = 10, which does not exist.
      String base = null;
      for (int b = 100_000_000; base == null; b++) {
        String s = Integer.toString(b);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
          sum += (s.charAt(i) - '0') * (10 - i);
        }
        if (sum % 11 == 1) {
          base = s;
        }
      }
      for (char last = '0'; last <= '9'; last++) {
        assertThat(norm(NHS_NUMBER, base + last)).isNull();
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "943476591",
          "94347659190",
          "943476591X",
          "943 476 591 9 9",
          "９４３４７６５９１９",
          "943.476.5919",
          "+9434765919",
          ""
        })
    void rejectsWrongLengthOrCharacters(String raw) {
      assertThat(norm(NHS_NUMBER, raw)).isNull();
    }

    @Test
    void rejectsRepeatedDigitPlaceholdersThatPassTheCheckDigit() {
      for (char d = '0'; d <= '9'; d++) {
        String placeholder = String.valueOf(d).repeat(10);
        assertThat(referenceNhsValid(placeholder)).as("placeholder passes modulus 11").isTrue();
        assertThat(norm(NHS_NUMBER, placeholder)).isNull();
      }
    }
  }

  @Nested
  class Nino {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "AB123456C       | AB123456C",
          "ab123456c       | AB123456C",
          "AB 12 34 56 C   | AB123456C",
          "' ab 123456 d ' | AB123456D",
          "JY000001A       | JY000001A",
          "OA999999B       | OA999999B",
        })
    void acceptsAndNormalisesCaseAndSpaces(String raw, String expected) {
      assertThat(norm(NINO, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(chars = {'D', 'F', 'I', 'Q', 'U', 'V'})
    void rejectsBannedLetterInEitherPosition(char banned) {
      assertThat(norm(NINO, banned + "A123456A")).isNull();
      assertThat(norm(NINO, "A" + banned + "123456A")).isNull();
    }

    @Test
    void rejectsOAsSecondLetterOnly() {
      assertThat(norm(NINO, "AO123456A")).isNull();
      assertThat(norm(NINO, "OA123456A")).isEqualTo("OA123456A");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
    void rejectsUnallocatedAndTemporaryPrefixes(String prefix) {
      assertThat(norm(NINO, prefix + "123456A")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"OO", "CR", "FY", "MW", "NC", "PP", "PY", "PZ"})
    void rejectsAdministrativePrefixes(String prefix) {
      assertThat(norm(NINO, prefix + "123456A")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "AB123456E",
          "AB123456",
          "AB123456 ",
          "AB1234567C",
          "AB12345C",
          "A1123456C",
          "AB12345XC",
          "AB123456CC",
          "ÀB123456C",
          "AB-12-34-56-C"
        })
    void rejectsMalformed(String raw) {
      assertThat(norm(NINO, raw)).isNull();
    }
  }

  @Nested
  class Upn {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "B801200005001   | B801200005001",
          "b801200005001   | B801200005001",
          "' B801200005001 '| B801200005001",
          // computed with an independent implementation of the DfE algorithm
          "F884300023101   | F884300023101",
          "A000000000000   | A000000000000",
        })
    void acceptsPermanentUpns(String raw, String expected) {
      assertThat(norm(UPN, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "G30412342010A | G30412342010A",
          "t30412342010z | T30412342010Z",
        })
    void acceptsTemporaryUpnsEndingInALetter(String raw, String expected) {
      assertThat(norm(UPN, raw)).isEqualTo(expected);
    }

    @Test
    void agreesWithAnIndependentCheckLetterForEveryCandidateLetter() {
      Random random = new Random(7);
      for (int i = 0; i < 5_000; i++) {
        String body =
            String.format(
                "%03d%04d%02d", random.nextInt(1000), random.nextInt(10_000), random.nextInt(100));
        String tail =
            random.nextBoolean()
                ? String.format("%03d", random.nextInt(1000))
                : String.format("%02d%c", random.nextInt(100), ALPHABET.charAt(random.nextInt(23)));
        for (char check = 'A'; check <= 'Z'; check++) {
          String candidate = check + body + tail;
          assertThat(norm(UPN, candidate) != null)
              .isEqualTo(candidate.charAt(0) == referenceUpnCheck(body + tail));
        }
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "C801200005001",
          "B80120000500",
          "B8012000050011",
          "180120000500",
          "B80120000500I",
          "B80120000500O",
          "B80120000500S",
          "I801200005001",
          "B8012000A5001",
          "B801 200005001"
        })
    void rejectsWrongCheckLengthOrLetters(String raw) {
      assertThat(norm(UPN, raw)).isNull();
    }
  }

  @Nested
  class Uln {

    @ParameterizedTest
    @ValueSource(strings = {"1234567899", "1000000000", "5555555554", "2468135791"})
    void acceptsValid(String raw) {
      assertThat(norm(ULN, raw)).isEqualTo(raw);
      assertThat(norm(ULN, "  " + raw + " ")).isEqualTo(raw);
    }

    @Test
    void agreesWithAnIndependentWeightedSum() {
      Random random = new Random(11);
      for (int i = 0; i < 100_000; i++) {
        String candidate =
            String.format("%010d", Math.floorMod(random.nextLong(), 10_000_000_000L));
        int sum = 0;
        for (int w = 10, j = 0; j < 10; j++, w--) {
          sum += Character.digit(candidate.charAt(j), 10) * w;
        }
        boolean expected = candidate.charAt(0) != '0' && sum % 11 == 10;
        assertThat(norm(ULN, candidate) != null).isEqualTo(expected);
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "1234567890",
          "0123456789",
          "123456789",
          "12345678999",
          "123456789X",
          "1234 567899"
        })
    void rejectsInvalid(String raw) {
      assertThat(norm(ULN, raw)).isNull();
    }
  }

  @Nested
  class Postcode {

    /** The bulk-data expression with the case and the single space already normalised. */
    private final Pattern oracle = Pattern.compile(Identifiers.POSTCODE_REGEX);

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "HR1 2AB        | HR1 2AB",
          "hr1 2ab        | HR1 2AB",
          "HR12AB         | HR1 2AB",
          "'  HR1   2AB ' | HR1 2AB",
          "'HR1\t2AB'     | HR1 2AB",
          "EC1A 1BB       | EC1A 1BB",
          "ec1a1bb        | EC1A 1BB",
          "W1A 0AX        | W1A 0AX",
          "M1 1AE         | M1 1AE",
          "B33 8TH        | B33 8TH",
          "CR2 6XH        | CR2 6XH",
          "DN55 1PT       | DN55 1PT",
          "GIR 0AA        | GIR 0AA",
          "gir0aa         | GIR 0AA",
        })
    void acceptsAndNormalises(String raw, String expected) {
      assertThat(norm(POSTCODE, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "HR1 AB2",
          "1HR 2AB",
          "HRR 2AB",
          "HI1 2AB",
          "HZ1 2AB",
          "HR123 2AB",
          "HR1 2AB3",
          "H R1 2AB",
          "HR1 2 AB",
          "HR1-2AB",
          "HR1",
          "2AB",
          "GIR 0AB",
          "HR1 2ÀB",
          "ＨＲ1 2AB",
          "AB1C 2DE X"
        })
    void rejectsInvalidPatterns(String raw) {
      assertThat(norm(POSTCODE, raw)).isNull();
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "BFPO 123  | BFPO 123",
          "bfpo123   | BFPO 123",
          "BFPO  1   | BFPO 1",
          "BFPO 0123 | BFPO 123",
          "BFPO 9999 | BFPO 9999",
        })
    void acceptsBfpoNumbers(String raw, String expected) {
      assertThat(norm(POSTCODE, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BFPO", "BFPO 0", "BFPO 12345", "BFPO 12A", "BF PO 123", "BFPO 1 23"})
    void rejectsMalformedBfpo(String raw) {
      assertThat(norm(POSTCODE, raw)).isNull();
    }

    @Test
    void handMatcherAgreesWithTheAnchoredGovernmentExpression() {
      // Small alphabet so random strings often land on the edges: I and Z as second letter,
      // GIR, digits and letters in every position.
      String alphabet = "ABGHIRZ019";
      Random random = new Random(2024);
      int accepted = 0;
      for (int i = 0; i < 300_000; i++) {
        String outward = randomString(random, alphabet, 1 + random.nextInt(5));
        String inward = randomString(random, alphabet, 2 + random.nextInt(3));
        String canonical = outward + " " + inward;
        boolean expected = oracle.matcher(canonical).matches();
        String actual = norm(POSTCODE, canonical);
        assertThat(actual).as("normalised form").isEqualTo(expected ? canonical : null);
        if (expected) {
          accepted++;
          assertThat(norm(POSTCODE, canonical.toLowerCase(java.util.Locale.ROOT)))
              .isEqualTo(canonical);
          assertThat(norm(POSTCODE, outward + inward)).isEqualTo(canonical);
        }
      }
      assertThat(accepted).as("the sample exercises valid codes too").isGreaterThan(1_000);
    }

    @Test
    void publishedExpressionIsAnchoredAsAWhole() {
      // The published form "^(GIR...)|(...)$" would accept trailing garbage after GIR 0AA.
      assertThat(oracle.matcher("GIR 0AAXYZ").matches()).isFalse();
      assertThat(oracle.matcher("GIR 0AA").matches()).isTrue();
      assertThat(oracle.matcher("XYZHR1 2AB").find()).isFalse();
    }
  }

  @Nested
  class PncId {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          // expected letters computed independently: (YY * 10^7 + serial) mod 23 through
          // ZABCDEFGHJKLMNPQRTUVWXY
          "12/1234567C     | 12/1234567C",
          "2012/1234567C   | 12/1234567C",
          "12/1234567c     | 12/1234567C",
          "99/123P         | 99/0000123P",
          "1999/0000123P   | 99/0000123P",
          "00/1A           | 00/0000001A",
          "2005/9999999P   | 05/9999999P",
          "' 81/34713N '   | 81/0034713N",
        })
    void acceptsBothYearFormsAndPadsTheSerial(String raw, String expected) {
      assertThat(norm(PNC_ID, raw)).isEqualTo(expected);
    }

    @Test
    void agreesWithAnIndependentCheckLetter() {
      Random random = new Random(5);
      for (int i = 0; i < 3_000; i++) {
        int yy = random.nextInt(100);
        int serial = random.nextInt(10_000_000);
        char expected =
            "ZABCDEFGHJKLMNPQRTUVWXY"
                .charAt(
                    new java.math.BigInteger(String.format("%02d%07d", yy, serial))
                        .mod(java.math.BigInteger.valueOf(23))
                        .intValue());
        for (char letter = 'A'; letter <= 'Z'; letter++) {
          String candidate = String.format("%02d/%d%c", yy, serial, letter);
          String actual = norm(PNC_ID, candidate);
          assertThat(actual)
              .isEqualTo(
                  letter == expected ? String.format("%02d/%07d%c", yy, serial, letter) : null);
        }
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "12/1234567D",
          "12/12345678C",
          "12/C",
          "123/1234567C",
          "1/1234567C",
          "1812/1234567C",
          "12-1234567C",
          "121234567C",
          "12/1234567",
          "12/12 34567C",
          "AB/1234567C",
          "12/1234567CC",
          "/1234567C"
        })
    void rejectsMalformedOrWrongCheckLetter(String raw) {
      assertThat(norm(PNC_ID, raw)).isNull();
    }
  }

  @Nested
  class Names {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "O'Brien-Smith | OBRIENSMITH",
          "'  josé '     | JOSE",
          "Zoë           | ZOE",
          "Ñúñez         | NUNEZ",
          "Strauß        | STRAUSS",
          "Łukasz        | LUKASZ",
          "Søren         | SOREN",
          "Æthelred      | AETHELRED",
          "ﬁona          | FIONA",
          "Mary Ann 2nd  | MARYANNND",
          "DŽEJLA        | DZEJLA",
        })
    void foldsToUpperCaseAsciiLetters(String raw, String expected) {
      assertThat(norm(GIVEN_NAME, raw)).isEqualTo(expected);
      assertThat(norm(FAMILY_NAME, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "123", "-'.", "李", "Алексей"})
    void nothingLeftIsInvalid(String raw) {
      assertThat(norm(GIVEN_NAME, raw)).isNull();
    }

    @Test
    void hundredLettersIsTheLimitAfterNormalising() {
      assertThat(norm(FAMILY_NAME, "a".repeat(100))).isEqualTo("A".repeat(100));
      assertThat(norm(FAMILY_NAME, "a".repeat(101))).isNull();
      assertThat(norm(FAMILY_NAME, "é".repeat(101))).isNull();
      assertThat(norm(FAMILY_NAME, "a-".repeat(100))).isEqualTo("A".repeat(100));
      assertThat(norm(FAMILY_NAME, "A".repeat(101))).isNull();
    }

    @Test
    void asciiNamesAreTheirUpperCaseLettersWhateverTheMix() {
      // the spec for ASCII input: upper-case, keep A-Z, none left or over 100 is invalid
      Random random = new Random(11);
      String alphabet = "abcXYZ '-.1 Q";
      for (int round = 0; round < 50_000; round++) {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(round % 100 == 0 ? 130 : 12); k > 0; k--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String raw = b.toString();
        String letters = raw.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "");
        String expected = letters.isEmpty() || letters.length() > 100 ? null : letters;
        assertThat(norm(GIVEN_NAME, raw)).as(raw).isEqualTo(expected);
      }
    }
  }

  @Nested
  class References {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "' eh-2024/0001 ' | EH-2024/0001",
          "'ab   cd'        | AB CD",
          "'a\tb'           | A B",
          "hh_01.2          | HH_01.2",
        })
    void trimsUpperCasesAndCollapsesWhitespace(String raw, String expected) {
      assertThat(norm(FAMILY_REF, raw)).isEqualTo(expected);
      assertThat(norm(HOUSEHOLD_REF, raw)).isEqualTo(expected);
      assertThat(norm(RECORD_REF, raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "ab#1", "ref,2", "é1", "a\u0000b", "x;drop"})
    void rejectsEmptyOrDisallowedCharacters(String raw) {
      assertThat(norm(RECORD_REF, raw)).isNull();
    }

    @Test
    void sixtyFourCharactersIsTheLimitAfterNormalising() {
      assertThat(norm(RECORD_REF, "a".repeat(64))).isEqualTo("A".repeat(64));
      assertThat(norm(RECORD_REF, "a".repeat(65))).isNull();
      assertThat(norm(RECORD_REF, "  " + "a".repeat(32) + "     " + "b".repeat(31) + "  "))
          .hasSize(64);
      assertThat(norm(RECORD_REF, "a".repeat(32) + "     " + "b".repeat(32))).isNull();
    }
  }

  @Nested
  class DateOfBirth {

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "2010-03-04   | 2010-03-04",
          "04/03/2010   | 2010-03-04",
          "4/3/2010     | 2010-03-04",
          "' 29/02/2020'| 2020-02-29",
        })
    void normalisesToIso(String raw, String expected) {
      assertThat(norm(DATE_OF_BIRTH, raw)).isEqualTo(expected);
    }

    @Test
    void rejectsImpossibleDates() {
      assertThat(norm(DATE_OF_BIRTH, "31/02/2020")).isNull();
      assertThat(norm(DATE_OF_BIRTH, "2019-02-29")).isNull();
    }
  }

  @Test
  void nullKindOrValueIsInvalid() {
    assertThat(Identifiers.normalise(null, "9434765919")).isNull();
    for (IdentifierKind kind : IdentifierKind.values()) {
      assertThat(Identifiers.normalise(kind, null)).isNull();
    }
  }

  static final String ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ";

  /** Independent NHS modulus 11, written from the NHS Data Dictionary description. */
  static boolean referenceNhsValid(String tenDigits) {
    int[] weights = {10, 9, 8, 7, 6, 5, 4, 3, 2};
    int total = 0;
    for (int i = 0; i < weights.length; i++) {
      total += (tenDigits.charAt(i) - '0') * weights[i];
    }
    int check = (11 - (total % 11)) % 11; // 11 -> 0
    return check != 10 && check == (tenDigits.charAt(9) - '0');
  }

  /** Independent DfE UPN check letter of the twelve characters after it. */
  static char referenceUpnCheck(String twelve) {
    int total = 0;
    for (int position = 2; position <= 13; position++) {
      char c = twelve.charAt(position - 2);
      int value = Character.isDigit(c) ? c - '0' : ALPHABET.indexOf(c);
      total += value * position;
    }
    return ALPHABET.charAt(total % 23);
  }

  static String randomString(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
