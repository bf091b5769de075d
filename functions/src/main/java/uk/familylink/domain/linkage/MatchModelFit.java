package uk.familylink.domain.linkage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.linkage.MatchModel.Field;
import uk.familylink.domain.linkage.MatchModel.Level;

/**
 * Estimates a {@link MatchModel}'s m and u without ground truth (Fellegi–Sunter EM, as in Winkler
 * 1988 and Splink): the agreement patterns of the candidate pairs blocking produces are a mixture
 * of same-person and different-person pairs; EM alternates between each pattern's probability of
 * being a match (E) and the m, u and match share that make those probabilities most likely (M),
 * with the fields independent given the class. Levels of a missing field carry no information and
 * are left out of both the likelihood and the counts.
 *
 * <p>Two ways to get u:
 *
 * <ul>
 *   <li>from <b>random pairs</b> ({@code random} given): u of a level is its share among pairs of
 *       records drawn at random, nearly all of which are different persons; EM then estimates m and
 *       the match share only. This is Splink's recommended route: inside blocks, different persons
 *       agree on the blocked fields by construction, so a u estimated there says more about the
 *       blocking than about chance agreement.
 *   <li>by <b>EM alone</b> ({@code random} null): m and u both from the candidate pairs.
 * </ul>
 *
 * <p>The start model's m and u are the starting point; thresholds are kept (they are a decision
 * policy, not a fitted quantity). Every m is kept at least {@link #M_FLOOR} and every u at least
 * {@link #U_FLOOR}, so a level the fitting data happens not to show (FEBRL has no postcode; a
 * generator may make no day/month swap) gets a finite weight and not ±∞.
 */
public final class MatchModelFit {

  /** No agreement level is taken as impossible for a true pair. */
  public static final double M_FLOOR = 0.001;

  /** Nor as impossible by chance. */
  public static final double U_FLOOR = 0.000_01;

  static final int MAX_ITERATIONS = 500;
  static final double TOLERANCE = 1e-7;
  static final double START_MATCH_SHARE = 0.1;

  private MatchModelFit() {}

  /** Counts of agreement patterns (a pattern is the level of each field; no value). */
  public static final class Patterns {
    private final Map<Map<Field, Level>, Long> counts = new HashMap<>();
    private long total;

    public void add(Map<Field, Level> levels) {
      counts.merge(Collections.unmodifiableMap(new EnumMap<>(levels)), 1L, Long::sum);
      total++;
    }

    public long total() {
      return total;
    }

    public Map<Map<Field, Level>, Long> counts() {
      return Collections.unmodifiableMap(counts);
    }
  }

  /**
   * The fit.
   *
   * @param matchShare the estimated share of candidate pairs that are the same person
   * @param converged whether the parameters stopped moving (by {@link #TOLERANCE}) before {@link
   *     #MAX_ITERATIONS}
   */
  public record Result(
      MatchModel model,
      double matchShare,
      int iterations,
      boolean converged,
      long candidatePairs,
      long randomPairs) {}

