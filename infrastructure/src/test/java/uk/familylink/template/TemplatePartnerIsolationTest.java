package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.LANDING_BUCKET_ARN;
import static uk.familylink.template.CfnTemplate.list;
import static uk.familylink.template.CfnTemplate.map;
import static uk.familylink.template.CfnTemplate.properties;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import uk.familylink.template.CfnTemplate.Statement;

/**
 * P4: one role per partner, which can put only to its own incoming/ prefix and read only its own
 * reports.
 */
class TemplatePartnerIsolationTest {

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void onePartnerRoleIsGeneratedForEachPartnerInTheParameter() {
    List<Object> loop = list(template.rawResources().get("Fn::ForEach::PartnerAccess"));

    assertThat(loop.get(0)).isEqualTo("Partner");
    assertThat(loop.get(1)).isEqualTo(Map.of("Ref", "Partners"));
    assertThat(map(loop.get(2))).containsOnlyKeys("PartnerRole&{Partner}");
    assertThat(template.defaultPartners())
        .containsExactly(
            "early-help", "schools", "police", "dwp", "health", "housing", "social-care");
    for (String partner : template.defaultPartners()) {
      assertThat(template.resource(roleId(partner)).get("Type")).isEqualTo("AWS::IAM::Role");
    }
  }

  @Test
  void partnerNamesAreSafeInObjectKeyPrefixes() {
    // A partner name with '/' or '*' would widen its prefix into another partner's.
    assertThat(template.defaultPartners()).allMatch(p -> p.matches("[a-z0-9][a-z0-9-]*"));
  }

  @Test
  void eachPartnerCanOnlyUploadToItsOwnIncomingAndCaseloadPrefixes() {
    for (String partner : template.defaultPartners()) {
      List<Statement> puts = allowing(partner, "s3:PutObject");

      assertThat(puts).as(partner).isNotEmpty();
      assertThat(puts)
          .flatMap(Statement::resources)
          .as(partner)
          .containsExactlyInAnyOrder(
              LANDING_BUCKET_ARN + "/incoming/" + partner + "/*",
              LANDING_BUCKET_ARN + "/caseload/" + partner + "/*");
    }
  }

  @Test
  void withoutIdentificationNoPartnerCanUploadACaseload() {
    CfnTemplate evaluationOnly = CfnTemplate.load(CfnTemplate.locate()).forPurposes("EVALUATION");
    for (String partner : evaluationOnly.defaultPartners()) {
      assertThat(
              evaluationOnly.rolePolicy(roleId(partner)).stream()
                  .filter(s -> s.allows() && s.actions().contains("s3:PutObject"))
                  .flatMap(s -> s.resources().stream()))
          .as(partner)
          .containsExactly(LANDING_BUCKET_ARN + "/incoming/" + partner + "/*");
    }
  }

  @Test
  void eachPartnerCanOnlyReadItsOwnReports() {
    for (String partner : template.defaultPartners()) {
      List<Statement> gets = allowing(partner, "s3:GetObject");

      assertThat(gets).as(partner).isNotEmpty();
      assertThat(gets)
          .flatMap(Statement::resources)
          .as(partner)
          .containsOnly(LANDING_BUCKET_ARN + "/reports/" + partner + "/*");
    }
  }

  @Test
  void aPartnerMayListOnlyUnderItsOwnReportsPrefix() {
    for (String partner : template.defaultPartners()) {
      for (Statement list : allowing(partner, "s3:ListBucket")) {
        Map<String, Object> like = map(list.condition().get("StringLike"));
        List<String> prefixes = CfnTemplate.texts(like.get("s3:prefix"));

        assertThat(list.condition()).as(partner).containsOnlyKeys("StringLike");
        assertThat(prefixes)
            .as(partner)
            .isNotEmpty()
            .allMatch(
                p -> p.equals("reports/" + partner + "/") || p.equals("reports/" + partner + "/*"));
      }
    }
  }

  @Test
  void partnerRolesHaveNoOtherPermissions() {
    for (String partner : template.defaultPartners()) {
      Set<String> actions = new TreeSet<>();
      template.rolePolicy(roleId(partner)).stream()
          .filter(Statement::allows)
          .forEach(s -> actions.addAll(s.actions()));

      assertThat(actions)
          .as(partner)
          .isSubsetOf(
              "s3:PutObject",
              "s3:GetObject",
              "s3:ListBucket",
              "kms:GenerateDataKey",
              "kms:Decrypt");
      assertThat(properties(template.resource(roleId(partner))))
          .as(partner)
          .doesNotContainKeys("ManagedPolicyArns", "PermissionsBoundary");
    }
  }

