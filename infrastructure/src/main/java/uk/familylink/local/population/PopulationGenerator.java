package uk.familylink.local.population;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import uk.familylink.domain.need.Need;

/**
 * Fictional families for demos and tests, reproducible from a seed: family {@code i} depends only
 * on the seed, {@code i} and the clock's date, so families can be made one at a time (nothing is
 * held) and in any order. Dates of birth are relative to the injected clock.
 */
public final class PopulationGenerator {

  public static final int DEFAULT_FAMILIES = 3000;

  /** Identifier slots per family: up to 2 adults + 5 children, one spare. */
  static final int SLOTS_PER_FAMILY = 8;

  private static final long POPULATION_ERROR_SALT = 0x7E44_0A11L;

  private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

  /**
   * P(number of needs = k), k = 0..6: about 28% of families have three or more, so that, after
   * adult-only households and needs no partner happened to evidence, 20-30% come out eligible.
   */
  private static final double[] NEED_COUNT_WEIGHTS = {0.28, 0.24, 0.20, 0.13, 0.08, 0.04, 0.03};

  private static final Map<Need, Double> NEED_WEIGHTS =
      new EnumMap<>(
          Map.of(
              Need.EDUCATION,
              1.3,
              Need.EARLY_YEARS,
              0.8,
              Need.HEALTH,
              1.5,
              Need.SUBSTANCE_USE,
              0.6,
              Need.FAMILY_RELATIONSHIPS,
              1.0,
              Need.CHILD_SAFETY,
              0.8,
              Need.CRIME,
              0.8,
              Need.DOMESTIC_ABUSE,
              0.9,
              Need.HOUSING,
              0.9,
              Need.FINANCIAL_STABILITY,
              1.4));

  private final long seed;
  private final LocalDate today;
  private final double movedFamilyRate;
  private final LinkageErrors errors;

  public PopulationGenerator(long seed, Clock clock) {
    this(seed, clock, 0.08);
  }

  /**
   * A population that also has the population-level {@link LinkageErrors} (double-barrelled
   * surnames, twins, strangers sharing a name and birth date), drawn from their own random stream:
   * with {@link LinkageErrors#none()} it is exactly {@link #PopulationGenerator(long, Clock)}'s.
   */
  public PopulationGenerator(long seed, Clock clock, LinkageErrors errors) {
    this(seed, clock, 0.08, errors);
  }

  /**
   * @param movedFamilyRate share of families that moved recently (some partners hold the old
   *     postcode)
   */
  public PopulationGenerator(long seed, Clock clock, double movedFamilyRate) {
    this(seed, clock, movedFamilyRate, LinkageErrors.none());
  }

  private PopulationGenerator(
      long seed, Clock clock, double movedFamilyRate, LinkageErrors errors) {
    this.seed = seed;
    this.today = LocalDate.now(Objects.requireNonNull(clock, "clock"));
    this.movedFamilyRate = movedFamilyRate;
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /** The linkage errors this population and its extracts are made with. */
  public LinkageErrors errors() {
    return errors;
  }

  public LocalDate today() {
    return today;
  }

  public long seed() {
    return seed;
  }

  public Stream<Family> families(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("The number of families must be 0 or more, was " + count);
    }
    return IntStream.range(0, count).mapToObj(this::family);
  }

  /** Family number {@code index}, the same every time for the same seed and date. */
  public Family family(int index) {
    return family(index, true);
  }

