package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.list;
import static uk.familylink.template.CfnTemplate.map;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the deployer is asked for and what the stack tells them back. */
class TemplateParametersTest {

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void programmeEndDateMustBeAnIsoDate() {
    Map<String, Object> p = map(template.section("Parameters").get("ProgrammeEndDate"));
    String pattern = (String) p.get("AllowedPattern");

    assertThat("2026-03-31").matches(pattern);
    assertThat("31/03/2026").doesNotMatch(pattern);
    assertThat("2026-3-31").doesNotMatch(pattern);
  }

  @Test
  void retentionDefaultsToSixYears() {
    Map<String, Object> p = map(template.section("Parameters").get("RetentionYears"));

    assertThat(p.get("Default")).isEqualTo(6);
    assertThat(list(p.get("AllowedValues"))).contains(6);
  }

  @Test
  void partnersAndAlarmEmailAreParameters() {
    Map<String, Object> params = template.section("Parameters");

    assertThat(map(params.get("Partners")).get("Type")).isEqualTo("CommaDelimitedList");
    assertThat(map(params.get("Partners")).get("Default"))
        .isEqualTo("early-help,schools,police,dwp,health,housing,social-care");
    String email = (String) map(params.get("AlarmEmail")).get("AllowedPattern");
    assertThat("dpo@herefordshire.gov.uk").matches(email);
    assertThat("not an address").doesNotMatch(email);
  }

  @Test
  void landingBucketNamesAreValidS3Names() {
    String pattern =
        (String) map(template.section("Parameters").get("DeploymentName")).get("AllowedPattern");

    assertThat("familylink").matches(pattern);
    assertThat("FamilyLink").doesNotMatch(pattern);
    assertThat("a.b").doesNotMatch(pattern);
  }

  @Test
  void outputsNameTheBucketsTablesFunctionsAndPartnerRoles() {
    Map<String, Object> outputs = template.section("Outputs");

    Map<String, Object> expected =
        Map.ofEntries(
            Map.entry("LandingBucketName", Map.of("Ref", "LandingBucket")),
            Map.entry("ExportsBucketName", Map.of("Ref", "ExportsBucket")),
            Map.entry("LinkedTableName", Map.of("Ref", "LinkedTable")),
            Map.entry("AuditTableName", Map.of("Ref", "AuditTable")),
            Map.entry("IngestFunctionName", Map.of("Ref", "IngestFunction")),
            Map.entry("RetentionSweepFunctionName", Map.of("Ref", "RetentionSweepFunction")),
            Map.entry("TtlEvidenceFunctionName", Map.of("Ref", "TtlEvidenceFunction")),
            Map.entry("SubjectAccessFunctionName", Map.of("Ref", "SubjectAccessFunction")),
            Map.entry("LinkReviewFunctionName", Map.of("Ref", "LinkReviewFunction")),
            Map.entry(
                "SubjectAccessInvokerRoleArn",
                Map.of("Fn::GetAtt", List.of("SubjectAccessInvokerRole", "Arn"))),
            Map.entry("StatisticsFunctionName", Map.of("Ref", "StatisticsFunction")),
            Map.entry("ResearchReleaseFunctionName", Map.of("Ref", "ResearchReleaseFunction")),
            Map.entry("DataTeamRoleArn", Map.of("Fn::GetAtt", List.of("DataTeamRole", "Arn"))),
            Map.entry(
                "ReleaseApproverRoleArn",
                Map.of("Fn::GetAtt", List.of("ReleaseApproverRole", "Arn"))));
    // Exactly these: an output naming a function or role that is not deployed would mislead the
    // deployer.
    assertThat(outputs)
        .containsOnlyKeys(
            "LandingBucketName",
            "ExportsBucketName",
            "LinkedTableName",
            "AuditTableName",
            "IngestFunctionName",
            "RetentionSweepFunctionName",
            "TtlEvidenceFunctionName",
            "SubjectAccessFunctionName",
            "LinkReviewFunctionName",
            "SubjectAccessInvokerRoleArn",
            "StatisticsFunctionName",
            "ResearchReleaseFunctionName",
            "DataTeamRoleArn",
            "ReleaseApproverRoleArn",
            "IdentificationFunctionName",
            "EvaluationFunctionName",
            "StorageKeyArn",
            "RootKeyArn",
            "FailureQueueUrl",
            "Fn::ForEach::PartnerRoleOutputs");
    expected.forEach(
        (name, value) -> assertThat(map(outputs.get(name)).get("Value")).as(name).isEqualTo(value));
    assertThat(CfnTemplate.text(map(outputs.get("StorageKeyArn")).get("Value")))
        .isEqualTo("${StorageKey.Arn}");
    var loop = list(outputs.get("Fn::ForEach::PartnerRoleOutputs"));
    assertThat(loop.get(1)).isEqualTo(Map.of("Ref", "Partners"));
    assertThat(map(map(loop.get(2)).get("PartnerRole&{Partner}Arn")).get("Value"))
        .isEqualTo(Map.of("Fn::Sub", "${PartnerRole&{Partner}.Arn}"));
  }
}
