package uk.familylink.domain.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckDigitsTest {

  @Test
  void nhsNumbersRoundTripAndOnlyRemainderTenOrPlaceholdersAreMissing() {
    assertThat(CheckDigits.nhsNumber(943_476_591L)).isEqualTo("9434765919");
    Random random = new Random(3);
    int missing = 0;
    for (int i = 0; i < 50_000; i++) {
      long base = Math.floorMod(random.nextLong(), 1_000_000_000L);
      String generated = CheckDigits.nhsNumber(base);
      if (generated == null) {
        missing++;
        // Then no final digit is valid at all.
        for (char last = '0'; last <= '9'; last++) {
          assertThat(
                  Identifiers.normalise(
                      IdentifierKind.NHS_NUMBER, String.format("%09d%c", base, last)))
              .isNull();
        }
      } else {
        assertThat(generated).startsWith(String.format("%09d", base)).hasSize(10);
        assertThat(Identifiers.normalise(IdentifierKind.NHS_NUMBER, generated))
            .isEqualTo(generated);
        assertThat(IdentifiersTest.referenceNhsValid(generated)).isTrue();
      }
    }
    // About one base in eleven has remainder 10.
    assertThat(missing).isBetween(50_000 / 11 - 500, 50_000 / 11 + 500);
    assertThat(CheckDigits.nhsNumber(111_111_111L)).as("repeated-digit placeholder").isNull();
    assertThat(CheckDigits.nhsNumber(-1)).isNull();
    assertThat(CheckDigits.nhsNumber(1_000_000_000L)).isNull();
  }

  @Test
  void ulnsRoundTrip() {
    assertThat(CheckDigits.uln(123_456_789L)).isEqualTo("1234567899");
    assertThat(CheckDigits.uln(987_654_321L))
        .as("weighted sum 330 = 0 mod 11 needs a last digit of 10")
        .isNull();
    assertThat(CheckDigits.uln(12_345_678L)).as("would start with 0").isNull();
    Random random = new Random(4);
    int generated = 0;
    for (int i = 0; i < 50_000; i++) {
      long base = 100_000_000L + random.nextInt(900_000_000);
      String uln = CheckDigits.uln(base);
      if (uln != null) {
        generated++;
        assertThat(uln).startsWith(Long.toString(base));
        assertThat(Identifiers.normalise(IdentifierKind.ULN, uln)).isEqualTo(uln);
      }
    }
    assertThat(generated).isGreaterThan(40_000);
  }

  @Test
  void upnsRoundTripIncludingTemporaryOnes() {
    assertThat(CheckDigits.upn(801, 2000, 5, 1)).isEqualTo("B801200005001");
    assertThat(CheckDigits.temporaryUpn(304, 1234, 20, 10, 'A')).isEqualTo("G30412342010A");
    Random random = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      int la = random.nextInt(1000);
      int estab = random.nextInt(10_000);
      int year = random.nextInt(100);
      String permanent = CheckDigits.upn(la, estab, year, random.nextInt(1000));
      assertThat(Identifiers.normalise(IdentifierKind.UPN, permanent)).isEqualTo(permanent);
      assertThat(permanent.charAt(0))
          .isEqualTo(IdentifiersTest.referenceUpnCheck(permanent.substring(1)));
      char letter = Identifiers.UPN_ALPHABET.charAt(random.nextInt(23));
      String temporary = CheckDigits.temporaryUpn(la, estab, year, random.nextInt(100), letter);
      assertThat(temporary).endsWith(String.valueOf(letter));
      assertThat(Identifiers.normalise(IdentifierKind.UPN, temporary)).isEqualTo(temporary);
    }
    assertThat(CheckDigits.upn(1000, 0, 0, 0)).isNull();
    assertThat(CheckDigits.temporaryUpn(1, 1, 1, 1, 'I')).isNull();
  }

  @Test
  void pncIdsRoundTrip() {
    assertThat(CheckDigits.pncId(12, 1_234_567)).isEqualTo("12/1234567C");
    assertThat(CheckDigits.pncId(2012, 1_234_567)).isEqualTo("12/1234567C");
    assertThat(CheckDigits.pncId(1999, 123)).isEqualTo("99/0000123P");
    Random random = new Random(6);
    for (int i = 0; i < 20_000; i++) {
      String pnc = CheckDigits.pncId(1900 + random.nextInt(200), random.nextInt(10_000_000));
      assertThat(Identifiers.normalise(IdentifierKind.PNC_ID, pnc)).isEqualTo(pnc);
    }
    assertThat(CheckDigits.pncId(1850, 1)).isNull();
    assertThat(CheckDigits.pncId(12, 10_000_000)).isNull();
  }

  @Test
  void ninosRoundTripAndAvoidEveryBannedPrefix() {
    assertThat(CheckDigits.validNinoPrefixes())
        .doesNotContainAnyElementsOf(Identifiers.NINO_ADMINISTRATIVE_PREFIXES)
        .doesNotContainAnyElementsOf(Identifiers.NINO_UNALLOCATED_PREFIXES)
        .allMatch(p -> p.chars().noneMatch(c -> "DFIQUV".indexOf(c) >= 0) && p.charAt(1) != 'O')
        .contains("AB", "JY", "OA")
        // 20 letters first x 19 second, less the 7 unallocated prefixes and the 6
        // administrative ones not already excluded by the letter rules (OO and FY are).
        .hasSize(20 * 19 - 7 - 6);
    for (int i = 0; i < 2_000; i++) {
      String nino = CheckDigits.nino(i, i * 487 % 1_000_000, (char) ('A' + i % 4));
      assertThat(Identifiers.normalise(IdentifierKind.NINO, nino)).isEqualTo(nino);
    }
    assertThat(CheckDigits.nino(0, 1, 'E')).isNull();
  }
}
