package uk.familylink.local.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressionTest {

  private final Suppression dfe = Suppression.dfe();

  @Test
  void dfeSuppressesOneToFiveAndShowsZeroAndLargerCounts() {
    assertThat(dfe.format(0)).isEqualTo("0");
    assertThat(dfe.format(1)).isEqualTo("c");
    assertThat(dfe.format(5)).isEqualTo("c");
    assertThat(dfe.format(6)).isEqualTo("6");
    assertThat(dfe.format(1234)).isEqualTo("1234");
    assertThat(dfe.formatTotal(1234)).isEqualTo("1230");
    assertThatThrownBy(() -> dfe.format(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nhsPolicySuppressesOneToSevenAndRoundsToFive() {
    Suppression nhs = new Suppression(Suppression.Policy.nhs());
    assertThat(nhs.format(7)).isEqualTo("*");
    assertThat(nhs.format(8)).isEqualTo("10");
    assertThat(nhs.format(12)).isEqualTo("10");
    assertThat(nhs.format(13)).isEqualTo("15");
  }

  @Test
  void aCountThatRoundsToZeroButIsNotZeroIsShownAsK() {
    Suppression policy = new Suppression(new Suppression.Policy(1, 2, 10, 10, "c", "k", "z", "x"));
    assertThat(policy.format(3)).isEqualTo("k");
    assertThat(policy.format(2)).isEqualTo("c");
  }

  @Test
  void aSingleHiddenCellTakesTheNextSmallestWithIt() {
    Suppression.Table table =
        dfe.suppressTable(
            ordered(
                "EDUCATION", 40L, "HOUSING", 3L, "CRIME", 12L, "HEALTH", 25L, "EARLY_YEARS", 0L));
    assertThat(table.cells())
        .containsExactly(
            Map.entry("EDUCATION", "40"),
            Map.entry("HOUSING", "c"),
            Map.entry("CRIME", "c"),
            Map.entry("HEALTH", "25"),
            Map.entry("EARLY_YEARS", "0"));
    assertThat(table.total()).isEqualTo("80");
  }

  @Test
  void twoHiddenCellsNeedNoSecondarySuppression() {
    Suppression.Table table = dfe.suppressTable(ordered("a", 2L, "b", 4L, "c", 30L));
    assertThat(table.cells())
        .containsExactly(Map.entry("a", "c"), Map.entry("b", "c"), Map.entry("c", "30"));
  }

  @Test
  void withNoOtherCellToHideTheTotalIsHidden() {
    Suppression.Table table = dfe.suppressTable(ordered("only", 4L, "none", 0L));
    assertThat(table.cells()).containsExactly(Map.entry("only", "c"), Map.entry("none", "0"));
    assertThat(table.total()).isEqualTo("c");
  }

  @Test
  void tablesWithoutSmallCountsAreUnchanged() {
    Suppression.Table table = dfe.suppressTable(ordered("a", 10L, "b", 20L));
    assertThat(table.cells()).containsExactly(Map.entry("a", "10"), Map.entry("b", "20"));
    assertThat(table.total()).isEqualTo("30");
  }

  private static Map<String, Long> ordered(Object... keysAndValues) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (Long) keysAndValues[i + 1]);
    }
    return map;
  }
}
