package uk.familylink.domain.disclosure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NoFeasibleSolutionException;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.PivotSelectionRule;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.linear.UnboundedSolutionException;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * The attacker check (P6): for every suppressed cell, the interval an attacker can deduce from
 * everything published, found by linear programming over the release's additive structure.
 *
 * <p>What the attacker knows, as constraints on the true counts (all non-negative):
 *
 * <ol>
 *   <li>every shown value, as the interval of counts that would be shown so (exact when unrounded;
 *       {@code r - base/2 <= v < r + base/2} when rounded; {@code low} = rounds to 0 but is not 0);
 *   <li>every sum (a total is the sum of its parts), across all tables of the release, since a
 *       shared margin is one cell;
 *   <li>every inequality (a part is at most its whole);
 *   <li>the previous release, when given: its shown values, bound by the same sums, and, for a
 *       cumulative release, each new count at least the count the same cell had before;
 *   <li>optionally an insider: the one member of a suppressed inner (not total) cell of 1, who
 *       knows it exactly and may learn its neighbours.
 * </ol>
 *
 * <p>For each suppressed cell it minimises and maximises that cell (commons-math3's simplex,
 * Bland's rule), rounding the bounds inward to whole counts. A suppressed cell is protected when
 * the interval is at least {@link DisclosurePolicy#protection()} wide and, for a cell suppressed
 * for being small, reaches down to 0. The linear relaxation is exact for a two-way table with its
 * margins (its constraint matrix is totally unimodular); for linked tables it can be wider than
 * what an integer-programming attacker gets, which the protection range's margin covers.
 */
public final class AttackerCheck {

  private static final double EPS = 1e-7;
  private static final String PREVIOUS = "previous:";

  private final DisclosurePolicy policy;

  public AttackerCheck(DisclosurePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Attacks a release.
   *
   * @param shown what is published for every cell of {@code system} (numbers or symbols)
   * @param suppressed cells hidden by primary or secondary suppression
   * @param stopAtFirstUnsafe return as soon as one unsafe interval is found (suppression loop)
   */
  public AttackReport attack(
      CellSystem system,
      Map<String, String> shown,
      Set<String> suppressed,
      PublishedRelease previous,
      boolean stopAtFirstUnsafe) {
    return attack(system, shown, suppressed, previous, stopAtFirstUnsafe, new HashSet<>());
  }

  /**
   * A search for the first unsafe cell while the suppressed set grows, as the suppression loop
   * does: each call may only hide more cells and must show every other cell as before.
   *
   * <p>That makes remembering what was proven safe sound. Hiding a cell replaces what was shown for
   * it by "anything from 0", so every linear programme of the next call has a larger feasible set
   * than before: a minimum can only fall and a maximum only rise, so an interval that was protected
   * stays protected, for the outsider and for every insider. Only the attacks not yet proven safe
   * (new targets, new insiders, the one found unsafe) are solved again.
   */
  public final class Search {
    private final CellSystem system;
    private final PublishedRelease previous;
    private final Set<Attack> provenSafe = new HashSet<>();
    private Map<String, String> lastShown;
    private Set<String> lastSuppressed = Set.of();

    private Search(CellSystem system, PublishedRelease previous) {
      this.system = Objects.requireNonNull(system, "system");
      this.previous = Objects.requireNonNull(previous, "previous");
    }

    /** The first unsafe interval for this suppressed set, or empty when every one is safe. */
    public Optional<CellInterval> firstUnsafe(Map<String, String> shown, Set<String> suppressed) {
      if (!suppressed.containsAll(lastSuppressed)) {
        throw new IllegalArgumentException("a search may only hide more cells, never fewer");
      }
      if (lastShown != null) {
        for (Map.Entry<String, String> e : shown.entrySet()) {
          if (!suppressed.contains(e.getKey()) && !e.getValue().equals(lastShown.get(e.getKey()))) {
            throw new IllegalArgumentException(
                "a search must show every visible cell as before: " + e.getKey());
          }
        }
      }
      lastShown = Map.copyOf(shown);
      lastSuppressed = Set.copyOf(suppressed);
      return attack(system, shown, suppressed, previous, true, provenSafe).firstUnsafe();
    }
  }

  /** One attacker (null: the outsider) against one suppressed cell. */
  private record Attack(String insider, String target) {}

  /** Starts a {@link Search} over one release (and the release before it). */
  public Search search(CellSystem system, PublishedRelease previous) {
    return new Search(system, previous);
  }

  private AttackReport attack(
      CellSystem system,
      Map<String, String> shown,
      Set<String> suppressed,
      PublishedRelease previous,
      boolean stopAtFirstUnsafe,
      Set<Attack> provenSafe) {
    Model model = new Model(system, shown, suppressed, previous);
    List<CellInterval> out = new ArrayList<>();
    List<String> attackers = new ArrayList<>();
    attackers.add(null);
    if (policy.singletonAttack()) {
      for (String id : suppressed) {
        // a singleton margin's insider only learns where they are themselves (its parts are at
        // most 1); the insider who learns about others is the one family of an inner cell
        if (system.cell(id).value() == 1 && !system.cell(id).total()) {
          attackers.add(id);
        }
      }
    }
    for (String insider : attackers) {
      List<LinearConstraint> constraints = null;
      for (String target : suppressed) {
        if (target.equals(insider)) {
          continue;
        }
        Attack attackKey = new Attack(insider, target);
        if (provenSafe.contains(attackKey)) {
          continue;
        }
        if (constraints == null) {
          constraints = new ArrayList<>(model.constraints);
          if (insider != null) {
            constraints.add(model.equal(insider, 1));
          }
        }
        CellInterval interval = interval(model, constraints, target, insider);
        out.add(interval);
        if (interval.isProtected()) {
          provenSafe.add(attackKey);
        } else if (stopAtFirstUnsafe) {
          return new AttackReport(out);
        }
      }
    }
    return new AttackReport(out);
  }

  private CellInterval interval(
      Model model, List<LinearConstraint> constraints, String target, String insider) {
    double min = optimise(model, constraints, target, GoalType.MINIMIZE);
    double max = optimise(model, constraints, target, GoalType.MAXIMIZE);
    long lower = (long) Math.ceil(min - EPS);
    long upper = Double.isInfinite(max) ? Long.MAX_VALUE : (long) Math.floor(max + EPS);
    long width = upper == Long.MAX_VALUE ? Long.MAX_VALUE : upper - lower;
    // an insider knows the cells that contain them are at least 1; only the width is asked of them
    boolean small = insider == null && policy.isPrimary(model.system.cell(target).value());
    boolean ok = width >= policy.protection() && (!small || lower == 0);
    return new CellInterval(
        target, lower, upper, ok, insider == null ? "outsider" : "insider:" + insider);
  }

  private static double optimise(
      Model model, List<LinearConstraint> constraints, String target, GoalType goal) {
    double[] objective = new double[model.size()];
    objective[model.index(target)] = 1;
    try {
      PointValuePair best =
          new SimplexSolver()
              .optimize(
                  new MaxIter(100_000),
                  new LinearObjectiveFunction(objective, 0),
                  new LinearConstraintSet(constraints),
                  goal,
                  new NonNegativeConstraint(true),
                  PivotSelectionRule.BLAND);
      return best.getValue();
    } catch (UnboundedSolutionException e) {
      return goal == GoalType.MAXIMIZE ? Double.POSITIVE_INFINITY : 0;
    } catch (NoFeasibleSolutionException e) {
      throw new IllegalStateException(
          "the attacker model is infeasible: the published values contradict the release's"
              + " sums, or a release declared cumulative counts less than before",
          e);
    }
  }

  /**
   * Variables are the cells whose value is not known exactly (hidden, rounded); a cell shown
   * exactly is a constant and moves to the right-hand side, which keeps the programmes small.
   */
  private final class Model {
    final CellSystem system;
    final Map<String, Integer> index = new LinkedHashMap<>();
    final Map<String, Long> constant = new HashMap<>();
    final List<LinearConstraint> constraints = new ArrayList<>();

    Model(
        CellSystem system,
        Map<String, String> shown,
        Set<String> suppressed,
        PublishedRelease previous) {
      this.system = system;
      Map<String, long[]> bounds = new LinkedHashMap<>();
      for (CellSystem.Cell cell : system.cells().values()) {
        String text = suppressed.contains(cell.id()) ? policy.confidential() : shown.get(cell.id());
        if (text == null) {
          throw new IllegalArgumentException("nothing shown for cell " + cell.id());
        }
        bounds.put(cell.id(), policy.knownBounds(text, cell.total()));
      }
      Map<String, String> previousShown = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : previous.shown().entrySet()) {
        if (system.cells().containsKey(e.getKey())) {
          previousShown.put(e.getKey(), e.getValue());
          String text = e.getValue();
          // a symbol of another policy (c or *, x, z, u) tells the attacker nothing more
          boolean symbol =
              text.isEmpty() || (!Character.isDigit(text.charAt(0)) && !text.equals("low"));
          bounds.put(
              PREVIOUS + e.getKey(),
              symbol
                  ? new long[] {0, Long.MAX_VALUE}
                  : policy.knownBounds(text, system.cell(e.getKey()).total()));
        }
      }
      bounds.forEach(
          (id, b) -> {
            if (b[0] == b[1]) {
              constant.put(id, b[0]);
            } else {
              index.put(id, index.size());
            }
          });
      bounds.forEach(
          (id, b) -> {
            if (b[0] != b[1]) {
              if (b[0] > 0) {
                constraints.add(new LinearConstraint(unit(id), Relationship.GEQ, b[0]));
              }
              if (b[1] != Long.MAX_VALUE) {
                constraints.add(new LinearConstraint(unit(id), Relationship.LEQ, b[1]));
              }
            }
          });
      for (CellSystem.Sum sum : system.sums()) {
        addSum("", sum);
        if (!previousShown.isEmpty()
            && previousShown.containsKey(sum.total())
            && sum.parts().stream().allMatch(previousShown::containsKey)) {
          addSum(PREVIOUS, sum);
        }
      }
      for (CellSystem.AtMost a : system.inequalities()) {
        addLinear(Map.of(a.part(), 1.0, a.whole(), -1.0), Relationship.LEQ);
      }
      if (previous.cumulative()) {
        for (String id : previousShown.keySet()) {
          addLinear(Map.of(PREVIOUS + id, 1.0, id, -1.0), Relationship.LEQ);
        }
      }
    }

    private void addSum(String prefix, CellSystem.Sum sum) {
      Map<String, Double> terms = new HashMap<>();
      terms.merge(prefix + sum.total(), -1.0, Double::sum);
      for (String part : sum.parts()) {
        terms.merge(prefix + part, 1.0, Double::sum);
      }
      addLinear(terms, Relationship.EQ);
    }

    /** sum(coefficient * cell) REL 0, with the constants moved to the right-hand side. */
    private void addLinear(Map<String, Double> terms, Relationship relationship) {
      double[] row = new double[size()];
      double rhs = 0;
      boolean anyVariable = false;
      for (Map.Entry<String, Double> t : terms.entrySet()) {
        Long value = constant.get(t.getKey());
        if (value != null) {
          rhs -= t.getValue() * value;
        } else {
          row[index(t.getKey())] += t.getValue();
          anyVariable = true;
        }
      }
      if (anyVariable) {
        constraints.add(new LinearConstraint(row, relationship, rhs));
      }
    }

    LinearConstraint equal(String variable, long value) {
      return new LinearConstraint(unit(variable), Relationship.EQ, value);
    }

    private double[] unit(String variable) {
      double[] row = new double[size()];
      row[index(variable)] = 1;
      return row;
    }

    int size() {
      return index.size();
    }

    int index(String variable) {
      Integer i = index.get(variable);
      if (i == null) {
        throw new IllegalArgumentException("no unknown cell " + variable);
      }
      return i;
    }
  }
}
