package uk.familylink.domain.family;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;

/**
 * Family needs profiles for the whole live population, derived on read from persons, records and
 * memberships. Deriving rather than maintaining them at write time keeps them right across person
 * merges and corrected re-uploads without cross-item transactions on the ingest path.
 */
public record PopulationProfile(long persons, List<FamilyProfile> families) {

  public static PopulationProfile build(
      LinkedDataReader reader, Instant now, EligibilityRule rule) {
    LocalDate asOf = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Map<PersonId, PersonId> mergedInto = new HashMap<>();
    long[] active = {0};
    reader.forEachPerson(
        now,
        p -> {
          if (p.isActive()) {
            active[0]++;
          } else {
            mergedInto.put(p.id(), p.mergedInto());
          }
        });
    Map<PersonId, List<LinkedRecord>> recordsByPerson = new HashMap<>();
    reader.forEachRecord(
        now,
        r ->
            recordsByPerson
                .computeIfAbsent(survivor(r.person(), mergedInto), k -> new ArrayList<>())
                .add(r));
    Map<FamilyKey, Set<PersonId>> members = new LinkedHashMap<>();
    reader.forEachMembership(
        now,
        m ->
            members
                .computeIfAbsent(m.family(), k -> new TreeSet<>())
                .add(survivor(m.person(), mergedInto)));

    List<FamilyProfile> profiles = new ArrayList<>(members.size());
    for (Map.Entry<FamilyKey, Set<PersonId>> family :
        groupHouseholdsWithFamilies(members).entrySet()) {
      Map<Need, Set<String>> evidence = new EnumMap<>(Need.class);
      boolean dependentChild = false;
      boolean expectant = false;
      for (PersonId person : family.getValue()) {
        List<LinkedRecord> records = recordsByPerson.getOrDefault(person, List.of());
        String birthYearMonth = null;
        boolean inEducation = false;
        for (LinkedRecord record : records) {
          for (Need need : record.indicators()) {
            evidence.computeIfAbsent(need, n -> new TreeSet<>()).add(record.dataset());
          }
          expectant |= record.expectantParent();
          inEducation |= rule.educationDatasets().contains(record.dataset());
          if (birthYearMonth == null) {
            birthYearMonth = record.birthYearMonth();
          }
        }
        dependentChild |= rule.isDependentChild(birthYearMonth, inEducation, asOf);
      }
      boolean eligible = (dependentChild || expectant) && evidence.size() >= rule.minimumNeeds();
      profiles.add(
          new FamilyProfile(
              family.getKey(), family.getValue(), evidence, dependentChild, expectant, eligible));
    }
    return new PopulationProfile(active[0], profiles);
  }

  /**
   * A household reference (housing) and a family reference (Early Help, social care) often name the
   * same family. Each household joins the family it shares most members with; a household sharing
   * no one with a family stands as a family of its own. Two family references never merge: a person
   * may belong to more than one family over time.
   */
  static Map<FamilyKey, Set<PersonId>> groupHouseholdsWithFamilies(
      Map<FamilyKey, Set<PersonId>> members) {
    Map<FamilyKey, Set<PersonId>> grouped = new LinkedHashMap<>();
    Map<PersonId, List<FamilyKey>> familiesOfPerson = new HashMap<>();
    members.forEach(
        (key, people) -> {
          if (PRIMARY_KIND.equals(key.kind())) {
            grouped.put(key, new TreeSet<>(people));
            people.forEach(
                p -> familiesOfPerson.computeIfAbsent(p, x -> new ArrayList<>()).add(key));
          }
        });
    members.forEach(
        (key, people) -> {
          if (PRIMARY_KIND.equals(key.kind())) {
            return;
          }
          Map<FamilyKey, Integer> overlap = new HashMap<>();
          for (PersonId p : people) {
            for (FamilyKey family : familiesOfPerson.getOrDefault(p, List.of())) {
              overlap.merge(family, 1, Integer::sum);
            }
          }
          FamilyKey best =
              overlap.entrySet().stream()
                  .max(
                      Map.Entry.<FamilyKey, Integer>comparingByValue()
                          .thenComparing(
                              e -> e.getKey().token(), java.util.Comparator.reverseOrder()))
                  .map(Map.Entry::getKey)
                  .orElse(null);
          if (best == null) {
            grouped.put(key, new TreeSet<>(people));
          } else {
            grouped.get(best).addAll(people);
          }
        });
    return grouped;
  }

  private static final String PRIMARY_KIND = "FAMILY_REF";

  private static PersonId survivor(PersonId id, Map<PersonId, PersonId> mergedInto) {
    PersonId current = id;
    Set<PersonId> seen = new HashSet<>();
    while (mergedInto.containsKey(current) && seen.add(current)) {
      current = mergedInto.get(current);
    }
    return current;
  }

  public long eligibleFamilies() {
    return families.stream().filter(FamilyProfile::eligible).count();
  }

  /** Families evidencing each need (every need present, zero when none). */
  public Map<Need, Long> familiesByNeed() {
    Map<Need, Long> counts = new EnumMap<>(Need.class);
    for (Need need : Need.values()) {
      counts.put(need, 0L);
    }
    for (FamilyProfile f : families) {
      f.evidence().keySet().forEach(n -> counts.merge(n, 1L, Long::sum));
    }
    return counts;
  }
}
