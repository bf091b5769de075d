package uk.familylink.domain.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Garbage in must give null (or a valid value) out, never an exception, and normalising a
 * normalised value must give it back unchanged (otherwise tokens of re-processed data drift).
 */
class NormaliseRobustnessTest {

  private static final String VALID_SAMPLES_ALPHABET = "0123456789 /-ABCDGIOPRTZabcz'\t\u00A0é";

  @Test
  void neverThrowsAndIsIdempotentOnGarbage() {
    List<String> inputs =
        new ArrayList<>(
            List.of(
                "",
                " ",
                "\u0000",
                "\uD800",
                "\uDC00x",
                "\uFEFF9434765919",
                "x".repeat(10_000),
                "9".repeat(10_000),
                " ".repeat(10_000),
                "é".repeat(10_000),
                "/".repeat(10_000),
                "BFPO" + "1".repeat(5_000),
                "12/" + "9".repeat(5_000) + "A",
                "9".repeat(20) + "/" + "9".repeat(20),
                "\u0001\u0002\u001F\u007F",
                "\r\n",
                "2010-02-3\u0000",
                "１２/１２/２０１２",
                "\uD83D\uDE00"));
    Random random = new Random(99);
    for (int i = 0; i < 20_000; i++) {
      inputs.add(randomUnicode(random, random.nextInt(30)));
      inputs.add(IdentifiersTest.randomString(random, VALID_SAMPLES_ALPHABET, random.nextInt(16)));
    }
    for (String raw : inputs) {
      for (IdentifierKind kind : IdentifierKind.values()) {
        assertThatCode(
                () -> {
                  String once = Identifiers.normaliseUnguarded(kind, raw);
                  if (once != null) {
                    assertThat(Identifiers.normaliseUnguarded(kind, once))
                        .as("idempotent for %s", kind)
                        .isEqualTo(once);
                  }
                })
            .as("normalise(%s, ...) must not throw", kind)
            .doesNotThrowAnyException();
      }
    }
    assertThatCode(() -> Dates.parse("\uD800/\uD800/\uD800\uD800")).doesNotThrowAnyException();
  }

  @Test
  void normalisedValidExamplesAreFixedPoints() {
    String[][] examples = {
      {"NHS_NUMBER", "943 476 5919"}, {"NINO", "ab 12 34 56 c"}, {"UPN", "b801200005001"},
      {"ULN", " 1234567899 "}, {"PNC_ID", "2012/1234567c"}, {"POSTCODE", "ec1a1bb"},
      {"POSTCODE", "bfpo 0123"}, {"GIVEN_NAME", "Zoë-Ann"}, {"DATE_OF_BIRTH", "4/3/2010"},
      {"FAMILY_REF", " eh  1 "},
    };
    for (String[] example : examples) {
      IdentifierKind kind = IdentifierKind.valueOf(example[0]);
      String once = Identifiers.normalise(kind, example[1]);
      assertThat(once).as("%s example is valid", kind).isNotNull();
      assertThat(Identifiers.normalise(kind, once)).isEqualTo(once);
    }
  }

  private static String randomUnicode(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> s.append((char) random.nextInt(0x20)); // control characters
        case 1 -> s.append((char) (0x20 + random.nextInt(0x5F))); // printable ASCII
        case 2 -> s.append((char) random.nextInt(0x10000)); // any UTF-16 unit, lone surrogates too
        default ->
            s.appendCodePoint(0x80 + random.nextInt(0x2000)); // Latin-1 .. general punctuation
      }
    }
    return s.toString();
  }
}
