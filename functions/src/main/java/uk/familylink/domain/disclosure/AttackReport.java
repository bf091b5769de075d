package uk.familylink.domain.disclosure;

import java.util.List;
import java.util.Optional;

/** The attacker check's answer for one release: an interval for every suppressed cell. */
public record AttackReport(List<CellInterval> intervals) {

  public AttackReport {
    intervals = List.copyOf(intervals);
  }

  public boolean safe() {
    return intervals.stream().allMatch(CellInterval::isProtected);
  }

  public Optional<CellInterval> firstUnsafe() {
    return intervals.stream().filter(i -> !i.isProtected()).findFirst();
  }

  /** The narrowest interval found for a cell (over all attackers), if it was suppressed. */
  public Optional<CellInterval> narrowest(String cell) {
    return intervals.stream()
        .filter(i -> i.cell().equals(cell))
        .min(java.util.Comparator.comparingLong(CellInterval::width));
  }
}
