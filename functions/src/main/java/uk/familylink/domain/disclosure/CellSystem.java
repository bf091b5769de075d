package uk.familylink.domain.disclosure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The counts of one release and everything that ties them together, as an attacker would see the
 * structure: every cell of every table, with an id shared by tables that publish the same number (a
 * shared margin is one cell, not two), the sums (a total is the sum of its parts) and the
 * inequalities (families with a need evidenced by one dataset are at most the families with that
 * need). The true counts are here; only {@link DisclosureControl} decides what is shown.
 */
public final class CellSystem {

  /** One count. {@code total} marks a margin (rounded with the total rounding base). */
  public record Cell(String id, long value, boolean total) {
    public Cell {
      Objects.requireNonNull(id, "id");
      if (value < 0) {
        throw new IllegalArgumentException("counts cannot be negative");
      }
    }
  }

  /** {@code total} = the sum of {@code parts}. */
  public record Sum(String total, List<String> parts) {
    public Sum {
      parts = List.copyOf(parts);
    }
  }

  /** {@code part} is at most {@code whole}. */
  public record AtMost(String part, String whole) {}

  private final Map<String, Cell> cells;
  private final List<Sum> sums;
  private final List<AtMost> inequalities;

  private CellSystem(Map<String, Cell> cells, List<Sum> sums, List<AtMost> inequalities) {
    this.cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
    this.sums = List.copyOf(sums);
    this.inequalities = List.copyOf(inequalities);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Cells in the order they were added (deterministic suppression and output). */
  public Map<String, Cell> cells() {
    return cells;
  }

  public List<Sum> sums() {
    return sums;
  }

  public List<AtMost> inequalities() {
    return inequalities;
  }

  public Cell cell(String id) {
    Cell cell = cells.get(id);
    if (cell == null) {
      throw new IllegalArgumentException("no cell " + id);
    }
    return cell;
  }

  /** Cells related to {@code id} by a sum or an inequality (candidates to hide beside it). */
  public List<String> neighbours(String id) {
    List<String> out = new ArrayList<>();
    for (Sum sum : sums) {
      if (sum.total().equals(id) || sum.parts().contains(id)) {
        if (!sum.total().equals(id)) {
          out.add(sum.total());
        }
        for (String part : sum.parts()) {
          if (!part.equals(id)) {
            out.add(part);
          }
        }
      }
    }
    for (AtMost a : inequalities) {
      if (a.part().equals(id)) {
        out.add(a.whole());
      } else if (a.whole().equals(id)) {
        out.add(a.part());
      }
    }
    return out;
  }

  /** Builds a system; a cell published by two tables is added once (same id, same value). */
  public static final class Builder {
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final List<Sum> sums = new ArrayList<>();
    private final List<AtMost> inequalities = new ArrayList<>();

    public Builder cell(String id, long value) {
      return add(new Cell(id, value, false));
    }

    public Builder total(String id, long value) {
      return add(new Cell(id, value, true));
    }

    private Builder add(Cell cell) {
      Cell before = cells.putIfAbsent(cell.id(), cell);
      if (before != null && before.value() != cell.value()) {
        throw new IllegalArgumentException("cell " + cell.id() + " added twice with two values");
      }
      if (before != null && cell.total() && !before.total()) {
        cells.put(cell.id(), cell);
      }
      return this;
    }

    /** Declares {@code total} = sum of {@code parts}; the true counts must agree. */
    public Builder sum(String total, List<String> parts) {
      long sum = 0;
      for (String part : parts) {
        sum += known(part).value();
      }
      if (sum != known(total).value()) {
        throw new IllegalArgumentException("the parts of " + total + " do not add up to it");
      }
      sums.add(new Sum(total, parts));
      return this;
    }

    /** Declares {@code part <= whole}; the true counts must agree. */
    public Builder atMost(String part, String whole) {
      if (known(part).value() > known(whole).value()) {
        throw new IllegalArgumentException(part + " is larger than " + whole);
      }
      inequalities.add(new AtMost(part, whole));
      return this;
    }

    private Cell known(String id) {
      Cell cell = cells.get(id);
      if (cell == null) {
        throw new IllegalArgumentException("no cell " + id + " (add cells before relations)");
      }
      return cell;
    }

    public CellSystem build() {
      return new CellSystem(cells, sums, inequalities);
    }
  }
}
