package uk.familylink.domain.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.domain.outcome.Records.d;
import static uk.familylink.domain.outcome.Records.earlyHelp;
import static uk.familylink.domain.outcome.Records.evidence;
import static uk.familylink.domain.outcome.Records.record;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.family.FamilyHistory;
import uk.familylink.domain.family.FamilyProfile;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.InterventionOutcome.Result;

class FamilyOutcomesTest {

  private final OutcomeSettings settings = OutcomeSettings.supportingFamilies2022();

  private static FamilyHistory family(
      String token, Map<String, String> roles, LinkedRecord... records) {
    Map<PersonId, List<LinkedRecord>> byMember = new LinkedHashMap<>();
    for (LinkedRecord r : records) {
      byMember.computeIfAbsent(r.person(), p -> new java.util.ArrayList<>()).add(r);
    }
    Map<PersonId, Set<String>> roleMap = new LinkedHashMap<>();
    roles.forEach((p, role) -> roleMap.put(new PersonId(p), Set.of(role)));
    FamilyKey key = new FamilyKey("FAMILY_REF", token);
    return new FamilyHistory(
        new FamilyProfile(key, byMember.keySet(), Map.of(), true, false, false),
        Set.of("early-help"),
        byMember,
        roleMap);
  }

  /**
   * Referral 2024-03-01, closure 2024-09-30; before window [2023-03-01, 2024-03-01), after window
   * (2024-09-30, 2025-09-30]; measured on 2025-10-01.
   */
  @Test
  void effectMeasuresCountFamiliesWithEvidenceBeforeAndAfterWithBoundaries() {
    FamilyHistory a =
        family(
            "a",
            Map.of(),
            earlyHelp("a1", "2024-03-01", "2024-09-30", Need.CRIME),
            record("police-incidents", "a1", "2023-03-01", Map.of("incident_type", "OFFENCE")),
            record("police-incidents", "a1", "2025-09-30", Map.of("incident_type", "OFFENCE")),
            record("school-attendance", "a2", "2024-03-01", Map.of("unauthorised_absences", "4")),
            evidence("dwp-benefits", "a1", "2024-09-30", Need.FINANCIAL_STABILITY));
    FamilyHistory b =
        family(
            "b",
            Map.of(),
            earlyHelp("b1", "2024-03-01", "2024-09-30", Need.CRIME),
            record("police-incidents", "b1", "2023-02-28", Map.of("incident_type", "OFFENCE")),
            record("police-incidents", "b1", "2024-06-01", Map.of("incident_type", "MISSING")),
            record("school-attendance", "b2", "2024-01-01", Map.of("unauthorised_absences", "0")),
            evidence("dwp-benefits", "b1", "2024-01-01", Need.FINANCIAL_STABILITY),
            evidence("dwp-benefits", "b1", "2025-10-01", Need.FINANCIAL_STABILITY));
    // closed too recently to be measured on the as-of date
    FamilyHistory c =
        family(
            "c",
            Map.of(),
            earlyHelp("c1", "2024-11-01", "2025-01-31"),
            record("police-incidents", "c1", "2024-06-01", Map.of("incident_type", "OFFENCE")));

    FamilyOutcomes out = FamilyOutcomes.of(List.of(a, b, c), d("2025-10-01"), settings);

    assertThat(out.effects())
        .containsExactly(
            new EffectResult(EffectMeasure.OFFENDING, 2, 1, 1),
            new EffectResult(EffectMeasure.UNAUTHORISED_ABSENCE, 2, 0, 0),
            new EffectResult(EffectMeasure.OUT_OF_WORK_BENEFIT, 2, 1, 0));
    assertThat(out.effects().get(0).shareBefore()).isEqualTo(0.5);
    assertThat(out.datasets())
        .containsExactly("dwp-benefits", "early-help", "police-incidents", "school-attendance");
  }

  @Test
  void outcomesAndReReferralsAtChildAndFamilyLevel() {
    // family f: two children; the Early Help episode names both (one family referral, two child
    // referrals); social care refers child k1 eight months later (a re-referral for k1 and f)
    FamilyHistory f =
        family(
            "f",
            Map.of("k1", "CHILD", "k2", "CHILD", "p", "PARENT_CARER"),
            earlyHelp("p", "2024-01-10", "2024-04-30", Need.HOUSING),
            earlyHelp("k1", "2024-01-10", "2024-04-30", Need.EDUCATION),
            earlyHelp("k2", "2024-01-10", "2024-04-30"),
            evidence("social-care", "k1", "2024-09-10", Need.CHILD_SAFETY));

    FamilyOutcomes out = FamilyOutcomes.of(List.of(f), d("2025-01-01"), settings);

    assertThat(out.outcomes()).hasSize(1);
    InterventionOutcome o = out.outcomes().get(0);
    assertThat(o.familyId()).isEqualTo("FAMILY_REF:f");
    assertThat(o.startNeeds()).containsExactlyInAnyOrder(Need.HOUSING, Need.EDUCATION);
    assertThat(o.result()).isEqualTo(Result.SIGNIFICANT_AND_SUSTAINED);
    assertThat(out.sustainedProgress()).containsExactly(o);

    assertThat(out.families().total()).isEqualTo(new ReReferrals.Quarter(2, 1, 0, 0));
    assertThat(out.families().byQuarter().get("2024-Q3").reReferrals()).isEqualTo(1);
    // children: k1 referred twice (re-referral), k2 once; the parent is not a child
    assertThat(out.children().total()).isEqualTo(new ReReferrals.Quarter(3, 1, 0, 0));
  }
}
