package uk.familylink.local.population;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Applies the row-level {@link LinkageErrors} to one extract row, before the tidiness {@link
 * Imperfections} (which then may reformat what this wrote). Works on the row's column values by the
 * shared column names (given_name, family_name, date_of_birth, postcode, nhs_number). Each error
 * kind returns its ground-truth label.
 */
final class RowErrors {

  /** Nicknames by formal name: what a partner may write for a person the generator names. */
  static final Map<String, List<String>> NICKNAMES =
      Map.ofEntries(
          Map.entry("William", List.of("Bill", "Will", "Billy")),
          Map.entry("James", List.of("Jim", "Jamie", "Jimmy")),
          Map.entry("Thomas", List.of("Tom", "Tommy")),
          Map.entry("Joseph", List.of("Joe", "Joey")),
          Map.entry("Daniel", List.of("Dan", "Danny")),
          Map.entry("Samuel", List.of("Sam", "Sammy")),
          Map.entry("Alexander", List.of("Alex", "Sandy")),
          Map.entry("Edward", List.of("Ed", "Eddie", "Ted")),
          Map.entry("Joshua", List.of("Josh")),
          Map.entry("Jacob", List.of("Jake")),
          Map.entry("Henry", List.of("Harry", "Hal")),
          Map.entry("Oliver", List.of("Ollie")),
          Map.entry("Charlie", List.of("Charles", "Chaz")),
          Map.entry("Freddie", List.of("Fred", "Frederick")),
          Map.entry("Alfie", List.of("Alfred", "Alf")),
          Map.entry("Archie", List.of("Archibald")),
          Map.entry("Lucas", List.of("Luke")),
          Map.entry("Isabella", List.of("Bella", "Izzy", "Isabel")),
          Map.entry("Olivia", List.of("Liv", "Livvy")),
          Map.entry("Amelia", List.of("Millie", "Amy")),
          Map.entry("Jessica", List.of("Jess", "Jessie")),
          Map.entry("Megan", List.of("Meg")),
          Map.entry("Emily", List.of("Em", "Emmy")),
          Map.entry("Evie", List.of("Eve", "Evelyn")),
          Map.entry("Sophie", List.of("Sophia", "Soph")),
          Map.entry("Gwen", List.of("Gwendolyn")),
          Map.entry("Ella", List.of("Eleanor", "Ellie")),
          Map.entry("Mohammed", List.of("Mo", "Muhammad")),
          Map.entry("Muhammad", List.of("Mo", "Mohammed")),
          Map.entry("Max", List.of("Maxwell", "Maximilian")),
          Map.entry("Isaac", List.of("Ike", "Zac")));

  private final LinkageErrors rates;

  RowErrors(LinkageErrors rates) {
    this.rates = rates;
  }

  List<String> apply(
      Map<String, String> v,
      Person person,
      Family family,
      LocalDate today,
      SplittableRandom random) {
    List<String> labels = new ArrayList<>(1);
    if (rates.isNone()) {
      return labels;
    }
    String given = v.get("given_name");
    String surname = v.get("family_name");
    if (given != null && random.nextDouble() < rates.nickname()) {
      List<String> nicks = NICKNAMES.get(given);
      if (nicks != null) {
        v.put("given_name", PopulationGenerator.pick(random, nicks));
        labels.add("nickname");
      }
    }
    if (surname != null
        && (surname.indexOf('-') > 0 || surname.indexOf(' ') > 0)
        && random.nextDouble() < rates.doubleBarrelHalf()) {
      String[] halves = surname.split("[- ]", 2);
      v.put("family_name", halves[random.nextInt(2)]);
      labels.add("double_barrel_half");
    }
    if (person.role() == Role.ADULT && random.nextDouble() < rates.marriedName()) {
      // the same other surname for the same person in every row: a maiden or married name
      SplittableRandom own =
          new SplittableRandom(person.personId().hashCode() * 0x9E3779B97F4A7C15L);
      String other = PopulationGenerator.pick(own, Names.FAMILY);
      if (!other.equals(person.familyName())) {
        v.put("family_name", other);
        labels.add("married_name");
      }
    }
    if (given != null && surname != null && random.nextDouble() < rates.nameOrderSwap()) {
      String g = v.get("given_name");
      v.put("given_name", v.get("family_name"));
      v.put("family_name", g);
      labels.add("name_order_swap");
    }
    String dob = v.get("date_of_birth");
    if (dob != null && !dob.isEmpty()) {
      LocalDate date = LocalDate.parse(dob);
      if (random.nextDouble() < rates.dobYear()) {
        LocalDate shifted = date.plusYears(random.nextBoolean() ? 1 : -1);
        if (!shifted.isAfter(today.minusDays(1))) {
          v.put("date_of_birth", shifted.toString());
          labels.add("dob_year");
        }
      }
      if (random.nextDouble() < rates.dobDayMonthSwap()
          && date.getDayOfMonth() <= 12
          && date.getDayOfMonth() != date.getMonthValue()) {
        try {
          LocalDate swapped =
              LocalDate.of(
                  LocalDate.parse(v.get("date_of_birth")).getYear(),
                  date.getDayOfMonth(),
                  date.getMonthValue());
          if (!swapped.isAfter(today.minusDays(1))) {
            v.put("date_of_birth", swapped.toString());
            labels.add("dob_day_month_swap");
          }
        } catch (DateTimeException impossible) {
          // not every swap is a date; leave the row as it was
        }
      }
    }
    if (v.get("postcode") != null && random.nextDouble() < rates.moved()) {
      String moved = PopulationGenerator.postcode(random);
      v.put("postcode", moved);
      if (v.get("address_line") != null) {
        v.put("address_line", PopulationGenerator.addressLine(family.index(), moved));
      }
      labels.add("moved");
    }
    String nhs = v.get("nhs_number");
    if (nhs != null && !nhs.isEmpty()) {
      if (random.nextDouble() < rates.relativeNhs()) {
        List<String> relatives =
            family.members().stream()
                .filter(p -> !p.personId().equals(person.personId()) && p.nhsNumber() != null)
                .map(Person::nhsNumber)
                .filter(n -> !n.equals(nhs))
                .toList();
        if (!relatives.isEmpty()) {
          v.put("nhs_number", PopulationGenerator.pick(random, relatives));
          labels.add("relative_nhs");
        }
      } else if (random.nextDouble() < rates.transposedNhs()) {
        String transposed = transposition(nhs, random.nextInt(9));
        if (transposed != null) {
          v.put("nhs_number", transposed);
          labels.add("transposed_nhs");
        }
      }
    }
    return labels;
  }

  /**
   * The NHS number with two adjacent, different digits swapped, trying positions from {@code
   * start}; null when all digits are equal. The mod-11 check detects every such swap, so the result
   * is never a valid number: validation refuses the cell.
   */
  static String transposition(String nhs, int start) {
    String digits = nhs.replace(" ", "");
    for (int k = 0; k < 9; k++) {
      int i = (start + k) % 9;
      char a = digits.charAt(i);
      char b = digits.charAt(i + 1);
      if (a != b) {
        char[] c = digits.toCharArray();
        c[i] = b;
        c[i + 1] = a;
        return new String(c);
      }
    }
    return null;
  }
}
