package uk.familylink.domain.identification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.FamilyHistory;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.identification.CaseloadAnswer.Status;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.fakes.InMemoryLinkedData;

/**
 * Three families built through the store's read path: EH (named by Early Help, eligible), SC (named
 * only by social care, eligible) and SMALL (named by Early Help, two needs: not eligible).
 */
class IdentificationTest {

  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-04-01T00:00:00Z").getEpochSecond();
  private static final EligibilityRule RULE = EligibilityRule.supportingFamilies2022();

  private final InMemoryLinkedData store = new InMemoryLinkedData();
  private int next;

  private void family(String token, String dataset, String adult, String child) {
    for (String p : List.of(adult, child)) {
      store.claim(
          List.of(PersonEntry.created(new PersonId(p), NOW.minusSeconds(100))),
          Map.of(),
          EXPIRES,
          NOW);
    }
    FamilyKey key = new FamilyKey("FAMILY_REF", token);
    store.putMemberships(
        List.of(
            new FamilyMembership(key, new PersonId(adult), "PARENT_CARER", dataset, EXPIRES),
            new FamilyMembership(key, new PersonId(child), "CHILD", dataset, EXPIRES)));
    record(child, dataset, "2019-02", null, key);
  }

  private void record(
      String person, String dataset, String birth, String date, FamilyKey key, Need... needs) {
    store.putRecords(
        List.of(
            new LinkedRecord(
                dataset,
                dataset,
                "r" + next++,
                new PersonId(person),
                key,
                Set.of(needs),
                date == null ? null : LocalDate.parse(date),
                birth,
                false,
                Map.of(),
                "file",
                EXPIRES)));
  }

  private List<FamilyHistory> population() {
    family("EH", "early-help", "eh-parent", "eh-child");
    record("eh-parent", "police-incidents", "1990-01", "2025-03-01", null, Need.CRIME);
    record("eh-parent", "dwp-benefits", "1990-01", "2025-05-10", null, Need.FINANCIAL_STABILITY);
    record("eh-child", "school-attendance", "2019-02", "2025-05-10", null, Need.EDUCATION);
    record("eh-child", "health", "2019-02", "2025-09-01", null, Need.HEALTH);

    family("SC", "social-care", "sc-parent", "sc-child");
    record("sc-parent", "police-incidents", "1990-01", "2025-01-01", null, Need.DOMESTIC_ABUSE);
    record("sc-parent", "housing", "1990-01", "2025-01-02", null, Need.HOUSING);
    record("sc-child", "social-care", "2019-02", "2025-01-03", null, Need.CHILD_SAFETY);

    family("SMALL", "early-help", "sm-parent", "sm-child");
    record("sm-parent", "housing", "1990-01", "2025-01-02", null, Need.HOUSING);
    record("sm-child", "health", "2019-02", "2025-01-03", null, Need.HEALTH);
    return PopulationProfile.histories(store, NOW, RULE).families();
  }

  @Test
  void theListNamesEligibleFamiliesWithTheirTrailAndTheDayTheyFirstMetTheRule() {
    IdentificationList list =
        IdentificationList.of(
            population(), LocalDate.of(2026, 6, 1), RULE, Map.of("police-incidents", 1));

    assertThat(list.families())
        .extracting(IdentifiedFamily::familyId)
        .containsExactly("FAMILY_REF:EH", "FAMILY_REF:SC");
    IdentifiedFamily eh = list.families().get(0);
    // CRIME on 2025-03-01, then FINANCIAL_STABILITY and EDUCATION on the same day: the third need
    assertThat(eh.firstMet()).isEqualTo(LocalDate.of(2025, 5, 10));
    assertThat(eh.needs()).hasSize(4);
    assertThat(eh.evidence().get(0))
        .isEqualTo(
            new IdentifiedFamily.Evidence(
                Need.CRIME, "police-incidents", 1, LocalDate.of(2025, 3, 1)));
    assertThat(list.families().get(1).firstMet()).isEqualTo(LocalDate.of(2025, 1, 3));
  }

  @Test
  void aTwoNeedThresholdIsConfiguration() {
    EligibilityRule earlier = new EligibilityRule(2, 15, 18, Set.of("school-attendance"));
    List<FamilyHistory> population = PopulationProfile.histories(store, NOW, earlier).families();
    assertThat(population).isEmpty();
    population();
    IdentificationList list =
        IdentificationList.of(
            PopulationProfile.histories(store, NOW, earlier).families(),
            LocalDate.of(2026, 6, 1),
            earlier,
            Map.of());
    assertThat(list.families()).hasSize(3);
    assertThat(
            list.families().stream()
                .filter(f -> f.familyId().equals("FAMILY_REF:EH"))
                .findFirst()
                .orElseThrow()
                .firstMet())
        .isEqualTo(LocalDate.of(2025, 5, 10));
  }

  @Test
  void aCaseloadIsAnsweredByRowAndNeverMatchesAnotherPartnersReference() {
    List<FamilyHistory> population = population();
    IdentificationList list =
        IdentificationList.of(population, LocalDate.of(2026, 6, 1), RULE, Map.of());

    // Early Help sends its own two references, social care's reference, an unknown one and a bad
    // one
    CaseloadAnswer answer =
        CaseloadAnswer.answer(
            "early-help",
            java.util.Arrays.asList("EH", "SMALL", "SC", "nobody", null),
            list,
            population);

    assertThat(answer.rows())
        .extracting(CaseloadAnswer.Row::status)
        .containsExactly(
            Status.ELIGIBLE,
            Status.NOT_ELIGIBLE,
            Status.NOT_KNOWN,
            Status.NOT_KNOWN,
            Status.INVALID_REFERENCE);
    assertThat(answer.rows().get(0).firstMet()).isEqualTo(LocalDate.of(2025, 5, 10));
    assertThat(answer.rows().get(0).row()).isEqualTo(1);
    // social care's reference answers exactly as an unknown one: no needs, no date
    assertThat(answer.rows().get(2))
        .isEqualTo(new CaseloadAnswer.Row(3, Status.NOT_KNOWN, Set.of(), null));
    // SC is eligible, not named by this caseload, and not a family Early Help's data named
    assertThat(answer.eligibleNotInCaseload()).isEqualTo(1);
    assertThat(answer.eligibleNotKnownToPartner()).isEqualTo(1);

    // social care asking about the same references sees only its own
    CaseloadAnswer sc = CaseloadAnswer.answer("social-care", List.of("EH", "SC"), list, population);
    assertThat(sc.rows())
        .extracting(CaseloadAnswer.Row::status)
        .containsExactly(Status.NOT_KNOWN, Status.ELIGIBLE);
  }
}