  private Family family(int index, boolean withStranger) {
    SplittableRandom random = randomFor(seed, index, 0x5EED_FA31L);
    // population-level errors come from their own stream, so the rest of the family is unchanged
    SplittableRandom errorRandom = randomFor(seed, index, POPULATION_ERROR_SALT);
    boolean adultOnly = random.nextDouble() < 0.10;
    int adultCount = random.nextDouble() < 0.35 ? 1 : 2;
    int childCount = adultOnly ? 0 : pick(random, new double[] {0, 0.35, 0.33, 0.18, 0.09, 0.05});

    List<Integer> childAges = new ArrayList<>();
    for (int i = 0; i < childCount; i++) {
      childAges.add(random.nextInt(18));
    }
    childAges.sort(Collections.reverseOrder());
    int eldest = childAges.isEmpty() ? 0 : childAges.get(0);
    int minAdultAge = Math.max(18, eldest + 16);
    int maxAdultAge =
        Math.max(minAdultAge, Math.min(65, eldest == 0 && childAges.isEmpty() ? 65 : eldest + 45));
    int firstAdultAge = minAdultAge + random.nextInt(maxAdultAge - minAdultAge + 1);

    String familyName = pick(random, Names.FAMILY);
    String secondFamilyName = random.nextDouble() < 0.3 ? pick(random, Names.FAMILY) : familyName;
    if (errorRandom.nextDouble() < errors.doubleBarrelled()) {
      String other = pick(errorRandom, Names.FAMILY);
      if (!other.equals(familyName) && !other.contains(" ") && !familyName.contains(" ")) {
        String doubled = familyName + "-" + other;
        secondFamilyName = secondFamilyName.equals(familyName) ? doubled : secondFamilyName;
        familyName = doubled;
      }
    }
    boolean expectantFamily =
        firstAdultAge <= 45 && random.nextDouble() < (adultOnly ? 0.25 : 0.07);

    List<Person> members = new ArrayList<>();
    long slotBase = (long) index * SLOTS_PER_FAMILY;
    int slot = 0;
    for (int a = 0; a < adultCount; a++) {
      int age =
          a == 0
              ? firstAdultAge
              : clamp(firstAdultAge - 6 + random.nextInt(13), Math.max(18, eldest + 16), 65);
      String surname = a == 0 ? familyName : secondFamilyName;
      boolean expectant = expectantFamily && a == 0;
      members.add(adult(random, slotBase + slot++, surname, age, expectant));
    }
    for (int age : childAges) {
      String surname = random.nextDouble() < 0.85 ? familyName : secondFamilyName;
      members.add(child(random, slotBase + slot++, surname, age));
    }

    String postcode = postcode(random);
    String previousPostcode = random.nextDouble() < movedFamilyRate ? postcode(random) : null;
    members = withTwins(errorRandom, members);
    if (withStranger && index % 2 == 1 && errorRandom.nextDouble() < errors.strangers()) {
      members = withStranger(members, family(index - 1, false).members().get(0));
    }
    Set<Need> needs = needs(random, members);
    members = withPoliceRecords(random, members, needs, slotBase);

    return new Family(
        index,
        String.format("GT-F-%07d", index),
        String.format("EH%06d", Math.floorMod(index * 7_919L + 104_729L, 1_000_000L)),
        String.format("HH%07d", Math.floorMod(index * 3_571L + 55_001L, 10_000_000L)),
        postcode,
        previousPostcode,
        List.copyOf(members),
        Collections.unmodifiableSet(needs));
  }

  private Person adult(
      SplittableRandom random, long slot, String surname, int age, boolean expectant) {
    return new Person(
        personId(slot),
        Role.ADULT,
        pick(random, Names.GIVEN),
        surname,
        dateOfBirth(random, age),
        expectant,
        random.nextDouble() < 0.97 ? SyntheticIdentifiers.nhsNumber(slot) : null,
        random.nextDouble() < 0.95 ? SyntheticIdentifiers.nino(slot, random.nextInt(4)) : null,
        null,
        null,
        null);
  }

