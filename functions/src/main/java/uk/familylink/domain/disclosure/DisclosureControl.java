package uk.familylink.domain.disclosure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Statistical disclosure control for a release (P6): the one home of the suppression rule.
 *
 * <ol>
 *   <li><b>Primary:</b> every count in the policy's small range is hidden.
 *   <li><b>Secondary:</b> while the {@link AttackerCheck} finds a hidden cell it can narrow down
 *       too far (from the sums of this release's tables, which share margins, from the previous
 *       release, or as the insider of a singleton), one more cell is hidden: the smallest non-zero
 *       visible cell that shares a sum or an inequality with it (a part before a total); if none,
 *       the smallest visible cell sharing a sum with any hidden cell. This is a greedy heuristic;
 *       the attacker check, not the heuristic, is what makes the result safe.
 *   <li><b>Rounding:</b> visible counts are rounded as configured (totals with their own base).
 *   <li><b>Refusal:</b> the final release is attacked once more in full; if any interval is
 *       narrower than the protection range, or nothing is left to hide, it throws {@link
 *       UnsafeReleaseException} and nothing may be published.
 * </ol>
 */
public final class DisclosureControl {

  private final DisclosurePolicy policy;
  private final AttackerCheck attacker;

  public DisclosureControl(DisclosurePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.attacker = new AttackerCheck(policy);
  }

  public DisclosurePolicy policy() {
    return policy;
  }

  public ProtectedRelease protect(CellSystem system) {
    return protect(system, PublishedRelease.none());
  }

  public ProtectedRelease protect(CellSystem system, PublishedRelease previous) {
    Set<String> primary = new LinkedHashSet<>();
    for (CellSystem.Cell cell : system.cells().values()) {
      if (policy.isPrimary(cell.value())) {
        primary.add(cell.id());
      }
    }
    Set<String> hidden = new LinkedHashSet<>(primary);
    Set<String> secondary = new LinkedHashSet<>();
    AttackerCheck.Search search = attacker.search(system, previous);
    while (true) {
      Map<String, String> shown = render(system, hidden);
      Optional<CellInterval> unsafe = search.firstUnsafe(shown, hidden);
      if (unsafe.isEmpty()) {
        AttackReport full = attacker.attack(system, shown, hidden, previous, false);
        if (!full.safe()) {
          throw new IllegalStateException("attacker check is not deterministic");
        }
        return new ProtectedRelease(shown, primary, secondary, full);
      }
      String next = nextToHide(system, unsafe.get().cell(), hidden);
      if (next == null) {
        throw new UnsafeReleaseException(
            "no further cell can be hidden to protect "
                + unsafe.get().cell()
                + "; the release is refused",
            new AttackReport(List.of(unsafe.get())));
      }
      hidden.add(next);
      secondary.add(next);
    }
  }

  /**
   * Checks a release whose shown values were decided elsewhere (for example re-read from disk
   * before writing): refuses it unless every suppressed cell is protected.
   */
  public AttackReport verify(
      CellSystem system,
      Map<String, String> shown,
      Set<String> suppressed,
      PublishedRelease previous) {
    AttackReport report = attacker.attack(system, shown, suppressed, previous, false);
    if (!report.safe()) {
      throw new UnsafeReleaseException(
          "cell " + report.firstUnsafe().orElseThrow().cell() + " is not protected", report);
    }
    return report;
  }

  private Map<String, String> render(CellSystem system, Set<String> hidden) {
    Map<String, String> shown = new LinkedHashMap<>();
    for (CellSystem.Cell cell : system.cells().values()) {
      shown.put(
          cell.id(),
          hidden.contains(cell.id())
              ? policy.confidential()
              : policy.show(cell.value(), cell.total()));
    }
    return shown;
  }

  private String nextToHide(CellSystem system, String unsafe, Set<String> hidden) {
    String best = smallestVisible(system, system.neighbours(unsafe), hidden);
    if (best != null) {
      return best;
    }
    List<String> wider = new ArrayList<>();
    for (String id : hidden) {
      wider.addAll(system.neighbours(id));
    }
    best = smallestVisible(system, wider, hidden);
    if (best != null) {
      return best;
    }
    return smallestVisible(system, new ArrayList<>(system.cells().keySet()), hidden);
  }

  /** Parts before totals, non-zero before zero, then smallest, then first added. */
  private static String smallestVisible(CellSystem system, List<String> ids, Set<String> hidden) {
    List<String> order = new ArrayList<>(system.cells().keySet());
    return ids.stream()
        .distinct()
        .filter(id -> !hidden.contains(id))
        .min(
            Comparator.<String, Boolean>comparing(id -> system.cell(id).total())
                .thenComparing(id -> system.cell(id).value() == 0)
                .thenComparingLong(id -> system.cell(id).value())
                .thenComparingInt(order::indexOf))
        .orElse(null);
  }
}
