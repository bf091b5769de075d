package uk.familylink.domain.family;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * Supporting Families eligibility (guidance chapter 4): a family with a dependent child or an
 * expectant parent, showing at least {@code minimumNeeds} of the headline needs. Both rules are
 * configurable because they have changed between phases of the programme.
 *
 * @param minimumNeeds needs a family must show (3 now; earlier phases used 2 of 6)
 * @param dependentMaxAge a child is dependent up to and including this age (15)
 * @param educationMaxAge ... or up to this age when in education or training (18)
 * @param educationDatasets datasets whose records show a person is in education or training
 */
public record EligibilityRule(
    int minimumNeeds, int dependentMaxAge, int educationMaxAge, Set<String> educationDatasets) {

  public static EligibilityRule supportingFamilies2022() {
    return new EligibilityRule(3, 15, 18, Set.of("school-attendance"));
  }

  /**
   * Age in whole years on {@code asOf} for someone born in {@code birthYearMonth}. Only the month
   * is kept, so the birthday is taken as the first of the month (at most one month early).
   */
  public static int age(String birthYearMonth, LocalDate asOf) {
    LocalDate born = YearMonth.parse(birthYearMonth).atDay(1);
    return (int) ChronoUnit.YEARS.between(born, asOf);
  }

  public boolean isDependentChild(String birthYearMonth, boolean inEducation, LocalDate asOf) {
    if (birthYearMonth == null) {
      return false;
    }
    int age = age(birthYearMonth, asOf);
    return age >= 0 && (age <= dependentMaxAge || (inEducation && age <= educationMaxAge));
  }
}