  private Person child(SplittableRandom random, long slot, String surname, int age) {
    LocalDate dob = dateOfBirth(random, age);
    boolean schoolAge = age >= 4;
    String upn =
        schoolAge && random.nextDouble() < 0.97
            ? SyntheticIdentifiers.upn(slot, Math.min(dob.getYear() + 4, today.getYear()))
            : null;
    String uln = age >= 14 && random.nextDouble() < 0.5 ? SyntheticIdentifiers.uln(slot) : null;
    return new Person(
        personId(slot),
        Role.CHILD,
        pick(random, Names.GIVEN),
        surname,
        dob,
        false,
        random.nextDouble() < 0.97 ? SyntheticIdentifiers.nhsNumber(slot) : null,
        null,
        upn,
        uln,
        null);
  }

  /**
   * The two eldest children become twins (same birth date and family name, different given names)
   * at the configured rate.
   */
  private List<Person> withTwins(SplittableRandom errorRandom, List<Person> members) {
    List<Integer> children = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).role() == Role.CHILD) {
        children.add(i);
      }
    }
    if (children.size() < 2 || errorRandom.nextDouble() >= errors.twins()) {
      return members;
    }
    Person first = members.get(children.get(0));
    Person second = members.get(children.get(1));
    String given = second.givenName();
    while (given.equals(first.givenName())) {
      given = pick(errorRandom, Names.GIVEN);
    }
    List<Person> result = new ArrayList<>(members);
    result.set(
        children.get(1),
        new Person(
            second.personId(),
            second.role(),
            given,
            first.familyName(),
            first.dateOfBirth(),
            second.expectant(),
            second.nhsNumber(),
            second.nino(),
            second.upn() == null || first.upn() == null
                ? second.upn()
                : SyntheticIdentifiers.upn(
                    slotOf(second.personId()),
                    Math.min(first.dateOfBirth().getYear() + 4, today.getYear())),
            second.uln(),
            second.pncId()));
    return result;
  }

  /**
   * The first adult gets the given name, family name and birth date of {@code namesake}, a
   * different person in another family (another place, other identifiers).
   */
  private static List<Person> withStranger(List<Person> members, Person namesake) {
    Person first = members.get(0);
    List<Person> result = new ArrayList<>(members);
    result.set(
        0,
        new Person(
            first.personId(),
            first.role(),
            namesake.givenName(),
            namesake.familyName(),
            namesake.dateOfBirth(),
            first.expectant(),
            first.nhsNumber(),
            first.nino(),
            first.upn(),
            first.uln(),
            first.pncId()));
    return result;
  }

  private static long slotOf(String personId) {
    return Long.parseLong(personId.substring("GT-P-".length()));
  }

  /** Adults (and some older children) in families with police involvement get a PNC record. */
  private List<Person> withPoliceRecords(
      SplittableRandom random, List<Person> members, Set<Need> needs, long slotBase) {
    boolean police =
        needs.contains(Need.CRIME)
            || needs.contains(Need.DOMESTIC_ABUSE)
            || needs.contains(Need.SUBSTANCE_USE);
    List<Person> result = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      Person p = members.get(i);
      int age = p.ageOn(today);
      double chance =
          p.role() == Role.ADULT
              ? (police ? 0.6 : 0.02)
              : (needs.contains(Need.CRIME) && age >= 14 ? 0.3 : 0);
      if (random.nextDouble() < chance) {
        int earliest = Math.max(2005, p.dateOfBirth().getYear() + 10);
        int year = earliest + random.nextInt(Math.max(1, today.getYear() - earliest + 1));
        p =
            new Person(
                p.personId(),
                p.role(),
                p.givenName(),
                p.familyName(),
                p.dateOfBirth(),
                p.expectant(),
                p.nhsNumber(),
                p.nino(),
                p.upn(),
                p.uln(),
                SyntheticIdentifiers.pncId(slotBase + i, year));
      }
      result.add(p);
    }
    return result;
  }

  private Set<Need> needs(SplittableRandom random, List<Person> members) {
    boolean children = members.stream().anyMatch(p -> p.role() == Role.CHILD);
    boolean schoolAge =
        members.stream().anyMatch(p -> p.role() == Role.CHILD && p.ageOn(today) >= 4);
    boolean underFive =
        members.stream().anyMatch(p -> p.role() == Role.CHILD && p.ageOn(today) < 5);
    boolean expectant = members.stream().anyMatch(Person::expectant);
    List<Need> applicable = new ArrayList<>();
    for (Need need : Need.values()) {
      boolean ok =
          switch (need) {
            case EDUCATION -> schoolAge;
            case EARLY_YEARS -> underFive || expectant;
            case CHILD_SAFETY -> children;
            default -> true;
          };
      if (ok) {
        applicable.add(need);
      }
    }
    int count = Math.min(pick(random, NEED_COUNT_WEIGHTS), applicable.size());
    EnumSet<Need> chosen = EnumSet.noneOf(Need.class);
    // an expectant parent makes early-years support (antenatal health visiting) far likelier
    java.util.function.ToDoubleFunction<Need> weight =
        n -> NEED_WEIGHTS.get(n) * (expectant && n == Need.EARLY_YEARS ? 4 : 1);
    while (chosen.size() < count) {
      double total = applicable.stream().filter(n -> !chosen.contains(n)).mapToDouble(weight).sum();
      double r = random.nextDouble() * total;
      for (Need need : applicable) {
        if (chosen.contains(need)) {
          continue;
        }
        r -= weight.applyAsDouble(need);
        if (r <= 0) {
          chosen.add(need);
          break;
        }
      }
    }
    return chosen;
  }

  private LocalDate dateOfBirth(SplittableRandom random, int age) {
    return today.minusYears(age).minusDays(1 + random.nextInt(364));
  }

  static String postcode(SplittableRandom random) {
    int district = 1 + random.nextInt(9);
    return "HR"
        + district
        + " "
        + random.nextInt(10)
        + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()))
        + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()));
  }

  private static final List<String> STREETS =
      List.of(
          "High",
          "Church",
          "Station",
          "Mill",
          "Victoria",
          "Park",
          "Green",
          "Manor",
          "Kings",
          "Queens",
          "Ledbury",
          "Aylestone",
          "Belmont",
          "Holmer",
          "Whitecross",
          "Bodenham",
          "Tupsley",
          "Hampton",
          "Eign",
          "Widemarsh",
          "Bath",
          "Commercial",
          "St Owen",
          "Edgar",
          "Grandstand",
          "Venns",
          "Folly",
          "Ross",
          "Hinton",
          "Ryelands",
          "Newton",
          "Westfields",
          "Oak",
          "Ash",
          "Beech",
          "Elm",
          "Willow",
          "Cedar",
          "Orchard",
          "Meadow");

  private static final List<String> STREET_TYPES =
      List.of(
          "Road",
          "Street",
          "Avenue",
          "Close",
          "Lane",
          "Drive",
          "Crescent",
          "Way",
          "Gardens",
          "Place");

  /**
   * The first address line of a family's home at a postcode: a function of the family and the
   * postcode alone (its own random stream), so a family keeps one line per postcode and the rest of
   * the population is unchanged. A move (another postcode) is another line.
   */
  static String addressLine(int familyIndex, String postcode) {
    SplittableRandom r =
        new SplittableRandom(postcode.hashCode() * 0x9E3779B97F4A7C15L + familyIndex * 31L + 7);
    return (1 + r.nextInt(180))
        + " "
        + STREETS.get(r.nextInt(STREETS.size()))
        + " "
        + STREET_TYPES.get(r.nextInt(STREET_TYPES.size()));
  }

  static String personId(long slot) {
    return String.format("GT-P-%08d", slot);
  }

  /** An independent, reproducible random stream per (seed, family, purpose). */
  static SplittableRandom randomFor(long seed, int index, long salt) {
    long mixed = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + salt;
    return new SplittableRandom(mixed);
  }

  static <T> T pick(SplittableRandom random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  static int pick(SplittableRandom random, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double r = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
