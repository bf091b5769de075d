package uk.familylink.domain.family;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.fakes.InMemoryLinkedData;

class PopulationProfileTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-04-01T00:00:00Z").getEpochSecond();
  private static final FamilyKey FAMILY = new FamilyKey("FAMILY_REF", "fam");

  private final InMemoryLinkedData store = new InMemoryLinkedData();
  private final EligibilityRule rule = EligibilityRule.supportingFamilies2022();

  private void person(String id, Instant created) {
    store.claim(List.of(PersonEntry.created(new PersonId(id), created)), Map.of(), EXPIRES, NOW);
  }

  private void record(
      String token,
      String person,
      String dataset,
      Set<Need> needs,
      String birthYearMonth,
      boolean expectant) {
    store.putRecords(
        List.of(
            new LinkedRecord(
                dataset,
                "p",
                token,
                new PersonId(person),
                null,
                needs,
                null,
                birthYearMonth,
                expectant,
                Map.of(),
                "file",
                EXPIRES)));
  }

  private void member(String person) {
    store.putMemberships(
        List.of(
            new FamilyMembership(FAMILY, new PersonId(person), "CHILD", "early-help", EXPIRES)));
  }

  @Test
  void aFamilyWithADependentChildAndThreeNeedsIsEligible() {
    person("parent", NOW.minusSeconds(100));
    person("child", NOW.minusSeconds(50));
    member("parent");
    member("child");
    record(
        "r1",
        "parent",
        "police-incidents",
        Set.of(Need.DOMESTIC_ABUSE, Need.CRIME),
        "1990-01",
        false);
    record("r2", "child", "school-attendance", Set.of(Need.EDUCATION), "2014-05", false);

    PopulationProfile profile = PopulationProfile.build(store, NOW, rule);

    assertThat(profile.persons()).isEqualTo(2);
    FamilyProfile family = profile.families().get(0);
    assertThat(family.hasDependentChild()).isTrue();
    assertThat(family.evidence()).containsOnlyKeys(Need.DOMESTIC_ABUSE, Need.CRIME, Need.EDUCATION);
    assertThat(family.evidence().get(Need.EDUCATION)).containsExactly("school-attendance");
    assertThat(family.eligible()).isTrue();
    assertThat(profile.eligibleFamilies()).isEqualTo(1);
    assertThat(profile.familiesByNeed())
        .containsEntry(Need.CRIME, 1L)
        .containsEntry(Need.HOUSING, 0L);
  }

  @Test
  void threeNeedsWithoutChildOrExpectantParentIsNotEligibleButAnExpectantParentIs() {
    person("adult", NOW.minusSeconds(100));
    member("adult");
    record(
        "r1",
        "adult",
        "police-incidents",
        Set.of(Need.DOMESTIC_ABUSE, Need.CRIME, Need.HOUSING),
        "1990-01",
        false);
    assertThat(PopulationProfile.build(store, NOW, rule).eligibleFamilies()).isZero();

    record("r2", "adult", "health", Set.of(), "1990-01", true);
    assertThat(PopulationProfile.build(store, NOW, rule).eligibleFamilies()).isEqualTo(1);
  }

  @Test
  void theThresholdAndDependentAgeAreConfigurable() {
    person("teen", NOW.minusSeconds(100));
    member("teen");
    record("r1", "teen", "police-incidents", Set.of(Need.CRIME, Need.HEALTH), "2009-01", false);

    assertThat(PopulationProfile.build(store, NOW, rule).eligibleFamilies())
        .as("17, not in education, 2 needs")
        .isZero();
    EligibilityRule earlierPhase = new EligibilityRule(2, 18, 18, Set.of());
    assertThat(PopulationProfile.build(store, NOW, earlierPhase).eligibleFamilies()).isEqualTo(1);
  }

  @Test
  void recordsOfAMergedPersonCountForTheSurvivor() {
    person("old", NOW.minusSeconds(100));
    person("new", NOW.minusSeconds(50));
    member("old");
    record("r1", "new", "police-incidents", Set.of(Need.CRIME), "2015-01", false);
    store.merge(new MergeRecord(new PersonId("old"), new PersonId("new"), null, "f", NOW), EXPIRES);

    PopulationProfile profile = PopulationProfile.build(store, NOW, rule);

    assertThat(profile.persons()).isEqualTo(1);
    assertThat(profile.families().get(0).evidence()).containsOnlyKeys(Need.CRIME);
    assertThat(profile.families().get(0).hasDependentChild()).isTrue();
  }

  @Test
  void aHouseholdSharingMembersWithAFamilyIsCountedAsThatFamily() {
    person("parent", NOW.minusSeconds(100));
    person("child", NOW.minusSeconds(90));
    person("lodger", NOW.minusSeconds(80));
    member("parent");
    member("child");
    FamilyKey household = new FamilyKey("HOUSEHOLD_REF", "h1");
    FamilyKey otherHousehold = new FamilyKey("HOUSEHOLD_REF", "h2");
    store.putMemberships(
        List.of(
            new FamilyMembership(household, new PersonId("parent"), null, "housing", EXPIRES),
            new FamilyMembership(
                otherHousehold, new PersonId("lodger"), null, "housing", EXPIRES)));
    record("r1", "parent", "housing", Set.of(Need.HOUSING), "1990-01", false);

    PopulationProfile profile = PopulationProfile.build(store, NOW, rule);

    assertThat(profile.families())
        .extracting(FamilyProfile::family)
        .containsExactlyInAnyOrder(FAMILY, otherHousehold);
    FamilyProfile family =
        profile.families().stream()
            .filter(f -> f.family().equals(FAMILY))
            .findFirst()
            .orElseThrow();
    assertThat(family.evidence()).containsOnlyKeys(Need.HOUSING);
  }
}
