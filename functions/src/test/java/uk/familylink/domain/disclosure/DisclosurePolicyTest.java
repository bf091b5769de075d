package uk.familylink.domain.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DisclosurePolicyTest {

  @Test
  void dfeHidesOneToFiveShowsZeroAndRoundsTotalsToTen() {
    DisclosurePolicy dfe = DisclosurePolicy.dfe();
    assertThat(dfe.isPrimary(0)).isFalse();
    assertThat(dfe.isPrimary(1)).isTrue();
    assertThat(dfe.isPrimary(5)).isTrue();
    assertThat(dfe.isPrimary(6)).isFalse();
    assertThat(dfe.show(0, false)).isEqualTo("0");
    assertThat(dfe.show(1234, false)).isEqualTo("1234");
    assertThat(dfe.show(1234, true)).isEqualTo("1230");
    assertThat(dfe.show(1235, true)).isEqualTo("1240");
    assertThat(dfe.confidential()).isEqualTo("c");
    assertThatThrownBy(() -> dfe.show(-1, false)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCountPublishedAloneIsHiddenWhenSmall() {
    assertThat(DisclosurePolicy.dfe().showAlone(4)).isEqualTo("c");
    assertThat(DisclosurePolicy.dfe().showAlone(0)).isEqualTo("0");
    assertThat(DisclosurePolicy.dfe().showAlone(17)).isEqualTo("17");
    assertThat(DisclosurePolicy.nhs().showAlone(7)).isEqualTo("*");
    assertThat(DisclosurePolicy.nhs().showAlone(17)).isEqualTo("15");
  }

  @Test
  void nhsHidesOneToSevenWithAStarAndRoundsEveryCountToFive() {
    DisclosurePolicy nhs = DisclosurePolicy.named("nhs");
    assertThat(nhs.isPrimary(7)).isTrue();
    assertThat(nhs.confidential()).isEqualTo("*");
    assertThat(nhs.show(8, false)).isEqualTo("10");
    assertThat(nhs.show(12, false)).isEqualTo("10");
    assertThat(nhs.show(13, false)).isEqualTo("15");
  }

  @Test
  void aCountThatRoundsToZeroButIsNotZeroIsLow() {
    DisclosurePolicy coarse = new DisclosurePolicy(1, 2, 10, 10, "c", 10, true, 30);
    assertThat(coarse.show(3, false)).isEqualTo(Symbol.LOW.code());
    assertThat(coarse.knownBounds("low", false)).containsExactly(1, 4);
  }

  @Test
  void shownValuesGiveTheAttackerTheirRoundingIntervals() {
    DisclosurePolicy dfe = DisclosurePolicy.dfe();
    assertThat(dfe.knownBounds("50", true)).containsExactly(45, 54);
    assertThat(dfe.knownBounds("50", false)).containsExactly(50, 50);
    assertThat(dfe.knownBounds("c", false)).containsExactly(0, Long.MAX_VALUE);
    DisclosurePolicy nhs = DisclosurePolicy.nhs();
    assertThat(nhs.knownBounds("10", false)).containsExactly(8, 12);
    for (long v = 8; v <= 12; v++) {
      assertThat(nhs.show(v, false)).isEqualTo("10");
    }
    assertThat(nhs.show(7 + 6, false)).isEqualTo("15");
  }

  @Test
  void configurationNamesAPolicyOrFailsClearly() {
    assertThat(DisclosurePolicy.named(null)).isEqualTo(DisclosurePolicy.dfe());
    assertThat(DisclosurePolicy.named("DFE").withProtection(20).protection()).isEqualTo(20);
    assertThatThrownBy(() -> DisclosurePolicy.named("ONS")).hasMessageContaining("DFE or NHS");
    assertThatThrownBy(() -> new DisclosurePolicy(1, 5, 1, 1, "7", 10, true, 30))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFiveDfeSymbols() {
    assertThat(Symbol.NOT_APPLICABLE.code()).isEqualTo("z");
    assertThat(Symbol.UNAVAILABLE.code()).isEqualTo("x");
    assertThat(Symbol.CONFIDENTIAL.code()).isEqualTo("c");
    assertThat(Symbol.LOW.code()).isEqualTo("low");
    assertThat(Symbol.LOW_RELIABILITY.code()).isEqualTo("u");
  }
}
