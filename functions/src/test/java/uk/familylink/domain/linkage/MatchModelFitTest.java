package uk.familylink.domain.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.MatchModel.Field;
import uk.familylink.domain.linkage.MatchModel.Level;

/**
 * EM without ground truth: pairs are drawn from a known mixture (match share, m and u per field),
 * and the fit, started from the prior, must find the parameters that drew them.
 */
class MatchModelFitTest {

  /** The truth: m and u unlike the prior's, so a fit that stays at its start fails. */
  private static MatchModel truth() {
    Map<Field, Map<Level, double[]>> mu = new EnumMap<>(Field.class);
    for (Field f : Field.values()) {
      Map<Level, double[]> levels = new EnumMap<>(Level.class);
      List<Level> ls = new ArrayList<>(MatchModel.prior().mu().get(f).keySet());
      for (Level l : ls) {
        boolean agree = l == Level.EXACT;
        boolean differ = l == Level.DIFFERENT;
        double others = ls.size() - 2;
        levels.put(
            l,
            new double[] {
              agree ? 0.7 : differ ? 0.1 : 0.2 / others, agree ? 0.05 : differ ? 0.9 : 0.05 / others
            });
      }
      mu.put(f, levels);
    }
    return new MatchModel("truth", mu, 17, 11);
  }

  private static Level draw(Map<Level, double[]> levels, int which, SplittableRandom random) {
    double x = random.nextDouble();
    Level last = null;
    for (var e : levels.entrySet()) {
      last = e.getKey();
      x -= e.getValue()[which];
      if (x < 0) {
        return e.getKey();
      }
    }
    return last;
  }

  /** Pairs from the truth: a share {@code lambda} are matches; a share of random pairs too. */
  private static MatchModelFit.Patterns pairs(double lambda, int n, long seed) {
    MatchModel truth = truth();
    SplittableRandom random = new SplittableRandom(seed);
    MatchModelFit.Patterns patterns = new MatchModelFit.Patterns();
    for (int i = 0; i < n; i++) {
      int which = random.nextDouble() < lambda ? 0 : 1;
      Map<Field, Level> levels = new EnumMap<>(Field.class);
      for (Field f : Field.values()) {
        levels.put(f, draw(truth.mu().get(f), which, random));
      }
      patterns.add(levels);
    }
    return patterns;
  }

  @Test
  void emAloneRecoversTheMatchShareAndMAndUOfAKnownMixture() {
    MatchModelFit.Result fit =
        MatchModelFit.fit(MatchModel.prior(), pairs(0.3, 40_000, 1), null, "fs-test");

    assertThat(fit.converged()).isTrue();
    assertThat(fit.matchShare()).isCloseTo(0.3, within(0.02));
    for (Field f : Field.values()) {
      assertThat(fit.model().m(f, Level.EXACT)).as("m %s", f).isCloseTo(0.7, within(0.03));
      assertThat(fit.model().u(f, Level.EXACT)).as("u %s", f).isCloseTo(0.05, within(0.02));
      assertThat(fit.model().m(f, Level.DIFFERENT)).isCloseTo(0.1, within(0.03));
    }
    assertThat(fit.model().version()).isEqualTo("fs-test");
    assertThat(fit.model().linkThreshold()).isEqualTo(MatchModel.prior().linkThreshold());
  }

  @Test
  void withUFromRandomPairsEmFitsMOnly() {
    // random pairs: almost all different persons (a share of 0.001 the same)
    MatchModelFit.Result fit =
        MatchModelFit.fit(
            MatchModel.prior(), pairs(0.3, 40_000, 2), pairs(0.001, 100_000, 3), "fs-test");

    assertThat(fit.randomPairs()).isEqualTo(100_000);
    assertThat(fit.matchShare()).isCloseTo(0.3, within(0.02));
    for (Field f : Field.values()) {
      assertThat(fit.model().u(f, Level.EXACT)).isCloseTo(0.05, within(0.005));
      assertThat(fit.model().m(f, Level.EXACT)).isCloseTo(0.7, within(0.03));
    }
  }

  @Test
  void aLevelTheDataNeverShowsKeepsAFiniteWeight() {
    MatchModelFit.Patterns patterns = new MatchModelFit.Patterns();
    Map<Field, Level> same = new EnumMap<>(Field.class);
    Map<Field, Level> other = new EnumMap<>(Field.class);
    for (Field f : Field.values()) {
      same.put(f, Level.EXACT);
      other.put(f, Level.DIFFERENT);
    }
    for (int i = 0; i < 100; i++) {
      patterns.add(same);
      patterns.add(other);
      patterns.add(other);
    }
    MatchModel fitted = MatchModelFit.fit(MatchModel.prior(), patterns, null, "x").model();

    assertThat(fitted.m(Field.DATE_OF_BIRTH, Level.SWAPPED))
        .isGreaterThanOrEqualTo(MatchModelFit.M_FLOOR * 0.99);
    assertThat(fitted.u(Field.DATE_OF_BIRTH, Level.SWAPPED))
        .isGreaterThanOrEqualTo(MatchModelFit.U_FLOOR * 0.99);
    assertThat(Double.isFinite(fitted.weight(Field.DATE_OF_BIRTH, Level.SWAPPED))).isTrue();
  }

  @Test
  void byPassLeavesEachPassesBlockedFieldsToThePassesThatDoNotBlockOnThem() {
    // pass A blocks on the date of birth (missing in its patterns), pass B on both names
    MatchModelFit.Patterns a = new MatchModelFit.Patterns();
    MatchModelFit.Patterns b = new MatchModelFit.Patterns();
    for (var p : pairs(0.3, 20_000, 4).counts().entrySet()) {
      for (long i = 0; i < p.getValue(); i++) {
        Map<Field, Level> la = new EnumMap<>(p.getKey());
        la.put(Field.DATE_OF_BIRTH, Level.MISSING);
        a.add(la);
        Map<Field, Level> lb = new EnumMap<>(p.getKey());
        lb.put(Field.GIVEN_NAME, Level.MISSING);
        lb.put(Field.FAMILY_NAME, Level.MISSING);
        b.add(lb);
      }
    }
    MatchModelFit.Result fit =
        MatchModelFit.fitByPass(
            MatchModel.prior(), Map.of("A", a, "B", b), pairs(0.001, 100_000, 5), "fs-test");

    for (Field f : Field.values()) {
      assertThat(fit.model().m(f, Level.EXACT)).as("m %s", f).isCloseTo(0.7, within(0.04));
    }
    assertThatThrownBy(
            () -> MatchModelFit.fitByPass(MatchModel.prior(), Map.of("A", a), null, "fs-test"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aModelSurvivesJsonAndTheShippedOneIsValid() {
    MatchModel prior = MatchModel.prior();
    MatchModel back = MatchModel.fromJson(prior.toJson().getBytes(StandardCharsets.UTF_8));

    assertThat(back.version()).isEqualTo(prior.version());
    assertThat(back.linkThreshold()).isEqualTo(prior.linkThreshold());
    for (Field f : Field.values()) {
      for (Level l : prior.mu().get(f).keySet()) {
        assertThat(back.weight(f, l)).isEqualTo(prior.weight(f, l));
      }
    }
    MatchModel shipped = MatchModel.shipped();
    for (Field f : Field.values()) {
      assertThat(shipped.mu().get(f).keySet()).isEqualTo(prior.mu().get(f).keySet());
    }
    assertThatThrownBy(
            () -> MatchModel.fromJson("{\"version\":\"v\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
