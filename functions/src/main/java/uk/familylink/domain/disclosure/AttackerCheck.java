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
import org.apache.commons.math3.linear.ArrayRealVector;
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

  /** Tolerance when checking the solver's point against the constraints (counts are whole). */
  private static final double FEASIBLE = 1e-6;

  /** A bound no count reaches, for re-solving a programme the solver got wrong. */
  private static final double BIG = 1e9;

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

  /** The whole counts a cell can take; {@code upper} is {@code Long.MAX_VALUE} when unbounded. */
  private record Bounds(long lower, long upper) {}

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
    // the bounds each programme gave, by the attacker that actually differs for it: an insider
    // whose own cell shares no constraint path with the target knows nothing more about it
    Map<Attack, Bounds> solved = new HashMap<>();
    for (String insider : attackers) {
      for (String target : suppressed) {
        if (target.equals(insider)) {
          continue;
        }
        Attack attackKey = new Attack(insider, target);
        if (provenSafe.contains(attackKey)) {
          continue;
        }
        Attack effective = model.effective(attackKey);
        if (!effective.equals(attackKey)
            && !solved.containsKey(effective)
            && provenSafe.contains(effective)) {
          // the outsider's interval was protected in an earlier call, and an insider is held
          // only to its width
          provenSafe.add(attackKey);
          continue;
        }
        Bounds bounds = solved.computeIfAbsent(effective, model::bounds);
        CellInterval interval = interval(model, bounds, target, insider);
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

  private CellInterval interval(Model model, Bounds bounds, String target, String insider) {
    long lower = bounds.lower();
    long upper = bounds.upper();
    long width = upper == Long.MAX_VALUE ? Long.MAX_VALUE : upper - lower;
    // an insider knows the cells that contain them are at least 1; only the width is asked of them
    boolean small = insider == null && policy.isPrimary(model.system.cell(target).value());
    boolean ok = width >= policy.protection() && (!small || lower == 0);
    return new CellInterval(
        target, lower, upper, ok, insider == null ? "outsider" : "insider:" + insider);
  }

  /**
   * The optimum of one cell, never outside what the true counts allow.
   *
   * <p>commons-math3 3.6.1's simplex can return a point that breaks the constraints, with a wrong
   * optimum (a hidden margin chained to another table's total gave a maximum of 0 instead of 71;
   * see {@code AttackerCheckTest}). Every answer is therefore checked against the constraints. A
   * broken answer is solved again with every variable bounded by {@link #BIG} (rows that cut off
   * nothing real, which the solver handles); if that breaks too, the cell's true count stands in
   * for the optimum. The true count is a feasible point, so the interval can then only be narrower
   * than the attacker's: more is hidden, never less.
   */
  private static double optimise(
      int size, List<LinearConstraint> constraints, int target, GoalType goal, long trueValue) {
    Optional<Double> answer = solve(size, constraints, target, goal);
    if (answer.isPresent()) {
      return answer.get();
    }
    List<LinearConstraint> bounded = new ArrayList<>(constraints);
    for (int v = 0; v < size; v++) {
      double[] unit = new double[size];
      unit[v] = 1;
      bounded.add(new LinearConstraint(unit, Relationship.LEQ, BIG));
    }
    Optional<Double> again = solve(size, bounded, target, goal);
    if (again.isPresent()) {
      return again.get() >= BIG - 1 ? Double.POSITIVE_INFINITY : again.get();
    }
    return trueValue;
  }

  /** The solver's optimum, or empty when the point it returns breaks a constraint. */
  private static Optional<Double> solve(
      int size, List<LinearConstraint> constraints, int target, GoalType goal) {
    double[] objective = new double[size];
    objective[target] = 1;
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
      return satisfies(best.getPoint(), constraints)
          ? Optional.of(best.getPoint()[target])
          : Optional.empty();
    } catch (UnboundedSolutionException e) {
      return Optional.of(goal == GoalType.MAXIMIZE ? Double.POSITIVE_INFINITY : 0.0);
    } catch (NoFeasibleSolutionException e) {
      throw new IllegalStateException(
          "the attacker model is infeasible: the published values contradict the release's"
              + " sums, or a release declared cumulative counts less than before",
          e);
    }
  }

  private static boolean satisfies(double[] point, List<LinearConstraint> constraints) {
    for (double x : point) {
      if (x < -FEASIBLE) {
        return false;
      }
    }
    ArrayRealVector x = new ArrayRealVector(point, false);
    for (LinearConstraint c : constraints) {
      double lhs = c.getCoefficients().dotProduct(x);
      boolean ok =
          switch (c.getRelationship()) {
            case EQ -> Math.abs(lhs - c.getValue()) <= FEASIBLE;
            case LEQ -> lhs <= c.getValue() + FEASIBLE;
            case GEQ -> lhs >= c.getValue() - FEASIBLE;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Variables are the cells whose value is not known exactly (hidden, rounded); a cell shown
   * exactly is a constant and moves to the right-hand side, which keeps the programmes small.
   *
   * <p>The programme separates into connected components (variables joined by a shared constraint).
   * The true counts satisfy every constraint, so each component is feasible on its own and the
   * optimum of a cell over the whole programme is its optimum over its component: each cell is
   * solved over its component only, and an insider's exact knowledge of their own cell changes
   * nothing outside that cell's component.
   */
  private final class Model {
    final CellSystem system;
    final Map<String, Integer> index = new LinkedHashMap<>();
    final Map<String, Long> constant = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private int[] root;
    private final Map<Integer, Component> components = new HashMap<>();

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
                rows.add(new Row(new int[] {index(id)}, new double[] {1}, Relationship.GEQ, b[0]));
              }
              if (b[1] != Long.MAX_VALUE) {
                rows.add(new Row(new int[] {index(id)}, new double[] {1}, Relationship.LEQ, b[1]));
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
      joinComponents();
    }

    private void addSum(String prefix, CellSystem.Sum sum) {
      Map<String, Double> terms = new LinkedHashMap<>();
      terms.merge(prefix + sum.total(), -1.0, Double::sum);
      for (String part : sum.parts()) {
        terms.merge(prefix + part, 1.0, Double::sum);
      }
      addLinear(terms, Relationship.EQ);
    }

    /** sum(coefficient * cell) REL 0, with the constants moved to the right-hand side. */
    private void addLinear(Map<String, Double> terms, Relationship relationship) {
      Map<Integer, Double> row = new LinkedHashMap<>();
      double rhs = 0;
      for (Map.Entry<String, Double> t : terms.entrySet()) {
        Long value = constant.get(t.getKey());
        if (value != null) {
          rhs -= t.getValue() * value;
        } else {
          row.merge(index(t.getKey()), t.getValue(), Double::sum);
        }
      }
      if (!row.isEmpty()) {
        int[] variables = row.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] coefficients = row.values().stream().mapToDouble(Double::doubleValue).toArray();
        rows.add(new Row(variables, coefficients, relationship, rhs));
      }
    }

    private void joinComponents() {
      root = new int[size()];
      for (int i = 0; i < root.length; i++) {
        root[i] = i;
      }
      for (Row row : rows) {
        for (int v : row.variables()) {
          int a = find(row.variables()[0]);
          int b = find(v);
          if (a != b) {
            root[b] = a;
          }
        }
      }
    }

    private int find(int variable) {
      int r = variable;
      while (root[r] != r) {
        r = root[r];
      }
      for (int v = variable; root[v] != r; ) {
        int next = root[v];
        root[v] = r;
        v = next;
      }
      return r;
    }

    /** The attack that decides an interval: an insider in another component is an outsider. */
    Attack effective(Attack attack) {
      if (attack.insider() == null
          || find(index(attack.insider())) == find(index(attack.target()))) {
        return attack;
      }
      return new Attack(null, attack.target());
    }

    /** The whole counts the target can take for this attacker. */
    Bounds bounds(Attack attack) {
      int target = index(attack.target());
      Component component = components.computeIfAbsent(find(target), r -> new Component(r));
      List<LinearConstraint> constraints = component.constraints;
      if (attack.insider() != null) {
        constraints = new ArrayList<>(constraints);
        double[] unit = new double[component.size()];
        unit[component.local(index(attack.insider()))] = 1;
        constraints.add(new LinearConstraint(unit, Relationship.EQ, 1));
      }
      int local = component.local(target);
      long trueValue = system.cell(attack.target()).value();
      double min = optimise(component.size(), constraints, local, GoalType.MINIMIZE, trueValue);
      double max = optimise(component.size(), constraints, local, GoalType.MAXIMIZE, trueValue);
      long lower = (long) Math.ceil(min - EPS);
      long upper = Double.isInfinite(max) ? Long.MAX_VALUE : (long) Math.floor(max + EPS);
      return new Bounds(lower, upper);
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

    /** One connected component's programme, in its own (dense, local) variable numbering. */
    private final class Component {
      private final Map<Integer, Integer> local = new HashMap<>();
      final List<LinearConstraint> constraints = new ArrayList<>();

      Component(int componentRoot) {
        for (int v = 0; v < Model.this.size(); v++) {
          if (find(v) == componentRoot) {
            local.put(v, local.size());
          }
        }
        for (Row row : rows) {
          if (find(row.variables()[0]) == componentRoot) {
            double[] dense = new double[local.size()];
            for (int i = 0; i < row.variables().length; i++) {
              dense[local(row.variables()[i])] += row.coefficients()[i];
            }
            constraints.add(new LinearConstraint(dense, row.relationship(), row.rhs()));
          }
        }
      }

      int size() {
        return local.size();
      }

      int local(int variable) {
        return local.get(variable);
      }
    }
  }

  /** One constraint, sparse: sum(coefficients[i] * variables[i]) relationship rhs. */
  private static final class Row {
    private final int[] variables;
    private final double[] coefficients;
    private final Relationship relationship;
    private final double rhs;

    Row(int[] variables, double[] coefficients, Relationship relationship, double rhs) {
      this.variables = variables;
      this.coefficients = coefficients;
      this.relationship = relationship;
      this.rhs = rhs;
    }

    int[] variables() {
      return variables;
    }

    double[] coefficients() {
      return coefficients;
    }

    Relationship relationship() {
      return relationship;
    }

    double rhs() {
      return rhs;
    }
  }
}
