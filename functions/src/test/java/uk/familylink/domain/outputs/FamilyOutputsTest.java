package uk.familylink.domain.outputs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.pseudonym.Tokeniser;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;

class FamilyOutputsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T09:00:00Z"), ZoneOffset.UTC);
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  private FamilyOutputs outputs(Set<Purpose> purposes, Tokeniser tokeniser) {
    return new FamilyOutputs(
        new InMemoryLinkedData(),
        store,
        audit,
        CLOCK,
        new FamilyOutputs.Settings(
            purposes,
            "exports",
            "outputs/x/",
            EligibilityRule.supportingFamilies2022(),
            OutcomeSettings.supportingFamilies2022(),
            Map.of()),
        tokeniser,
        () -> 1L);
  }

  @Test
  void purposesParseBothAndRefuseAnythingElseNamingTheChoices() {
    assertThat(Purpose.parse("IDENTIFICATION, EVALUATION"))
        .containsExactlyInAnyOrder(Purpose.IDENTIFICATION, Purpose.EVALUATION);
    assertThatThrownBy(() -> Purpose.parse("EVALUATION,RESEARCH"))
        .hasMessageContaining("unknown purpose 'RESEARCH'")
        .hasMessageContaining("IDENTIFICATION, EVALUATION or both");
    assertThatThrownBy(() -> Purpose.parse(" ")).hasMessageContaining("no purpose named");
  }

  @Test
  void anEvaluationRunWritesOnlyEvaluationFilesAndAuditsThem() {
    FamilyOutputs.RunResult result = outputs(Set.of(Purpose.EVALUATION), null).run("analyst");

    assertThat(result.keys())
        .containsExactlyInAnyOrder(
            "outputs/x/2026-06-01/outcomes.csv",
            "outputs/x/2026-06-01/re-referrals.csv",
            "outputs/x/2026-06-01/effect-measures.csv",
            "outputs/x/2026-06-01/evaluation-summary.txt");
    assertThat(store.keys("exports")).containsExactlyInAnyOrderElementsOf(result.keys());
    assertThat(audit.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(FamilyOutputs.AUDIT_OUTPUTS);
              assertThat(e.details())
                  .containsEntry("requester", "analyst")
                  .containsEntry("purposes", java.util.List.of("EVALUATION"))
                  .containsEntry("objects", 4L);
            });
  }

  @Test
  void aDeploymentWithoutIdentificationCannotAnswerACaseload() {
    FamilyOutputs evaluationOnly = outputs(Set.of(Purpose.EVALUATION), null);
    assertThatThrownBy(
            () ->
                evaluationOnly.answerCaseload(
                    "early-help",
                    "early-help",
                    "c.csv",
                    new ByteArrayInputStream("family_ref\nA\n".getBytes(StandardCharsets.UTF_8)),
                    "landing"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("identification is not a purpose");
    assertThat(store.keys("landing")).isEmpty();
    assertThat(audit.entries()).isEmpty();
  }

  @Test
  void aCaseloadWithoutTheColumnIsRefusedWithoutQuotingTheFileAndTheUploadIsDeleted() {
    FamilyOutputs identification =
        outputs(Set.of(Purpose.IDENTIFICATION), new Tokeniser(new byte[32]));
    store.putText("landing", "caseload/early-help/early-help/c.csv", "SECRETCOLUMN\nSECRETVALUE\n");

    FamilyOutputs.CaseloadOutcome outcome =
        identification.caseload(
            "landing",
            "caseload/early-help/early-help/c.csv",
            null,
            "p",
            (a, b) -> true,
            (a, b) -> true);

    assertThat(outcome).isEqualTo(FamilyOutputs.CaseloadOutcome.REFUSED);
    String summary = store.text("landing", "reports/early-help/caseload/c.csv.summary.txt");
    assertThat(summary).contains("no family_ref column").doesNotContain("SECRET");
    assertThat(store.keys("landing")).doesNotContain("caseload/early-help/early-help/c.csv");
    assertThat(audit.entries().toString()).doesNotContain("SECRET");
  }

  @Test
  void aCaseloadFromSomeoneElseThanThePartnerItNamesIsIgnoredAndLeftToExpire() {
    FamilyOutputs identification =
        outputs(Set.of(Purpose.IDENTIFICATION), new Tokeniser(new byte[32]));
    store.putText("landing", "caseload/early-help/early-help/c.csv", "family_ref\nA\n");

    assertThat(
            identification.caseload(
                "landing",
                "caseload/early-help/early-help/c.csv",
                null,
                "AWS:police-role",
                (partner, principal) -> principal.equals("AWS:" + partner),
                (a, b) -> true))
        .isEqualTo(FamilyOutputs.CaseloadOutcome.IGNORED);
    assertThat(store.keys("landing")).containsExactly("caseload/early-help/early-help/c.csv");
    assertThat(
            identification.caseload(
                "landing", "caseload/early-help/c.csv", null, "p", (a, b) -> true, (a, b) -> true))
        .isEqualTo(FamilyOutputs.CaseloadOutcome.IGNORED);
  }
}
