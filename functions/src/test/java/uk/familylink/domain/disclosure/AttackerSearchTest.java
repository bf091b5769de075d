package uk.familylink.domain.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The suppression loop's memo of attacks proven safe ({@link AttackerCheck.Search}) must answer
 * exactly as a fresh attack would, at every step of a growing suppressed set, and must refuse a
 * step that would make the memo unsound.
 */
class AttackerSearchTest {

  /** DfE thresholds, unrounded totals, with the insider (singleton) attack on. */
  private static final DisclosurePolicy POLICY =
      new DisclosurePolicy(1, 5, 1, 1, "c", 10, true, 30);

  private final AttackerCheck attacker = new AttackerCheck(POLICY);

  @Test
  void everyStepFindsTheSameFirstUnsafeCellAsAFreshAttack() {
    Random random = new Random(20261203L);
    int stepsWithAnUnsafeCell = 0;
    int steps = 0;
    for (int table = 0; table < 12; table++) {
      CellSystem system = randomTable(random, 3, 4);
      // hide the inner cells one by one in a random order: early steps leak, late ones are safe
      List<String> order = new ArrayList<>();
      system.cells().values().stream().filter(c -> !c.total()).forEach(c -> order.add(c.id()));
      java.util.Collections.shuffle(order, random);
      AttackerCheck.Search search = attacker.search(system, PublishedRelease.none());
      Set<String> hidden = new LinkedHashSet<>();
      for (String next : order) {
        hidden.add(next);
        var shown = AttackerCheckTest.naive(system, hidden);
        Optional<String> memo = search.firstUnsafe(shown, hidden).map(CellInterval::cell);
        Optional<String> fresh =
            attacker
                .attack(system, shown, hidden, PublishedRelease.none(), true)
                .firstUnsafe()
                .map(CellInterval::cell);
        assertThat(memo).as("table %d, hidden %s", table, hidden).isEqualTo(fresh);
        steps++;
        if (fresh.isPresent()) {
          stepsWithAnUnsafeCell++;
        }
      }
    }
    // the comparison means something only if both answers occur
    assertThat(stepsWithAnUnsafeCell).isBetween(1, steps - 1);
  }

  @Test
  void aSearchRefusesToShowACellItHidBefore() {
    CellSystem row = AttackerCheckTest.row("r", 3, 40, 30);
    AttackerCheck.Search search = attacker.search(row, PublishedRelease.none());
    Set<String> two = Set.of("r.a", "r.c");
    search.firstUnsafe(AttackerCheckTest.naive(row, two), two);
    Set<String> one = Set.of("r.a");
    assertThatThrownBy(() -> search.firstUnsafe(AttackerCheckTest.naive(row, one), one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never fewer");
  }

  @Test
  void aSearchRefusesAVisibleCellShownDifferently() {
    CellSystem row = AttackerCheckTest.row("r", 3, 40, 30);
    AttackerCheck.Search search = attacker.search(row, PublishedRelease.none());
    Set<String> one = Set.of("r.a");
    var shown = new java.util.LinkedHashMap<>(AttackerCheckTest.naive(row, one));
    search.firstUnsafe(shown, one);
    shown.put("r.b", "41");
    assertThatThrownBy(() -> search.firstUnsafe(shown, one))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("r.b");
  }

  /** An r x c table of small and large counts with row, column and grand totals. */
  private static CellSystem randomTable(Random random, int rows, int columns) {
    CellSystem.Builder b = CellSystem.builder();
    long[] columnTotals = new long[columns];
    List<String> rowIds = new ArrayList<>();
    long all = 0;
    for (int r = 0; r < rows; r++) {
      long rowTotal = 0;
      List<String> parts = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        long value = random.nextInt(3) == 0 ? random.nextInt(5) : 5 + random.nextInt(40);
        b.cell("r" + r + ".c" + c, value);
        parts.add("r" + r + ".c" + c);
        rowTotal += value;
        columnTotals[c] += value;
      }
      b.total("r" + r, rowTotal).sum("r" + r, parts);
      rowIds.add("r" + r);
      all += rowTotal;
    }
    for (int c = 0; c < columns; c++) {
      List<String> parts = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        parts.add("r" + r + ".c" + c);
      }
      b.total("c" + c, columnTotals[c]).sum("c" + c, parts);
    }
    return b.total("all", all).sum("all", rowIds).build();
  }
}
