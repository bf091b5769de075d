package uk.familylink.domain.statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import uk.familylink.domain.need.Need;

/** Hand-made release inputs with small counts in awkward places. */
public final class StatisticsInputs {

  private StatisticsInputs() {}

  /** A county-sized population: most cells large, a few small ones in every table. */
  public static StatisticsInput county() {
    long[][] byCount = {
      {900, 410},
      {640, 300},
      {420, 150},
      {260, 70},
      {120, 22},
      {47, 9},
      {18, 3},
      {4, 1},
      {2, 0},
      {0, 0},
      {0, 0}
    };
    List<StatisticsInput.NeedCount> counts = new ArrayList<>();
    for (int n = 0; n < byCount.length; n++) {
      counts.add(new StatisticsInput.NeedCount(n, byCount[n][0], byCount[n][1]));
    }
    Map<Need, StatisticsInput.EligibilitySplit> byNeed = new EnumMap<>(Need.class);
    Map<Need, Map<String, Long>> byDataset = new EnumMap<>(Need.class);
    long[][] split = {
      {380, 900},
      {60, 120},
      {250, 700},
      {3, 40},
      {140, 320},
      {210, 260},
      {300, 410},
      {150, 190},
      {120, 260},
      {200, 380}
    };
    Need[] needs = Need.values();
    for (int i = 0; i < needs.length; i++) {
      byNeed.put(needs[i], new StatisticsInput.EligibilitySplit(split[i][0], split[i][1]));
    }
    byDataset.put(Need.EDUCATION, datasets("school-attendance", 1200L, "early-help", 4L));
    byDataset.put(Need.EARLY_YEARS, datasets("health", 180L));
    byDataset.put(Need.HEALTH, datasets("health", 950L));
    byDataset.put(Need.SUBSTANCE_USE, datasets("health", 40L, "police-incidents", 3L));
    byDataset.put(Need.FAMILY_RELATIONSHIPS, datasets("early-help", 460L));
    byDataset.put(Need.CHILD_SAFETY, datasets("social-care", 440L, "police-incidents", 30L));
    byDataset.put(Need.CRIME, datasets("police-incidents", 710L));
    byDataset.put(Need.DOMESTIC_ABUSE, datasets("police-incidents", 340L));
    byDataset.put(Need.HOUSING, datasets("housing", 380L));
    byDataset.put(Need.FINANCIAL_STABILITY, datasets("dwp-benefits", 580L));
    return new StatisticsInput(
        LocalDate.of(2026, 12, 31), 3, counts, byNeed, byDataset, List.of(), List.of(), List.of());
  }

  /** The county with evaluation tables filled, as the outcomes work will feed them. */
  public static StatisticsInput countyWithEvaluation() {
    return county()
        .withEvaluation(
            List.of(
                new StatisticsInput.OutcomeCount(Need.EDUCATION, 120, 70),
                new StatisticsInput.OutcomeCount(Need.HEALTH, 95, 41),
                new StatisticsInput.OutcomeCount(Need.CRIME, 60, 4),
                new StatisticsInput.OutcomeCount(Need.HOUSING, 33, 29)),
            List.of(
                new StatisticsInput.ReReferralCount("2026-Q1", 210, 38),
                new StatisticsInput.ReReferralCount("2026-Q2", 190, 3),
                new StatisticsInput.ReReferralCount("2026-Q3", 240, 41),
                new StatisticsInput.ReReferralCount("2026-Q4", 205, 36)),
            List.of(
                new StatisticsInput.EffectCount("OFFENDING", 300, 90, 60),
                new StatisticsInput.EffectCount("UNAUTHORISED_ABSENCE", 300, 140, 97),
                new StatisticsInput.EffectCount("OUT_OF_WORK", 300, 120, 115)));
  }

  private static Map<String, Long> datasets(Object... pairs) {
    Map<String, Long> map = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Long) pairs[i + 1]);
    }
    return map;
  }
}
