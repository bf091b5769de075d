package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Purposes parameter decides which outputs exist at all (decision record 0160): each variant is
 * the template as CloudFormation would deploy it with that value ({@link CfnTemplate#forPurposes},
 * which evaluates the conditions from their own definitions).
 */
class TemplatePurposesTest {

  private final CfnTemplate written = CfnTemplate.load(CfnTemplate.locate());

  private static final Set<String> IDENTIFICATION_ONLY =
      Set.of(
          "IdentificationFunction",
          "IdentificationFunctionRole",
          "IdentificationLogGroup",
          "IdentificationFunctionName");

  private static final Set<String> EVALUATION_ONLY =
      Set.of(
          "EvaluationFunction",
          "EvaluationFunctionRole",
          "EvaluationLogGroup",
          "EvaluationFunctionName",
          // published statistics and research releases serve the evaluation purpose too
          "StatisticsFunction",
          "StatisticsFunctionRole",
          "StatisticsLogGroup",
          "StatisticsFunctionName",
          "ResearchReleaseFunction",
          "ResearchReleaseFunctionRole",
          "ResearchReleaseLogGroup",
          "ResearchReleaseFunctionName",
          "ReleaseApproverRole",
          "ReleaseApproverRoleArn");

  private Set<String> names(CfnTemplate t) {
    Set<String> out = new TreeSet<>(t.resources().keySet());
    out.addAll(t.section("Outputs").keySet());
    return out;
  }

  private static List<String> texts(CfnTemplate t) {
    return Stream.concat(
            t.identityStatements().stream().flatMap(s -> s.resources().stream()),
            t.keyPolicy("RootKey").stream().flatMap(s -> s.principals().stream()))
        .toList();
  }

  @Test
  void theParameterOffersExactlyTheThreeChoicesAndDefaultsToBoth() {
    var p = CfnTemplate.map(written.section("Parameters").get("Purposes"));
    assertThat(CfnTemplate.strings(p.get("AllowedValues")))
        .containsExactlyInAnyOrder("IDENTIFICATION,EVALUATION", "IDENTIFICATION", "EVALUATION");
    assertThat(p.get("Default")).isEqualTo("IDENTIFICATION,EVALUATION");
  }

  @Test
  void evaluationOnlyDeploysNoIdentificationFunctionRoleLogGroupPrefixOrCaseloadUpload() {
    CfnTemplate t = written.forPurposes("EVALUATION");

    assertThat(names(t))
        .containsAll(EVALUATION_ONLY)
        .doesNotContainAnyElementsOf(IDENTIFICATION_ONLY);
    // nothing left that names the identification path: no grant on its prefix, no caseload upload,
    // no MAC key use, no invocation
    assertThat(texts(t))
        .noneMatch(r -> r.contains("outputs/identification") || r.contains("/caseload/"))
        .noneMatch(r -> r.contains("Identification"));
    assertThat(t.resource("DataTeamRole").toString()).doesNotContain("Identification");
  }

  @Test
  void identificationOnlyDeploysNoEvaluationStatisticsOrResearchRelease() {
    CfnTemplate t = written.forPurposes("IDENTIFICATION");

    assertThat(names(t))
        .containsAll(IDENTIFICATION_ONLY)
        .doesNotContainAnyElementsOf(EVALUATION_ONLY);
    assertThat(texts(t))
        .noneMatch(
            r -> r.contains("outputs/evaluation") || r.contains("ExportsBucket.Arn}/statistics/"))
        .noneMatch(r -> r.contains("Evaluation") || r.contains("Statistics"))
        .noneMatch(r -> r.contains("ResearchRelease") || r.contains("ExportsBucket.Arn}/exports/"));
    assertThat(t.resource("DataTeamRole").toString()).doesNotContain("Statistics", "Evaluation");
  }

  @Test
  void bothDeploysBothFunctionsEachWritingOnlyItsOwnPrefix() {
    CfnTemplate t = written.forPurposes("IDENTIFICATION,EVALUATION");

    assertThat(names(t)).containsAll(IDENTIFICATION_ONLY).containsAll(EVALUATION_ONLY);
    assertThat(t.environment("IdentificationFunction").get("FAMILYLINK_PURPOSE"))
        .isEqualTo("IDENTIFICATION");
    assertThat(t.environment("EvaluationFunction").get("FAMILYLINK_PURPOSE"))
        .isEqualTo("EVALUATION");
    assertThat(t.rolePolicy("EvaluationFunctionRole"))
        .flatMap(CfnTemplate.Statement::resources)
        .noneMatch(r -> r.contains("landing") || r.contains("outputs/identification"));
    assertThat(t.rolePolicy("IdentificationFunctionRole"))
        .flatMap(CfnTemplate.Statement::resources)
        .noneMatch(r -> r.contains("outputs/evaluation"));
  }

  @Test
  void theFunctionsRunMonthlyAndOnlyIdentificationListensForCaseloads() {
    CfnTemplate t = written.forPurposes("IDENTIFICATION,EVALUATION");
    var identification =
        CfnTemplate.map(t.functionProperties("IdentificationFunction").get("Events"));
    var evaluation = CfnTemplate.map(t.functionProperties("EvaluationFunction").get("Events"));
    assertThat(identification).containsOnlyKeys("Monthly", "CaseloadUpload");
    assertThat(evaluation).containsOnlyKeys("Monthly");
    assertThat(
            CfnTemplate.map(CfnTemplate.map(evaluation.get("Monthly")).get("Properties"))
                .get("Schedule"))
        .asString()
        .matches("cron\\(\\d+ \\d+ 1 \\* \\? \\*\\)");
    assertThat(CfnTemplate.map(identification.get("CaseloadUpload")).toString())
        .contains("caseload/");
  }
}
