package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.map;
import static uk.familylink.template.CfnTemplate.properties;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import uk.familylink.template.CfnTemplate.Statement;

/**
 * P3: the HMAC root key is usable only by the pseudonymising functions; keys are protected from
 * deletion.
 */
class TemplateKeysTest {

  /**
   * The functions that pseudonymise, by the role each runs as: the ingest (uploads) and subject
   * access (the requester's identifiers) and, for their purposes, the research release (its
   * release's key) and the identification function (caseload references). Not the sweep, not the
   * evaluation function, not the invoker roles.
   */
  private static final Set<String> PSEUDONYMISING_ROLES =
      Set.of(
          "${IngestFunctionRole.Arn}",
          "${SubjectAccessFunctionRole.Arn}",
          "${ResearchReleaseFunctionRole.Arn}",
          "${IdentificationFunctionRole.Arn}");

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void rootKeyIsAnHmacKeyForGeneratingMacs() {
    Map<String, Object> p = properties(template.resource("RootKey"));

    assertThat(p.get("KeySpec")).isEqualTo("HMAC_256");
    assertThat(p.get("KeyUsage")).isEqualTo("GENERATE_VERIFY_MAC");
  }

  @Test
  void storageKeyIsSymmetricAndRotated() {
    Map<String, Object> p = properties(template.resource("StorageKey"));

    assertThat(p.get("KeySpec")).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(p.get("EnableKeyRotation")).isEqualTo(true);
  }

  @Test
  void keysWaitTheLongestPendingWindowBeforeDeletion() {
    template
        .resourcesOfType("AWS::KMS::Key")
        .forEach(
            (id, key) ->
                assertThat(properties(key).get("PendingWindowInDays")).as(id).isEqualTo(30));
  }

  @Test
  void onlyThePseudonymisingFunctionRolesMayGenerateMacs() {
    Set<String> granted = new TreeSet<>();
    for (Statement s : template.keyPolicy("RootKey")) {
      if (s.allows() && grants(s, "kms:GenerateMac")) {
        granted.addAll(s.principals());
      }
    }

    assertThat(granted).isEqualTo(PSEUDONYMISING_ROLES);
    assertThat(PSEUDONYMISING_ROLES)
        .allSatisfy(role -> assertThat(functionsRunningAs(role)).as(role).hasSize(1));
    assertThat(functionsRunningAs("${IngestFunctionRole.Arn}")).containsExactly("IngestFunction");
    assertThat(functionsRunningAs("${SubjectAccessFunctionRole.Arn}"))
        .containsExactly("SubjectAccessFunction");
    // the release key (familylink/v1/release/<id>); statistics derives nothing
    assertThat(functionsRunningAs("${ResearchReleaseFunctionRole.Arn}"))
        .containsExactly("ResearchReleaseFunction");
    assertThat(functionsRunningAs("${IdentificationFunctionRole.Arn}"))
        .containsExactly("IdentificationFunction");
  }

  @Test
  void eachPurposeOnlyDeploymentLetsOnlyItsOwnOutputsFunctionDeriveKeys() {
    assertThat(macGranteesWhenDeployedFor("EVALUATION"))
        .containsExactlyInAnyOrder(
            "${IngestFunctionRole.Arn}",
            "${SubjectAccessFunctionRole.Arn}",
            "${ResearchReleaseFunctionRole.Arn}");
    assertThat(macGranteesWhenDeployedFor("IDENTIFICATION"))
        .containsExactlyInAnyOrder(
            "${IngestFunctionRole.Arn}",
            "${SubjectAccessFunctionRole.Arn}",
            "${IdentificationFunctionRole.Arn}");
  }

  private static Set<String> macGranteesWhenDeployedFor(String purposes) {
    CfnTemplate deployed = CfnTemplate.load(CfnTemplate.locate()).forPurposes(purposes);
    Set<String> granted = new TreeSet<>();
    for (Statement s : deployed.keyPolicy("RootKey")) {
      if (s.allows() && grants(s, "kms:GenerateMac")) {
        granted.addAll(s.principals());
      }
    }
    return granted;
  }

  @Test
  void everyoneElseIsExplicitlyDeniedMacOperationsAndGrants() {
    List<Statement> policy = template.keyPolicy("RootKey");

    assertThat(policy)
        .anySatisfy(
            s -> {
              assertThat(s.denies()).isTrue();
              assertThat(s.principals()).containsExactly("*");
              assertThat(s.actions()).contains("kms:GenerateMac", "kms:VerifyMac");
              Map<String, Object> notEquals = map(s.condition().get("ArnNotEquals"));
              assertThat(CfnTemplate.texts(notEquals.get("aws:PrincipalArn")))
                  .containsExactlyInAnyOrderElementsOf(PSEUDONYMISING_ROLES);
            });
    assertThat(policy)
        .anySatisfy(
            s -> {
              assertThat(s.denies()).isTrue();
              assertThat(s.principals()).containsExactly("*");
              assertThat(s.actions()).containsExactly("kms:CreateGrant");
              assertThat(s.condition()).isEmpty();
            });
  }

  @Test
  void keyAdministratorsManageButCannotUseTheKeys() {
    for (String keyId : List.of("RootKey", "StorageKey")) {
      for (Statement s : template.keyPolicy(keyId)) {
        if (s.allows() && s.principals().stream().anyMatch(p -> p.endsWith(":root"))) {
          boolean unconditional = s.condition().isEmpty();
          if (unconditional) {
            assertThat(s.actions())
                .as(keyId + " " + s)
                .doesNotContain(
                    "kms:GenerateMac",
                    "kms:VerifyMac",
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:GenerateDataKey",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                    "kms:CreateGrant");
          } else {
            // Use delegated to IAM must go through a storage service.
            assertThat(map(s.condition().get("StringEquals")))
                .as(keyId + " " + s)
                .containsKey("kms:ViaService");
          }
        }
      }
    }
  }

  @Test
  void noIdentityPolicyGrantsMacOperations() {
    // GenerateMac comes from the root key policy alone, so the key policy is the whole story.
    assertThat(template.identityStatements())
        .filteredOn(Statement::allows)
        .noneMatch(s -> grants(s, "kms:GenerateMac") || grants(s, "kms:VerifyMac"));
    assertThat(template.identityStatements())
        .noneMatch(s -> s.resources().stream().anyMatch(r -> r.contains("RootKey")));
  }

  @Test
  void functionsAreToldTheRootKeyAndTheStorageKey() {
    for (String id : TemplateFunctionsTest.HANDLERS.keySet()) {
      Map<String, Object> env = template.environment(id);

      assertThat(CfnTemplate.text(env.get("FAMILYLINK_ROOT_KEY_ID")))
          .as(id)
          .isEqualTo("${RootKey.Arn}");
      assertThat(CfnTemplate.text(env.get("FAMILYLINK_SSE_KMS_KEY_ID")))
          .as(id)
          .isEqualTo("${StorageKey.Arn}");
    }
  }

  private static boolean grants(Statement s, String action) {
    String service = action.substring(0, action.indexOf(':'));
    return s.actions().stream()
        .anyMatch(
            a ->
                a.equals(action)
                    || a.equals("*")
                    || a.equals(service + ":*")
                    || (a.endsWith("*") && action.startsWith(a.substring(0, a.length() - 1))));
  }

  private List<String> functionsRunningAs(String roleArnText) {
    return template.resourcesOfType("AWS::Serverless::Function").entrySet().stream()
        .filter(e -> roleArnText.equals(CfnTemplate.text(properties(e.getValue()).get("Role"))))
        .map(Map.Entry::getKey)
        .toList();
  }
}
