package uk.familylink.domain.linkage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Household corroboration (tier 3): the evidence that lets "same names and birth date elsewhere"
 * link when a family has moved. Two records of one extract at one postcode unit (co-residents in
 * that file) whose names and birth dates match two <em>different</em> stored persons who were
 * themselves seen at one postcode unit together are a household that moved (or that one partner
 * holds at its old address), not two coincidences: a stranger who shares a name and birth date with
 * someone does not also live with a namesake of that person's household member.
 *
 * <p>Pure: it sees keyed postcode tokens and pseudonymous person IDs only. Rules it keeps:
 *
 * <ul>
 *   <li>A record's own match is never its corroboration: the other record must match another
 *       person.
 *   <li>The shared place of the two persons must be another place than the records' (at the
 *       records' own postcode nothing is "elsewhere" and no corroboration is needed).
 *   <li>It only lifts the elsewhere rule: the twins rule and every weight still apply.
 * </ul>
 */
public final class HouseholdEvidence {

  private HouseholdEvidence() {}

  /**
   * One record of the chunk: its postcode unit token (0 when it has none), the households it is in
   * within its file (keyed tokens: its postcode unit, its family reference), and, for each stored
   * person whose names and birth date it matches (a link but for where they live), the postcode
   * unit tokens that person was seen at.
   */
  public record RowMatches(
      long residence, Set<String> households, Map<PersonId, Set<Long>> placesByPerson) {

    public static final RowMatches NONE = new RowMatches(0, Set.of(), Map.of());
  }

  /**
   * The persons each record's household corroborates, by the record's position; records without
   * corroboration are absent.
   */
  public static Map<Integer, Set<PersonId>> corroborated(List<RowMatches> rows) {
    Map<String, List<Integer>> byHousehold = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      RowMatches r = rows.get(i);
      if (!r.placesByPerson().isEmpty()) {
        for (String household : r.households()) {
          byHousehold.computeIfAbsent(household, k -> new ArrayList<>()).add(i);
        }
      }
    }
    Map<Integer, Set<PersonId>> out = new HashMap<>();
    for (List<Integer> household : byHousehold.values()) {
      if (household.size() < 2) {
        continue;
      }
      for (int i : household) {
        RowMatches row = rows.get(i);
        for (Map.Entry<PersonId, Set<Long>> match : row.placesByPerson().entrySet()) {
          if (livedWithAMatchOfAnother(rows, household, i, match.getKey(), match.getValue())) {
            out.computeIfAbsent(i, k -> new HashSet<>()).add(match.getKey());
          }
        }
      }
    }
    return out;
  }

  /**
   * Across files: a record at {@code here} matches {@code person} (seen at {@code places}) but for
   * where they live; someone else who lived in the same dwelling as that person at one of those
   * places (the same address line, or the same family or household reference) has been seen {@code
   * here} too, so the household is known to have moved here. A neighbour at the same postcode unit
   * is not enough (a unit holds several households), and a namesake stranger would need a former
   * household member of that person living with them as well: a second coincidence.
   *
   * @param seenAt for each postcode unit token, the persons (survivors) seen there and the
   *     dwellings (keyed address-line tokens or family ids; 0 unknown) they were seen in
   */
  public static boolean movedWith(
      PersonId person, Set<Long> places, long here, Map<Long, Map<PersonId, Set<Long>>> seenAt) {
    Map<PersonId, Set<Long>> hereNow = seenAt.getOrDefault(here, Map.of());
    for (PersonId other : coResidents(person, places, here, seenAt)) {
      if (hereNow.containsKey(other)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The persons (other than {@code person}) seen in the same dwelling as {@code person} at one of
   * its {@code places} other than {@code here}: its former household.
   */
  public static Set<PersonId> coResidents(
      PersonId person, Set<Long> places, long here, Map<Long, Map<PersonId, Set<Long>>> seenAt) {
    Set<PersonId> out = new HashSet<>();
    for (long place : places) {
      if (place == 0 || place == here) {
        continue;
      }
      Map<PersonId, Set<Long>> there = seenAt.getOrDefault(place, Map.of());
      Set<Long> dwellings = new HashSet<>(there.getOrDefault(person, Set.of()));
      dwellings.remove(0L);
      if (dwellings.isEmpty()) {
        continue;
      }
      for (Map.Entry<PersonId, Set<Long>> other : there.entrySet()) {
        if (!other.getKey().equals(person)
            && other.getValue().stream().anyMatch(dwellings::contains)) {
          out.add(other.getKey());
        }
      }
    }
    return out;
  }

  private static boolean livedWithAMatchOfAnother(
      List<RowMatches> rows, List<Integer> household, int self, PersonId person, Set<Long> places) {
    long here = rows.get(self).residence();
    for (int j : household) {
      if (j == self) {
        continue;
      }
      for (Map.Entry<PersonId, Set<Long>> other : rows.get(j).placesByPerson().entrySet()) {
        if (other.getKey().equals(person)) {
          continue;
        }
        for (long place : other.getValue()) {
          if (place != 0 && place != here && places.contains(place)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
