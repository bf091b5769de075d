package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.linkage.Demographics;
import uk.familylink.domain.pseudonym.DemographicEncoder;
import uk.familylink.domain.pseudonym.DemographicsSeal;
import uk.familylink.domain.pseudonym.NameVariants;

/**
 * A frequency attack on what tier 3 stores (docs/adr/0140): the attacker holds every person's
 * stored items (sealed encodings, blocking keys), not the key, and knows the exact frequency of
 * every plaintext combination in the population (the strongest background knowledge: the
 * population's own census) and the scheme. It aligns stored values' frequency ranks with the
 * plaintext combinations' ranks and claims a person re-identified when it recovers given name,
 * family name and date of birth, or given name, family name and address (house number and street).
 */
class FrequencyAttackTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);

  record Subject(
      String given, String family, String dob, String postcode, String address, Demographics d) {}

  @Test
  void aFrequencyAttackOnTenThousandPersonsReIdentifiesUnderOnePercent() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    DemographicEncoder encoder = new DemographicEncoder(key);
    DemographicsSeal seal = new DemographicsSeal(key);
    PopulationGenerator generator = new PopulationGenerator(11, CLOCK, LinkageErrors.realWorld());
    List<Subject> people = new ArrayList<>();
    for (int i = 0; people.size() < 10_000; i++) {
      Family family = generator.family(i);
      for (Person member : family.members()) {
        if (people.size() == 10_000) {
          break;
        }
        String given = Identifiers.normalise(IdentifierKind.GIVEN_NAME, member.givenName());
        String surname = Identifiers.normalise(IdentifierKind.FAMILY_NAME, member.familyName());
        String dob = member.dateOfBirth().toString();
        String postcode = Identifiers.normalise(IdentifierKind.POSTCODE, family.postcode());
        String address =
            Identifiers.normalise(
                IdentifierKind.ADDRESS_LINE,
                PopulationGenerator.addressLine(family.index(), family.postcode()));
        people.add(
            new Subject(
                given,
                surname,
                dob,
                postcode,
                address,
                encoder.encode(given, surname, dob, postcode, address).demographics()));
      }
    }

    // What the store holds per person: the sealed encodings and the blocking keys, by pass.
    // The attacker knows the scheme (Kerckhoffs): it can compute each pass's plaintext combination
    // for every person of its census, and aligns their frequencies with the stored keys'.
    NameVariants codes = new NameVariants();
    Map<Subject, String> sealedGuess =
        attack(
            people,
            p ->
                p.given()
                    + "|"
                    + p.family()
                    + "|"
                    + p.dob()
                    + "|"
                    + p.postcode()
                    + "|"
                    + p.address(),
            p -> java.util.HexFormat.of().formatHex(seal.seal(p.d())));
    Map<String, Map<Subject, String>> passGuess = new HashMap<>();
    Map<String, Function<Subject, String>> plain = new HashMap<>();
    plain.put("B1", p -> codes.phonetic(p.family()) + "|" + p.dob().substring(0, 4));
    plain.put("B5", p -> codes.phonetic(p.family()) + "|" + p.dob().substring(5));
    Function<Subject, String> givenKey =
        p -> {
          List<String> groups = NameVariants.nicknameGroups(p.given());
          return groups.isEmpty() ? codes.phonetic(p.given()) : groups.get(0);
        };
    plain.put("B6", p -> givenKey.apply(p) + "|" + p.dob().substring(0, 4));
    plain.put("B7", p -> givenKey.apply(p) + "|" + p.dob().substring(5));
    plain.put("B8", p -> p.dob() + "|");
    plain.put(
        "B3",
        p ->
            p.postcode().substring(0, p.postcode().indexOf(' ') + 2)
                + "|"
                + p.dob().substring(0, 7));
    plain.put(
        "B4",
        p -> {
          String g = codes.phonetic(p.given());
          String f = codes.phonetic(p.family());
          return g.compareTo(f) <= 0 ? g + "|" + f : f + "|" + g;
        });
    // house number + the street's first four letters (the address line's blocking key)
    plain.put(
        "B9",
        p -> {
          String[] words = p.address().split(" ", -1);
          StringBuilder number = new StringBuilder();
          StringBuilder street = new StringBuilder();
          for (String w : words) {
            if (Character.isDigit(w.charAt(0))) {
              number.append(number.length() == 0 ? "" : " ").append(w);
            } else {
              street.append(w);
            }
          }
          return number + "|" + street.substring(0, Math.min(4, street.length()));
        });
    Map<Subject, Map<String, String>> keysOf = new HashMap<>();
    for (Subject p : people) {
      Map<String, String> byPass = new HashMap<>();
      for (String k :
          encoder.encode(p.given(), p.family(), p.dob(), p.postcode(), p.address()).blockKeys()) {
        byPass.put(k.substring(0, 2), k);
      }
      keysOf.put(p, byPass);
    }
    for (String pass : plain.keySet()) {
      passGuess.put(pass, attack(people, plain.get(pass), p -> keysOf.get(p).get(pass)));
    }

    int sealedRight = 0;
    Map<String, Integer> passRight = new java.util.TreeMap<>();
    int reidentified = 0;
    for (Subject p : people) {
      Map<String, Boolean> right = new HashMap<>();
      for (String pass : plain.keySet()) {
        boolean ok = plain.get(pass).apply(p).equals(passGuess.get(pass).get(p));
        right.put(pass, ok);
        passRight.merge(pass, ok ? 1 : 0, Integer::sum);
      }
      boolean sealedOk =
          (p.given() + "|" + p.family() + "|" + p.dob() + "|" + p.postcode() + "|" + p.address())
              .equals(sealedGuess.get(p));
      sealedRight += sealedOk ? 1 : 0;
      // generous to the attacker: a right name code counts as the right name
      // (a year from one pass and a month-day from another give the whole date)
      boolean year = right.get("B1") || right.get("B6");
      boolean monthDay = right.get("B5") || right.get("B7");
      boolean dob = right.get("B8") || (year && monthDay);
      boolean given = right.get("B6") || right.get("B7") || right.get("B4");
      boolean family = right.get("B1") || right.get("B5") || right.get("B4");
      // names and an address identify a person as well as names and a date of birth do
      boolean address = right.get("B9");
      reidentified += sealedOk || (given && family && (dob || address)) ? 1 : 0;
    }
    System.out.printf(
        "frequency attack on %,d persons: sealed encodings %.2f%%, blocking keys by pass %s (of"
            + " %,d), re-identified %.2f%%%n",
        people.size(),
        100.0 * sealedRight / people.size(),
        passRight,
        people.size(),
        100.0 * reidentified / people.size());
    assertThat((double) reidentified / people.size()).isLessThan(0.01);
    // the attack is real: frequent blocking combinations are recovered, so the bound above is a
    // measurement, not a vacuous zero
    assertThat(passRight.get("B1") + passRight.get("B4")).isPositive();
  }

  /**
   * Rank alignment: the i-th most frequent encoding is guessed to be the i-th most frequent value.
   */
  private static Map<Subject, String> attack(
      List<Subject> people, Function<Subject, String> value, Function<Subject, String> encoding) {
    Map<String, Integer> valueCounts = new HashMap<>();
    Map<String, Integer> encodingCounts = new HashMap<>();
    for (Subject p : people) {
      valueCounts.merge(value.apply(p), 1, Integer::sum);
      encodingCounts.merge(encoding.apply(p), 1, Integer::sum);
    }
    List<String> values = rank(valueCounts);
    List<String> encodings = rank(encodingCounts);
    Map<String, String> guess = new HashMap<>();
    for (int i = 0; i < Math.min(values.size(), encodings.size()); i++) {
      guess.put(encodings.get(i), values.get(i));
    }
    Map<Subject, String> out = new HashMap<>();
    for (Subject p : people) {
      out.put(p, guess.get(encoding.apply(p)));
    }
    return out;
  }

  private static List<String> rank(Map<String, Integer> counts) {
    List<String> keys = new ArrayList<>(counts.keySet());
    keys.sort(Comparator.comparing((String k) -> counts.get(k)).reversed().thenComparing(k -> k));
    return keys;
  }
}