  @Test
  void partnersUseTheStorageKeyOnlyThroughS3OnTheLandingBucket() {
    for (String partner : template.defaultPartners()) {
      List<Statement> kms =
          template.rolePolicy(roleId(partner)).stream()
              .filter(s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("kms:")))
              .toList();

      assertThat(kms)
          .as(partner)
          .isNotEmpty()
          .allSatisfy(
              s -> {
                assertThat(s.resources()).containsExactly("${StorageKey.Arn}");
                Map<String, Object> eq = map(s.condition().get("StringEquals"));
                assertThat(CfnTemplate.text(eq.get("kms:ViaService")))
                    .isEqualTo("s3.${AWS::Region}.amazonaws.com");
                assertThat(CfnTemplate.text(eq.get("kms:EncryptionContext:aws:s3:arn")))
                    .isEqualTo(LANDING_BUCKET_ARN);
              });
    }
  }

  @Test
  void noPartnerRoleMentionsAnotherPartnersPrefix() {
    List<String> partners = template.defaultPartners();
    for (String partner : partners) {
      for (Statement s : template.rolePolicy(roleId(partner))) {
        String text = s.body().toString();
        for (String other : partners) {
          if (!other.equals(partner)) {
            assertThat(text).as(partner + " mentions " + other).doesNotContain("/" + other + "/");
          }
        }
      }
    }
  }

  @Test
  void nothingButThePartnerRolesMayWriteUnderIncoming() {
    assertThat(template.identityStatements())
        .filteredOn(s -> s.allows() && s.actions().contains("s3:PutObject"))
        .filteredOn(s -> s.resources().stream().anyMatch(r -> r.contains("/incoming/")))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.owner()).startsWith("PartnerRole"));
  }

  @Test
  void partnerRolesAreAssumableOnlyFromTheTrustedAccount() {
    for (String partner : template.defaultPartners()) {
      Map<String, Object> trust =
          map(properties(template.resource(roleId(partner))).get("AssumeRolePolicyDocument"));
      List<Object> statements = list(trust.get("Statement"));

      assertThat(statements).as(partner).hasSize(1);
      Map<String, Object> s = map(statements.get(0));
      assertThat(s.get("Action")).isEqualTo("sts:AssumeRole");
      assertThat(CfnTemplate.texts(map(s.get("Principal")).get("AWS")))
          .as(partner)
          .containsExactlyInAnyOrder(
              "arn:${AWS::Partition}:iam::${PartnerTrustAccountId}:root",
              "arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
    }
  }

  @Test
  void onlyTheFunctionsThatCheckUploadersAreToldEachPartnersRole() {
    // The S3 event's principalId for an upload made with a role is "AWS:<role id>:<session>".
    // The ingest checks who uploaded an extract and identification who uploaded a caseload; the
    // others are not told the partners' roles.
    Set<String> checking = Set.of("IngestFunction", "IdentificationFunction");
    Set<String> functions = template.resourcesOfType("AWS::Serverless::Function").keySet();
    assertThat(functions).containsAll(checking);
    for (String fn : functions) {
      if (!checking.contains(fn)) {
        assertThat(template.environment(fn))
            .as(fn)
            .doesNotContainKey("FAMILYLINK_PARTNER_PRINCIPALS");
        continue;
      }
      Object value = template.environment(fn).get("FAMILYLINK_PARTNER_PRINCIPALS");
      List<Object> loop =
          list(map(map(value).get("Fn::ToJsonString")).get("Fn::ForEach::PartnerPrincipal"));

      assertThat(loop.get(0)).as(fn).isEqualTo("Partner");
      assertThat(loop.get(1)).as(fn).isEqualTo(Map.of("Ref", "Partners"));
      assertThat(loop.get(2))
          .as(fn)
          .isEqualTo(
              Map.of("${Partner}", Map.of("Fn::Sub", "AWS:${PartnerRole&{Partner}.RoleId}")));
    }
  }

  private List<Statement> allowing(String partner, String action) {
    return template.rolePolicy(roleId(partner)).stream()
        .filter(s -> s.allows() && s.actions().contains(action))
        .toList();
  }

  private static String roleId(String partner) {
    return "PartnerRole" + partner.replaceAll("[^0-9A-Za-z]", "");
  }
}
