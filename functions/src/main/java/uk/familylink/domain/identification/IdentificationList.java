package uk.familylink.domain.identification;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.FamilyHistory;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.need.Need;

/**
 * The identification list: every family the eligibility rule ({@link EligibilityRule}, applied by
 * {@code PopulationProfile}) marks eligible, with its evidence trail and the date it first met the
 * rule. Families are named by their keyed pseudonymous ID only; references the council's teams can
 * act on reach only the partner that sent them ({@link CaseloadAnswer}). Evidence carries the
 * contract version whose indicator rules are in force now (rows keep no version of their own).
 */
public record IdentificationList(
    LocalDate asOf, Set<String> datasets, EligibilityRule rule, List<IdentifiedFamily> families) {

  public static IdentificationList of(
      List<FamilyHistory> population,
      LocalDate asOf,
      EligibilityRule rule,
      Map<String, Integer> contractVersions) {
    List<IdentifiedFamily> families = new ArrayList<>();
    Set<String> datasets = new TreeSet<>();
    for (FamilyHistory family : population) {
      List<LinkedRecord> records = family.records();
      records.forEach(r -> datasets.add(r.dataset()));
      if (!family.profile().eligible()) {
        continue;
      }
      List<IdentifiedFamily.Evidence> trail = new ArrayList<>();
      for (LinkedRecord r : records) {
        for (Need need : r.indicators()) {
          trail.add(
              new IdentifiedFamily.Evidence(
                  need, r.dataset(), contractVersions.getOrDefault(r.dataset(), 0), r.eventDate()));
        }
      }
      trail.sort(
          Comparator.comparing(
                  IdentifiedFamily.Evidence::eventDate,
                  Comparator.nullsLast(Comparator.naturalOrder()))
              .thenComparing(IdentifiedFamily.Evidence::need)
              .thenComparing(IdentifiedFamily.Evidence::dataset));
      families.add(
          new IdentifiedFamily(
              family.profile().family().asString(),
              firstMet(trail, rule.minimumNeeds()),
              Set.copyOf(family.profile().evidence().keySet()),
              family.profile().hasDependentChild(),
              family.profile().hasExpectantParent(),
              List.copyOf(trail)));
    }
    families.sort(Comparator.comparing(IdentifiedFamily::familyId));
    return new IdentificationList(asOf, Set.copyOf(datasets), rule, List.copyOf(families));
  }

  /**
   * The first event date on which the family had evidence of at least {@code threshold} distinct
   * needs (evidence on that day included). Needs evidenced on the same day count together.
   */
  static LocalDate firstMet(List<IdentifiedFamily.Evidence> trailByDate, int threshold) {
    Set<Need> seen = EnumSet.noneOf(Need.class);
    for (IdentifiedFamily.Evidence e : trailByDate) {
      if (e.eventDate() == null) {
        return null;
      }
      seen.add(e.need());
      if (seen.size() >= threshold) {
        return e.eventDate();
      }
    }
    return null;
  }
}
