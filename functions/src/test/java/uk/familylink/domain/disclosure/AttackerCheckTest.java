package uk.familylink.domain.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hand-made tables known to be unsafe under naive suppression: the attacker check must find each
 * leak (an interval narrower than the protection range), and {@link DisclosureControl} must produce
 * a release the check passes.
 */
class AttackerCheckTest {

  /** DfE thresholds with totals unrounded, so the arithmetic below is exact. */
  private static final DisclosurePolicy EXACT = new DisclosurePolicy(1, 5, 1, 1, "c", 10, true, 30);

  private final AttackerCheck attacker = new AttackerCheck(EXACT);
  private final DisclosureControl control = new DisclosureControl(EXACT);

  @Test
  void aRowWithASingleSuppressedCellGivesItAway() {
    CellSystem row = row("r", 3, 40, 30);
    AttackReport naive =
        attacker.attack(
            row, naive(row, Set.of("r.a")), Set.of("r.a"), PublishedRelease.none(), false);
    assertThat(naive.intervals())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.lower()).isEqualTo(3);
              assertThat(i.upper()).isEqualTo(3);
              assertThat(i.isProtected()).isFalse();
            });

    ProtectedRelease safe = control.protect(row);
    assertThat(safe.primary()).containsExactly("r.a");
    assertThat(safe.secondary()).containsExactly("r.c"); // the smaller of the other two parts
    assertThat(safe.report().safe()).isTrue();
    assertThat(safe.report().narrowest("r.a").orElseThrow().lower()).isZero();
    assertThat(safe.report().narrowest("r.a").orElseThrow().upper()).isEqualTo(33);
  }

  @Test
  void twoSuppressedCellsAreRecoveredFromTwoMargins() {
    // rows x, y; columns p, q; both small cells in column p; every margin published
    CellSystem table = twoByTwo(3, 20, 4, 30);
    Set<String> naiveHidden = Set.of("x.p", "y.p");
    AttackReport naive =
        attacker.attack(
            table, naive(table, naiveHidden), naiveHidden, PublishedRelease.none(), false);
    assertThat(naive.safe()).isFalse();
    assertThat(naive.narrowest("x.p").orElseThrow().width()).isZero();
    assertThat(naive.narrowest("y.p").orElseThrow().width()).isZero();

    ProtectedRelease safe = control.protect(table);
    assertThat(safe.report().safe()).isTrue();
    assertThat(safe.secondary()).isNotEmpty();
    for (CellInterval i : safe.report().intervals()) {
      assertThat(i.width()).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void aSelfDisclosingSingletonGivesAwayItsPartnerCell() {
    // a = 1 and b = 40 hidden together: an outsider sees a + b = 41, but the one family in a
    // knows a = 1 and so learns b exactly
    CellSystem row = row("r", 1, 40, 30);
    Set<String> pair = Set.of("r.a", "r.b");
    AttackReport outsiderOnly =
        new AttackerCheck(new DisclosurePolicy(1, 5, 1, 1, "c", 10, false, 30))
            .attack(row, naive(row, pair), pair, PublishedRelease.none(), false);
    assertThat(outsiderOnly.safe()).isTrue();

    AttackReport withInsider =
        attacker.attack(row, naive(row, pair), pair, PublishedRelease.none(), false);
    assertThat(withInsider.safe()).isFalse();
    CellInterval leak = withInsider.firstUnsafe().orElseThrow();
    assertThat(leak.cell()).isEqualTo("r.b");
    assertThat(leak.attacker()).isEqualTo("insider:r.a");
    assertThat(leak.width()).isZero();

    ProtectedRelease safe = control.protect(row);
    assertThat(safe.report().safe()).isTrue();
    assertThat(safe.report().intervals()).anyMatch(i -> i.attacker().equals("insider:r.a"));
  }

  @Test
  void anInsiderLearnsNothingAboutATableTheirCellSharesNoSumWith() {
    // row r leaks to its insider (a = 1 knows b); row s is safe for everyone and shares no sum
    // with r, so the insider's intervals there are the outsider's, and r.b is still found
    CellSystem both =
        CellSystem.builder()
            .cell("r.a", 1)
            .cell("r.b", 40)
            .cell("r.c", 30)
            .total("r.total", 71)
            .sum("r.total", List.of("r.a", "r.b", "r.c"))
            .cell("s.a", 3)
            .cell("s.b", 20)
            .cell("s.c", 30)
            .total("s.total", 53)
            .sum("s.total", List.of("s.a", "s.b", "s.c"))
            .build();
    Set<String> hidden = Set.of("r.a", "r.b", "s.a", "s.b");
    AttackReport report =
        attacker.attack(both, naive(both, hidden), hidden, PublishedRelease.none(), false);

    for (String cell : List.of("s.a", "s.b")) {
      CellInterval outsider = interval(report, cell, "outsider");
      CellInterval insider = interval(report, cell, "insider:r.a");
      assertThat(insider.lower()).isEqualTo(outsider.lower());
      assertThat(insider.upper()).isEqualTo(outsider.upper());
      assertThat(insider.isProtected()).isTrue();
    }
    CellInterval leak = interval(report, "r.b", "insider:r.a");
    assertThat(leak.width()).isZero();
    assertThat(report.safe()).isFalse();
    assertThat(
            attacker.search(both, PublishedRelease.none()).firstUnsafe(naive(both, hidden), hidden))
        .hasValueSatisfying(i -> assertThat(i.attacker()).isEqualTo("insider:r.a"));
  }

  @Test
  void anInsiderNarrowsCellsReachedOnlyThroughAnotherTablesHiddenMargin() {
    // r.total (hidden) is a part of the grand total, so s.x is tied to r.a only through it:
    // the outsider has r.b + r.a + s.x = 71, the insider of r.a has r.b + s.x = 70
    CellSystem chained =
        CellSystem.builder()
            .cell("r.a", 1)
            .cell("r.b", 40)
            .total("r.total", 41)
            .sum("r.total", List.of("r.a", "r.b"))
            .cell("s.x", 30)
            .total("all", 71)
            .sum("all", List.of("r.total", "s.x"))
            .build();
    Set<String> hidden = Set.of("r.a", "r.b", "r.total", "s.x");
    AttackReport report =
        attacker.attack(chained, naive(chained, hidden), hidden, PublishedRelease.none(), false);

    assertThat(interval(report, "s.x", "outsider").upper()).isEqualTo(71);
    assertThat(interval(report, "s.x", "insider:r.a").upper()).isEqualTo(70);
    assertThat(interval(report, "r.b", "insider:r.a").upper()).isEqualTo(70);
  }

  private static CellInterval interval(AttackReport report, String cell, String attacker) {
    return report.intervals().stream()
        .filter(i -> i.cell().equals(cell) && i.attacker().equals(attacker))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no interval for " + cell + " by " + attacker));
  }

  @Test
  void aSmallCellHiddenBesideATooSmallPartnerIsStillNarrowedDown() {
    // a = 3 hidden with b = 6: a + b = 9, so a lies in [0, 9]: narrower than 0..10
    CellSystem row = row("r", 3, 6, 100);
    Set<String> pair = Set.of("r.a", "r.b");
    AttackReport report =
        attacker.attack(row, naive(row, pair), pair, PublishedRelease.none(), false);
    assertThat(report.narrowest("r.a").orElseThrow().upper()).isEqualTo(9);
    assertThat(report.safe()).isFalse();
    assertThat(control.protect(row).report().safe()).isTrue();
  }

  @Test
  void tablesThatShareACellAreSafeAloneButNotTogether() {
    // table 1: families by number of needs (a small, b medium); table 2 publishes b itself as the
    // total of its own row (families with that many needs, by dependent child or not)
    CellSystem one =
        CellSystem.builder()
            .cell("a", 3)
            .cell("b", 12)
            .cell("c", 40)
            .total("all", 55)
            .sum("all", List.of("a", "b", "c"))
            .build();
    CellSystem two =
        CellSystem.builder()
            .cell("b.yes", 6)
            .cell("b.no", 6)
            .total("b", 12)
            .sum("b", List.of("b.yes", "b.no"))
            .build();
    ProtectedRelease aloneOne = control.protect(one);
    ProtectedRelease aloneTwo = control.protect(two);
    assertThat(aloneOne.isSuppressed("b")).isTrue();
    assertThat(aloneTwo.isSuppressed("b")).isFalse(); // nothing small in table 2

    CellSystem both =
        CellSystem.builder()
            .cell("a", 3)
            .cell("b.yes", 6)
            .cell("b.no", 6)
            .total("b", 12)
            .cell("c", 40)
            .total("all", 55)
            .sum("all", List.of("a", "b", "c"))
            .sum("b", List.of("b.yes", "b.no"))
            .build();
    Map<String, String> publishedSeparately = new LinkedHashMap<>(aloneTwo.shown());
    publishedSeparately.putAll(aloneOne.shown());
    publishedSeparately.put("b", aloneTwo.show("b")); // table 2 prints b
    Set<String> hidden = Set.of("a");
    AttackReport crossTable =
        attacker.attack(both, publishedSeparately, hidden, PublishedRelease.none(), false);
    assertThat(crossTable.narrowest("a").orElseThrow().width()).isZero();

    ProtectedRelease together = control.protect(both);
    assertThat(together.report().safe()).isTrue();
    assertThat(together.isSuppressed("a")).isTrue();
  }

  @Test
  void differencingAgainstThePreviousReleaseNarrowsACellTheReleaseAloneProtects() {
    // previous quarter: a = 24, b = 28, c = 0 (all shown); now a = 24, b = 30, c = 3
    CellSystem now = row("r", 24, 30, 3);
    ProtectedRelease alone = control.protect(now);
    assertThat(alone.primary()).containsExactly("r.c");
    assertThat(alone.secondary()).containsExactly("r.a");
    assertThat(alone.report().safe()).isTrue();

    CellSystem before = row("r", 24, 28, 0);
    PublishedRelease previous = control.protect(before).asPublished(true);
    AttackReport differenced =
        attacker.attack(now, alone.shown(), Set.of("r.c", "r.a"), previous, false);
    // a now >= 24 and a + c = 27, so c <= 3
    assertThat(differenced.narrowest("r.c").orElseThrow().upper()).isEqualTo(3);
    assertThat(differenced.safe()).isFalse();

    ProtectedRelease checked = control.protect(now, previous);
    assertThat(checked.report().safe()).isTrue();
    assertThat(checked.secondary()).hasSizeGreaterThan(1);
  }

  @Test
  void roundedTotalsAreKnownOnlyToTheirRoundingInterval() {
    DisclosurePolicy dfe = DisclosurePolicy.dfe(); // totals to the nearest 10
    CellSystem row = row("r", 3, 40, 30); // total 73 shown as 70: 65..74
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("r.a", "c");
    shown.put("r.b", "40");
    shown.put("r.c", "30");
    shown.put("r.total", dfe.show(73, true));
    assertThat(shown.get("r.total")).isEqualTo("70");
    AttackReport report =
        new AttackerCheck(dfe).attack(row, shown, Set.of("r.a"), PublishedRelease.none(), false);
    assertThat(report.narrowest("r.a").orElseThrow().lower()).isZero();
    assertThat(report.narrowest("r.a").orElseThrow().upper()).isEqualTo(4);
    assertThat(report.safe()).isFalse();
  }

  @Test
  void verifyRefusesAnUnsafeReleaseNamingOnlyTheCell() {
    CellSystem row = row("r", 3, 40, 30);
    assertThatThrownBy(
            () ->
                control.verify(
                    row, naive(row, Set.of("r.a")), Set.of("r.a"), PublishedRelease.none()))
        .isInstanceOf(UnsafeReleaseException.class)
        .hasMessageContaining("r.a")
        .hasMessageNotContaining("40");
  }

  @Test
  void aReleaseWithoutSmallCountsHidesNothing() {
    ProtectedRelease release = control.protect(row("r", 10, 20, 30));
    assertThat(release.primary()).isEmpty();
    assertThat(release.secondary()).isEmpty();
    assertThat(release.show("r.total")).isEqualTo("60");
  }

  /** A row a, b, c with its total. */
  static CellSystem row(String name, long a, long b, long c) {
    return CellSystem.builder()
        .cell(name + ".a", a)
        .cell(name + ".b", b)
        .cell(name + ".c", c)
        .total(name + ".total", a + b + c)
        .sum(name + ".total", List.of(name + ".a", name + ".b", name + ".c"))
        .build();
  }

  /** Rows x, y and columns p, q with every margin and the grand total. */
  static CellSystem twoByTwo(long xp, long xq, long yp, long yq) {
    return CellSystem.builder()
        .cell("x.p", xp)
        .cell("x.q", xq)
        .cell("y.p", yp)
        .cell("y.q", yq)
        .total("x", xp + xq)
        .total("y", yp + yq)
        .total("p", xp + yp)
        .total("q", xq + yq)
        .total("all", xp + xq + yp + yq)
        .sum("x", List.of("x.p", "x.q"))
        .sum("y", List.of("y.p", "y.q"))
        .sum("p", List.of("x.p", "y.p"))
        .sum("q", List.of("x.q", "y.q"))
        .sum("all", List.of("x", "y"))
        .build();
  }

  /** Shown values with exactly {@code hidden} suppressed (no secondary suppression). */
  static Map<String, String> naive(CellSystem system, Set<String> hidden) {
    Map<String, String> shown = new LinkedHashMap<>();
    system
        .cells()
        .values()
        .forEach(
            c ->
                shown.put(
                    c.id(), hidden.contains(c.id()) ? "c" : EXACT.show(c.value(), c.total())));
    return shown;
  }
}