  /**
   * Fits m (and u, without {@code random}) to the candidate pairs' patterns.
   *
   * @param start the starting point, whose fields, levels and thresholds the fit keeps
   * @param candidates the patterns of the candidate pairs blocking produced
   * @param random patterns of random record pairs, for u; null to estimate u by EM too
   * @param version the fitted model's version (recorded on every link it makes)
   */
  public static Result fit(MatchModel start, Patterns candidates, Patterns random, String version) {
    if (candidates.total() == 0) {
      throw new IllegalArgumentException("no candidate pairs to fit on");
    }
    Field[] fields = Field.values();
    List<List<Level>> levelsOf = new ArrayList<>();
    double[][] m = new double[fields.length][];
    double[][] u = new double[fields.length][];
    for (int f = 0; f < fields.length; f++) {
      List<Level> levels = new ArrayList<>(start.mu().get(fields[f]).keySet());
      levelsOf.add(levels);
      m[f] = new double[levels.size()];
      u[f] = new double[levels.size()];
      for (int l = 0; l < levels.size(); l++) {
        m[f][l] = start.m(fields[f], levels.get(l));
        u[f][l] = start.u(fields[f], levels.get(l));
      }
    }
    int[][] pattern = indexed(candidates, fields, levelsOf);
    double[] count = new double[pattern.length];
    int i = 0;
    for (long c : candidates.counts().values()) {
      count[i++] = c;
    }
    boolean fixedU = random != null && random.total() > 0;
    if (fixedU) {
      int[][] rp = indexed(random, fields, levelsOf);
      double[] rc = new double[rp.length];
      int j = 0;
      for (long c : random.counts().values()) {
        rc[j++] = c;
      }
      for (int f = 0; f < fields.length; f++) {
        u[f] = shares(rp, rc, null, f, levelsOf.get(f).size(), U_FLOOR);
      }
    }
    double lambda = START_MATCH_SHARE;
    double[] g = new double[pattern.length];
    int iteration = 0;
    boolean converged = false;
    while (iteration < MAX_ITERATIONS && !converged) {
      iteration++;
      double matches = 0;
      double all = 0;
      for (int p = 0; p < pattern.length; p++) {
        double logM = Math.log(lambda);
        double logU = Math.log(1 - lambda);
        for (int f = 0; f < fields.length; f++) {
          int l = pattern[p][f];
          if (l >= 0) {
            logM += Math.log(m[f][l]);
            logU += Math.log(u[f][l]);
          }
        }
        g[p] = 1 / (1 + Math.exp(logU - logM));
        matches += count[p] * g[p];
        all += count[p];
      }
      double change = Math.abs(matches / all - lambda);
      lambda = clamp(matches / all);
      for (int f = 0; f < fields.length; f++) {
        double[] nm = shares(pattern, count, g, f, levelsOf.get(f).size(), M_FLOOR);
        change = Math.max(change, maxDifference(m[f], nm));
        m[f] = nm;
        if (!fixedU) {
          double[] notG = new double[g.length];
          for (int p = 0; p < g.length; p++) {
            notG[p] = 1 - g[p];
          }
          double[] nu = shares(pattern, count, notG, f, levelsOf.get(f).size(), U_FLOOR);
          change = Math.max(change, maxDifference(u[f], nu));
          u[f] = nu;
        }
      }
      converged = change < TOLERANCE;
    }
    Map<Field, Map<Level, double[]>> mu = new EnumMap<>(Field.class);
    for (int f = 0; f < fields.length; f++) {
      Map<Level, double[]> levels = new EnumMap<>(Level.class);
      for (int l = 0; l < levelsOf.get(f).size(); l++) {
        levels.put(levelsOf.get(f).get(l), new double[] {m[f][l], u[f][l]});
      }
      mu.put(fields[f], levels);
    }
    return new Result(
        new MatchModel(version, mu, start.linkThreshold(), start.possibleThreshold()),
        lambda,
        iteration,
        converged,
        candidates.total(),
        fixedU ? random.total() : 0);
  }

