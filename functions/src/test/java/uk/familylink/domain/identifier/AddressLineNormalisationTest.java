package uk.familylink.domain.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ADDRESS_LINE normalisation v1 (issue 9 item 2). */
class AddressLineNormalisationTest {

  private static String n(String raw) {
    return Identifiers.normalise(IdentifierKind.ADDRESS_LINE, raw);
  }

  @Test
  void caseAndPunctuationAndAbbreviationsAreNormalised() {
    assertThat(n("12 High Street")).isEqualTo("12 HIGH STREET");
    assertThat(n("12, high st.")).isEqualTo("12 HIGH STREET");
    assertThat(n("  12  High   St  ")).isEqualTo("12 HIGH STREET");
    assertThat(n("7 Wallaby Pl")).isEqualTo("7 WALLABY PLACE");
    assertThat(n("3 Mill Rd")).isEqualTo("3 MILL ROAD");
    assertThat(n("St John's Ave")).isEqualTo("STREET JOHNS AVENUE");
    assertThat(n("Flat 2, 14 Crescent Gdns")).isEqualTo("FLAT 2 14 CRESCENT GARDENS");
  }

  @Test
  void theHouseNumberIsSeparatedFromTheStreet() {
    assertThat(n("12a High Street")).isEqualTo("12 A HIGH STREET");
    assertThat(n("7wallaby place")).isEqualTo("7 WALLABY PLACE");
    assertThat(n("12-14 Bath Street")).isEqualTo("12 14 BATH STREET");
  }

  @Test
  void diacriticsAreFoldedAndEmptyLinesAreInvalid() {
    assertThat(n("5 Rue Étienne")).isEqualTo("5 RUE ETIENNE");
    assertThat(n(" , . ")).isNull();
    assertThat(n("")).isNull();
    assertThat(n("1 " + "A".repeat(Identifiers.MAX_ADDRESS_LENGTH))).isNull();
  }

  @Test
  void normalisationIsIdempotent() {
    for (String raw : new String[] {"12, high st.", "7wallaby pl", "Flat 2, 14 Crescent Gdns"}) {
      assertThat(n(n(raw))).isEqualTo(n(raw));
    }
  }
}
