package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;

class PopulationGeneratorTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
  private final PopulationGenerator generator = new PopulationGenerator(42, CLOCK);
  private final List<Family> families =
      generator.families(PopulationGenerator.DEFAULT_FAMILIES).toList();

  @Test
  void theSameSeedGivesTheSameFamiliesAndAnotherSeedDoesNot() {
    assertThat(new PopulationGenerator(42, CLOCK).families(200).toList())
        .isEqualTo(families.subList(0, 200));
    assertThat(new PopulationGenerator(43, CLOCK).families(200).toList())
        .isNotEqualTo(families.subList(0, 200));
    assertThat(generator.family(1234)).isEqualTo(families.get(1234));
  }

  @Test
  void everyIdentifierIsValidAndUnique() {
    Set<String> seen = new HashSet<>();
    for (Family family : families) {
      for (Person p : family.members()) {
        if (p.nhsNumber() != null) {
          assertThat(Identifiers.normalise(IdentifierKind.NHS_NUMBER, p.nhsNumber()))
              .as("NHS number of %s", p.personId())
              .isEqualTo(p.nhsNumber());
          assertThat(seen.add("nhs" + p.nhsNumber())).isTrue();
        }
        if (p.nino() != null) {
          assertThat(Identifiers.normalise(IdentifierKind.NINO, p.nino()))
              .as("NINO of %s", p.personId())
              .isEqualTo(p.nino());
          assertThat(seen.add("nino" + p.nino().substring(0, 8))).isTrue();
        }
        if (p.upn() != null) {
          assertThat(Identifiers.normalise(IdentifierKind.UPN, p.upn()))
              .as("UPN of %s", p.personId())
              .isEqualTo(p.upn());
          assertThat(p.upn())
              .startsWith(p.upn().charAt(0) + String.valueOf(SyntheticIdentifiers.LA_CODE));
          assertThat(seen.add("upn" + p.upn())).isTrue();
        }
        if (p.uln() != null) {
          assertThat(Identifiers.normalise(IdentifierKind.ULN, p.uln()))
              .as("ULN of %s", p.personId())
              .isEqualTo(p.uln());
          assertThat(seen.add("uln" + p.uln())).isTrue();
        }
        if (p.pncId() != null) {
          assertThat(Identifiers.normalise(IdentifierKind.PNC_ID, p.pncId()))
              .as("PNC ID of %s", p.personId())
              .isEqualTo(p.pncId());
          assertThat(seen.add("pnc" + p.pncId().substring(3))).isTrue();
        }
      }
      assertThat(family.postcode()).matches("HR[1-9] [0-9][ABD-HJLNP-UW-Z]{2}");
    }
  }

  @Test
  void agesFollowTheRolesRelativeToTheClock() {
    LocalDate today = LocalDate.now(CLOCK);
    for (Family family : families) {
      for (Person p : family.members()) {
        int age = p.ageOn(today);
        if (p.role() == Role.CHILD) {
          assertThat(age).isBetween(0, 17);
          assertThat(p.nino()).isNull();
        } else {
          assertThat(age).isBetween(18, 65);
        }
        if (p.upn() != null) {
          assertThat(age).isGreaterThanOrEqualTo(4);
        }
        if (p.uln() != null) {
          assertThat(age).isGreaterThanOrEqualTo(14);
        }
      }
      assertThat(family.adults()).hasSizeBetween(1, 2);
      assertThat(family.children()).hasSizeLessThanOrEqualTo(5);
    }
  }

  @Test
  void proportionsAreRoughlyAsIntended() {
    double n = families.size();
    double threePlus = families.stream().filter(f -> f.needs().size() >= 3).count() / n;
    double adultOnly = families.stream().filter(f -> !f.hasChildren()).count() / n;
    double expectant = families.stream().filter(Family::hasExpectantParent).count() / n;
    double moved = families.stream().filter(f -> f.previousPostcode() != null).count() / n;
    double withNhs =
        families.stream()
                .flatMap(f -> f.members().stream())
                .filter(p -> p.nhsNumber() != null)
                .count()
            / (double) families.stream().mapToLong(f -> f.members().size()).sum();
    double eligible = families.stream().filter(f -> f.isEligible(LocalDate.now(CLOCK))).count() / n;
    assertThat(threePlus).isBetween(0.24, 0.33);
    assertThat(eligible).isBetween(0.20, 0.30);
    assertThat(adultOnly).isBetween(0.07, 0.13);
    assertThat(expectant).isBetween(0.03, 0.12);
    assertThat(moved).isBetween(0.05, 0.11);
    assertThat(withNhs).isBetween(0.95, 0.99);
    assertThat(families.stream().filter(f -> !f.hasChildren()).flatMap(f -> f.needs().stream()))
        .doesNotContain(
            uk.familylink.domain.need.Need.EDUCATION, uk.familylink.domain.need.Need.CHILD_SAFETY);
  }

  @Test
  void aBadCheckDigitMakesAnNhsNumberInvalid() {
    for (Family family : families.subList(0, 200)) {
      for (Person p : family.members()) {
        if (p.nhsNumber() != null) {
          assertThat(
                  Identifiers.normalise(
                      IdentifierKind.NHS_NUMBER,
                      SyntheticIdentifiers.nhsNumberWithBadCheckDigit(p.nhsNumber())))
              .isNull();
        }
      }
    }
  }
}