  /**
   * Splink's route: u from random pairs, and m by EM separately on the pairs each blocking pass
   * finds, with the fields that pass blocks on left out (already set to {@link Level#MISSING} in
   * its patterns): inside a pass every pair agrees on them, so they would make every pair look like
   * a match. A field's m is the mean of its estimates over the passes that leave it free.
   *
   * @param byPass each pass's candidate patterns, its blocked fields missing
   * @param random patterns of random record pairs, for u
   */
  public static Result fitByPass(
      MatchModel start, Map<String, Patterns> byPass, Patterns random, String version) {
    if (random == null || random.total() == 0) {
      throw new IllegalArgumentException("fitting by pass needs random pairs for u");
    }
    Map<Field, Map<Level, double[]>> sums = new EnumMap<>(Field.class);
    Map<Field, Integer> estimates = new EnumMap<>(Field.class);
    long candidates = 0;
    int iterations = 0;
    boolean converged = true;
    double matchShare = 0;
    MatchModel fixedU = null;
    for (Map.Entry<String, Patterns> pass : byPass.entrySet()) {
      if (pass.getValue().total() == 0) {
        continue;
      }
      Result r = fit(start, pass.getValue(), random, version);
      fixedU = r.model();
      candidates += r.candidatePairs();
      iterations = Math.max(iterations, r.iterations());
      converged &= r.converged();
      matchShare += r.matchShare() * r.candidatePairs();
      for (Field f : Field.values()) {
        if (!observed(pass.getValue(), f)) {
          continue;
        }
        estimates.merge(f, 1, Integer::sum);
        Map<Level, double[]> s = sums.computeIfAbsent(f, x -> new EnumMap<>(Level.class));
        for (Level l : start.mu().get(f).keySet()) {
          s.computeIfAbsent(l, x -> new double[1])[0] += r.model().m(f, l);
        }
      }
    }
    if (fixedU == null) {
      throw new IllegalArgumentException("no candidate pairs to fit on");
    }
    Map<Field, Map<Level, double[]>> mu = new EnumMap<>(Field.class);
    for (Field f : Field.values()) {
      Map<Level, double[]> levels = new EnumMap<>(Level.class);
      for (Level l : start.mu().get(f).keySet()) {
        double m =
            estimates.containsKey(f)
                ? sums.get(f).get(l)[0] / estimates.get(f)
                : start.m(f, l); // no pass leaves the field free: keep the prior's
        levels.put(l, new double[] {m, fixedU.u(f, l)});
      }
      mu.put(f, levels);
    }
    return new Result(
        new MatchModel(version, mu, start.linkThreshold(), start.possibleThreshold()),
        matchShare / candidates,
        iterations,
        converged,
        candidates,
        random.total());
  }

  private static boolean observed(Patterns patterns, Field field) {
    for (Map<Field, Level> p : patterns.counts().keySet()) {
      if (p.getOrDefault(field, Level.MISSING) != Level.MISSING) {
        return true;
      }
    }
    return false;
  }

  /** Each pattern as the index of each field's level (-1: missing, or a level the model lacks). */
  private static int[][] indexed(Patterns patterns, Field[] fields, List<List<Level>> levelsOf) {
    int[][] out = new int[patterns.counts().size()][fields.length];
    int p = 0;
    for (Map<Field, Level> levels : patterns.counts().keySet()) {
      for (int f = 0; f < fields.length; f++) {
        Level level = levels.getOrDefault(fields[f], Level.MISSING);
        out[p][f] = level == Level.MISSING ? -1 : levelsOf.get(f).indexOf(level);
      }
      p++;
    }
    return out;
  }

  /**
   * Weighted share of each level of field {@code f} among patterns where it is not missing, each at
   * least {@code floor}, summing to 1. {@code weight} null: every pattern weighs 1.
   */
  private static double[] shares(
      int[][] pattern, double[] count, double[] weight, int f, int levels, double floor) {
    double[] s = new double[levels];
    double total = 0;
    for (int p = 0; p < pattern.length; p++) {
      int l = pattern[p][f];
      if (l >= 0) {
        double w = count[p] * (weight == null ? 1 : weight[p]);
        s[l] += w;
        total += w;
      }
    }
    double sum = 0;
    for (int l = 0; l < levels; l++) {
      s[l] = Math.max(floor, total == 0 ? 1.0 / levels : s[l] / total);
      sum += s[l];
    }
    for (int l = 0; l < levels; l++) {
      s[l] /= sum;
    }
    return s;
  }

  private static double maxDifference(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  private static double clamp(double lambda) {
    return Math.min(1 - 1e-6, Math.max(1e-6, lambda));
  }
}
