package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.properties;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.template.CfnTemplate.Statement;

/** IAM: every permission is visible in the template, names its actions and names its data resources. */
class TemplateLeastPrivilegeTest {

    /** Services whose resources hold data or keys. */
    private static final Set<String> DATA_SERVICES = Set.of("s3", "dynamodb", "kms", "sqs", "sns", "logs", "lambda");

    private final CfnTemplate template = CfnTemplate.load();

    @Test
    void noAllowStatementAnywhereUsesWildcardActions() {
        List<Statement> all = new java.util.ArrayList<>(template.identityStatements());
        all.addAll(template.resourcePolicyStatements());

        assertThat(all).filteredOn(Statement::allows).isNotEmpty().allSatisfy(s ->
                assertThat(s.actions()).as(s.toString()).noneMatch(a -> a.contains("*")));
    }

    @Test
    void identityPoliciesNameTheirDataResourcesWithoutWildcards() {
        List<Statement> dataStatements = template.identityStatements().stream()
                .filter(Statement::allows)
                .filter(s -> s.actions().stream().anyMatch(a -> DATA_SERVICES.contains(a.substring(0, a.indexOf(':')))))
                .toList();

        assertThat(dataStatements).isNotEmpty().allSatisfy(s -> {
            assertThat(s.resources()).as(s.toString()).isNotEmpty();
            for (String resource : s.resources()) {
                assertThat(isNamed(resource)).as("%s in %s", resource, s).isTrue();
            }
        });
    }

    @Test
    void keysAreNamedExactly() {
        assertThat(template.identityStatements())
                .filteredOn(s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("kms:")))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.resources()).as(s.toString()).containsExactly("${StorageKey.Arn}"));
    }

    @Test
    void tableAccessNamesTablesAndIndexesExactly() {
        assertThat(template.identityStatements())
                .filteredOn(s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("dynamodb:")))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.resources()).as(s.toString()).allMatch(r ->
                        r.matches("\\$\\{(LinkedTable|AuditTable)\\.(Arn|StreamArn)}")
                                || r.matches("\\$\\{(LinkedTable|AuditTable)\\.Arn}/index/(byExpiry|byPerson)")
                                // ListStreams names the table's streams, whose labels are not known in advance.
                                || (s.actions().equals(List.of("dynamodb:ListStreams"))
                                        && r.equals("${LinkedTable.Arn}/stream/*"))));
    }

    @Test
    void storageKeyUseIsAlwaysThroughAStorageService() {
        assertThat(template.identityStatements())
                .filteredOn(s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("kms:")))
                .allSatisfy(s -> assertThat(CfnTemplate.map(s.condition().get("StringEquals")))
                        .as(s.toString()).containsKey("kms:ViaService"));
    }

    @Test
    void functionsRunAsExplicitRolesWithoutManagedPolicies() {
        // SAM-generated roles and managed policies (e.g. AWSLambdaDynamoDBExecutionRole, which allows
        // stream reads on "*") would be invisible to these tests.
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, fn) -> {
            Map<String, Object> p = properties(fn);
            assertThat(CfnTemplate.text(p.get("Role"))).as(id).matches("\\$\\{[A-Za-z]+Role\\.Arn}");
            assertThat(p).as(id).doesNotContainKeys("Policies", "PermissionsBoundary");
        });
        template.resourcesOfType("AWS::IAM::Role").forEach((id, role) ->
                assertThat(properties(role)).as(id).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void onlyTheInvokerRoleMayInvokeTheSubjectAccessFunction() {
        assertThat(template.identityStatements())
                .filteredOn(s -> s.allows() && s.actions().contains("lambda:InvokeFunction"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.owner()).isEqualTo("SubjectAccessInvokerRole");
                    assertThat(s.resources()).containsExactly("${SubjectAccessFunction.Arn}");
                });
    }

    @Test
    void theUploadsAreReadAndDeletedOnlyByTheIngestFunction() {
        assertThat(template.identityStatements())
                .filteredOn(s -> s.allows() && s.actions().stream().anyMatch(a -> a.equals("s3:GetObject") || a.equals("s3:DeleteObject")))
                .filteredOn(s -> s.resources().stream().anyMatch(r -> r.contains("/incoming/")))
                .singleElement()
                .satisfies(s -> assertThat(s.owner()).isEqualTo("IngestFunctionRole"));
    }

    @Test
    void theAuditTableIsAppendOnlyForEveryoneButTheRetentionSweep() {
        assertThat(template.identityStatements())
                .filteredOn(s -> s.allows() && s.resources().contains("${AuditTable.Arn}"))
                .filteredOn(s -> !s.owner().equals("RetentionSweepFunctionRole"))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.actions()).as(s.toString()).containsExactly("dynamodb:PutItem"));
    }

    /**
     * A resource is named when it is built from a template reference (or the landing bucket's derived
     * name) and any wildcard only ends a path under a fixed prefix, like bucket/incoming/partner/*.
     */
    static boolean isNamed(String resource) {
        if (resource.equals("*")) {
            return false;
        }
        String withoutTrailing = resource.endsWith("/*") ? resource.substring(0, resource.length() - 2) : resource;
        if (withoutTrailing.contains("*") || withoutTrailing.contains("?")) {
            return false;
        }
        boolean referencesResource = CfnTemplate.subVariables(withoutTrailing).stream()
                .anyMatch(v -> !v.startsWith("AWS::") && !v.equals("DeploymentName"));
        return referencesResource || withoutTrailing.startsWith(CfnTemplate.LANDING_BUCKET_ARN);
    }

    @Test
    void theWildcardRuleItselfRejectsBroadResources() {
        assertThat(isNamed("*")).isFalse();
        assertThat(isNamed("arn:${AWS::Partition}:s3:::*")).isFalse();
        assertThat(isNamed("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*")).isFalse();
        assertThat(isNamed("${LinkedTable.Arn}*")).isFalse();
        assertThat(isNamed("${LandingBucket.Arn}/*/reports/*")).isFalse();
        assertThat(isNamed("${LinkedTable.Arn}")).isTrue();
        assertThat(isNamed(CfnTemplate.LANDING_BUCKET_ARN + "/incoming/police/*")).isTrue();
    }
}
