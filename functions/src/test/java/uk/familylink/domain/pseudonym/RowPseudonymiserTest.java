package uk.familylink.domain.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.pseudonym.TokeniserTest.expectedToken;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.validation.ValidatedRow;

/** Every token of a row equals the obvious javax.crypto computation over the joined plaintext. */
class RowPseudonymiserTest {

  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i * 11 + 5);
    }
  }

  private static ValidatedRow row(long number, Map<IdentifierKind, String> ids) {
    return new ValidatedRow(
        number, ids, Set.of(Need.HEALTH), LocalDate.of(2024, 3, 1), "CHILD", false, Map.of());
  }

  @Test
  void tokensMatchAnIndependentHmacOfTheJoinedValues() throws Exception {
    Map<IdentifierKind, String> ids = new EnumMap<>(IdentifierKind.class);
    ids.put(IdentifierKind.NHS_NUMBER, "9434765919");
    ids.put(IdentifierKind.NINO, "AB123456C");
    ids.put(IdentifierKind.GIVEN_NAME, "ZOE");
    ids.put(IdentifierKind.FAMILY_NAME, "OBRIEN");
    ids.put(IdentifierKind.DATE_OF_BIRTH, "2011-02-03");
    ids.put(IdentifierKind.POSTCODE, "HR1 2AB");
    ids.put(IdentifierKind.RECORD_REF, "EH-00042");
    ids.put(IdentifierKind.FAMILY_REF, "FAM/7");
    ids.put(IdentifierKind.HOUSEHOLD_REF, "HH 9");
    RowPseudonymiser p = new RowPseudonymiser(new Tokeniser(KEY), "early-help");

    // twice: the tokeniser's reused buffers and label cache must not leak between calls
    for (int i = 0; i < 2; i++) {
      PseudonymisedRow out = p.pseudonymise(row(7, ids));
      assertThat(out.strongKeys())
          .containsExactly(
              new IdentityKey(
                  LinkKeyKind.NHS_NUMBER, expectedToken(KEY, "NHS_NUMBER", "9434765919")),
              new IdentityKey(LinkKeyKind.NINO, expectedToken(KEY, "NINO", "AB123456C")));
      assertThat(out.compositeKeys())
          .containsExactly(
              new IdentityKey(
                  LinkKeyKind.NAME_DOB_POSTCODE,
                  expectedToken(KEY, "NAME_DOB_POSTCODE", "ZOE|OBRIEN|2011-02-03|HR1 2AB")),
              new IdentityKey(
                  LinkKeyKind.NAME_DOB, expectedToken(KEY, "NAME_DOB", "ZOE|OBRIEN|2011-02-03")));
      assertThat(out.recordToken())
          .isEqualTo(expectedToken(KEY, "RECORD_REF/early-help", "EH-00042"));
      assertThat(out.family().kind()).isEqualTo("FAMILY_REF");
      assertThat(out.family().token()).isEqualTo(expectedToken(KEY, "FAMILY_REF", "FAM/7"));
      assertThat(out.birthYearMonth()).isEqualTo("2011-02");
    }
  }

  @Test
  void withoutPostcodeOrReferencesTheFallbacksAreTokenisedTheSameWay() throws Exception {
    Map<IdentifierKind, String> ids = new EnumMap<>(IdentifierKind.class);
    ids.put(IdentifierKind.GIVEN_NAME, "SIAN");
    ids.put(IdentifierKind.FAMILY_NAME, "APRHYS");
    ids.put(IdentifierKind.DATE_OF_BIRTH, "1990-12-31");
    ids.put(IdentifierKind.HOUSEHOLD_REF, "HH 9");
    PseudonymisedRow out =
        new RowPseudonymiser(new Tokeniser(KEY), "housing").pseudonymise(row(12, ids));

    assertThat(out.strongKeys()).isEmpty();
    assertThat(out.compositeKeys())
        .containsExactly(
            new IdentityKey(
                LinkKeyKind.NAME_DOB, expectedToken(KEY, "NAME_DOB", "SIAN|APRHYS|1990-12-31")));
    assertThat(out.recordToken()).isEqualTo(expectedToken(KEY, "RECORD_REF/housing", "#row12"));
    assertThat(out.family().kind()).isEqualTo("HOUSEHOLD_REF");
    assertThat(out.family().token()).isEqualTo(expectedToken(KEY, "HOUSEHOLD_REF", "HH 9"));
  }

  @Test
  void compositeTokenOfNonAsciiPartsEqualsTheTokenOfTheJoinedString() throws Exception {
    Tokeniser t = new Tokeniser(KEY);
    assertThat(t.token(Tokeniser.label("NAME_DOB"), "ZOË", "Ó", "2000-01-01", "x".repeat(150)))
        .isEqualTo(expectedToken(KEY, "NAME_DOB", "ZOË|Ó|2000-01-01|" + "x".repeat(150)));
    assertThat(new Tokeniser(KEY, true).token(Tokeniser.label("NAME_DOB"), "A", "B", "C", null))
        .isEqualTo(expectedToken(KEY, "NAME_DOB", "A|B|C"));
  }
}
