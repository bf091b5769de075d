package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.properties;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
    void noIdentityMayInvokeTheFunctionsDirectly() {
        // The ingest runs only from its S3 event. (The DPO's invoker role for subject access comes
        // back with that function, and with it a test that it may invoke nothing else.)
        assertThat(template.identityStatements())
                .filteredOn(Statement::allows)
                .noneMatch(s -> s.actions().stream().anyMatch(a -> a.startsWith("lambda:")));
    }

    @Test
    void everyRoleIsAFunctionsRoleOrAPartnersRole() {
        // No role left behind for a function that is not deployed: unused permissions are still permissions.
        Set<String> functionRoles = new TreeSet<>();
        template.resourcesOfType("AWS::Serverless::Function").values().forEach(fn -> {
            String role = CfnTemplate.text(properties(fn).get("Role"));
            functionRoles.add(role.substring(2, role.indexOf('.')));
        });
        Set<String> partnerRoles = new TreeSet<>();
        template.defaultPartners().forEach(p -> partnerRoles.add("PartnerRole" + p.replaceAll("[^0-9A-Za-z]", "")));

        Set<String> expected = new TreeSet<>(functionRoles);
        expected.addAll(partnerRoles);
        assertThat(new TreeSet<>(template.resourcesOfType("AWS::IAM::Role").keySet())).isEqualTo(expected);
        assertThat(functionRoles).containsExactly("IngestFunctionRole");
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
    void theAuditTableIsAppendOnly() {
        // When the retention sweep is deployed, its role (and only its role) may also delete expired entries.
        assertThat(template.identityStatements())
                .filteredOn(s -> s.allows() && s.resources().stream().anyMatch(r -> r.contains("AuditTable")))
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
