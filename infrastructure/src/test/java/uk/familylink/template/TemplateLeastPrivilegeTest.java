package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.properties;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import uk.familylink.template.CfnTemplate.Statement;

/**
 * IAM: every permission is visible in the template, names its actions and names its data resources.
 */
class TemplateLeastPrivilegeTest {

  /** Services whose resources hold data or keys. */
  private static final Set<String> DATA_SERVICES =
      Set.of("s3", "dynamodb", "kms", "sqs", "sns", "logs", "lambda");

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void noAllowStatementAnywhereUsesWildcardActions() {
    List<Statement> all = new java.util.ArrayList<>(template.identityStatements());
    all.addAll(template.resourcePolicyStatements());

    assertThat(all)
        .filteredOn(Statement::allows)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.actions()).as(s.toString()).noneMatch(a -> a.contains("*")));
  }

  @Test
  void identityPoliciesNameTheirDataResourcesWithoutWildcards() {
    List<Statement> dataStatements =
        template.identityStatements().stream()
            .filter(Statement::allows)
            .filter(
                s ->
                    s.actions().stream()
                        .anyMatch(a -> DATA_SERVICES.contains(a.substring(0, a.indexOf(':')))))
            .toList();

    assertThat(dataStatements)
        .isNotEmpty()
        .allSatisfy(
            s -> {
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
        .allSatisfy(
            s -> assertThat(s.resources()).as(s.toString()).containsExactly("${StorageKey.Arn}"));
  }

  @Test
  void tableAccessNamesTablesAndIndexesExactly() {
    assertThat(template.identityStatements())
        .filteredOn(
            s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("dynamodb:")))
        .isNotEmpty()
        .allSatisfy(
            s ->
                assertThat(s.resources())
                    .as(s.toString())
                    .allMatch(
                        r ->
                            r.matches("\\$\\{(LinkedTable|AuditTable)\\.(Arn|StreamArn)}")
                                || r.matches(
                                    "\\$\\{(LinkedTable|AuditTable)\\.Arn}/index/(byExpiry|byPerson|byKind)")
                                // ListStreams names the table's streams, whose labels are not known
                                // in advance.
                                || (s.actions().equals(List.of("dynamodb:ListStreams"))
                                    && r.equals("${LinkedTable.Arn}/stream/*"))));
  }

  @Test
  void storageKeyUseIsAlwaysThroughAStorageService() {
    assertThat(template.identityStatements())
        .filteredOn(s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("kms:")))
        .allSatisfy(
            s ->
                assertThat(CfnTemplate.map(s.condition().get("StringEquals")))
                    .as(s.toString())
                    .containsKey("kms:ViaService"));
  }

  @Test
  void functionsRunAsExplicitRolesWithoutManagedPolicies() {
    // SAM-generated roles and managed policies (e.g. AWSLambdaDynamoDBExecutionRole, which allows
    // stream reads on "*") would be invisible to these tests.
    template
        .resourcesOfType("AWS::Serverless::Function")
        .forEach(
            (id, fn) -> {
              Map<String, Object> p = properties(fn);
              assertThat(CfnTemplate.text(p.get("Role")))
                  .as(id)
                  .matches("\\$\\{[A-Za-z]+Role\\.Arn}");
              assertThat(p).as(id).doesNotContainKeys("Policies", "PermissionsBoundary");
            });
    template
        .resourcesOfType("AWS::IAM::Role")
        .forEach(
            (id, role) ->
                assertThat(properties(role)).as(id).doesNotContainKey("ManagedPolicyArns"));
  }

  @Test
  void eachInvokerRoleMayInvokeOnlyItsFunctionsAndNothingElse() {
    // The ingest runs from its S3 event and the sweep from its schedule; no identity invokes them.
    // The DPO invokes subject access, the data team the output functions (statistics,
    // identification, evaluation), the release approver the research release; the template grants
    // those roles nothing else.
    Map<String, Set<String>> expected =
        Map.of(
            "SubjectAccessInvokerRole", Set.of("${SubjectAccessFunction.Arn}"),
            "DataTeamRole",
                Set.of(
                    "${LinkReviewFunction.Arn}",
                    "${StatisticsFunction.Arn}",
                    "${IdentificationFunction.Arn}",
                    "${EvaluationFunction.Arn}"),
            "ReleaseApproverRole", Set.of("${ResearchReleaseFunction.Arn}"));
    Map<String, Set<String>> actual = new java.util.HashMap<>();
    template.identityStatements().stream()
        .filter(s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("lambda:")))
        .forEach(
            s -> {
              assertThat(s.actions()).containsExactly("lambda:InvokeFunction");
              assertThat(actual.put(s.owner(), Set.copyOf(s.resources()))).isNull();
            });
    assertThat(actual).isEqualTo(expected);
    assertThat(template.rolePolicy("SubjectAccessInvokerRole")).hasSize(1);
    assertThat(template.rolePolicy("ReleaseApproverRole")).hasSize(1);
    // Besides invoking, the data team reads the family outputs (and decrypts them through S3 on
    // the exports bucket only): nothing of statistics' or releases' working folders, no table.
    assertThat(template.rolePolicy("DataTeamRole"))
        .filteredOn(s -> !s.actions().contains("lambda:InvokeFunction"))
        .hasSize(2)
        .anySatisfy(
            s -> {
              assertThat(s.actions()).containsExactly("s3:GetObject");
              assertThat(s.resources())
                  .containsExactlyInAnyOrder(
                      "${ExportsBucket.Arn}/outputs/identification/*",
                      "${ExportsBucket.Arn}/outputs/evaluation/*");
            })
        .anySatisfy(
            s -> {
              assertThat(s.actions()).containsExactly("kms:Decrypt");
              assertThat(s.toString()).contains("kms:ViaService", "aws:s3:arn");
            });
  }

  @Test
  void theInvokerRoleIsAssumableOnlyFromThisAccount() {
    Map<String, Object> trust =
        CfnTemplate.map(
            properties(template.resource("SubjectAccessInvokerRole"))
                .get("AssumeRolePolicyDocument"));

    assertThat(CfnTemplate.list(trust.get("Statement")))
        .singleElement()
        .satisfies(
            o -> {
              Map<String, Object> s = CfnTemplate.map(o);
              assertThat(s.get("Effect")).isEqualTo("Allow");
              assertThat(s.get("Action")).isEqualTo("sts:AssumeRole");
              assertThat(CfnTemplate.texts(CfnTemplate.map(s.get("Principal")).get("AWS")))
                  .containsExactly("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
            });
  }

  /**
   * Each function role's permissions, as "action resource", exactly: what its adapters call
   * (IngestHandler's wiring; DynamoDbExpiredItems, S3AgedObjects, DynamoDbAuditLog for the sweep;
   * DynamoDbPersonReader, DynamoDbAuditLog for subject access). A widened grant fails here.
   */
  @Test
  void eachFunctionRoleHasExactlyThePermissionsItsCodeUses() {
    String bucket = CfnTemplate.LANDING_BUCKET_ARN;
    Map<String, Set<String>> expected =
        Map.of(
            "IngestFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${IngestLogGroup.Arn}",
                    "logs:PutLogEvents ${IngestLogGroup.Arn}",
                    "s3:GetObject " + bucket + "/incoming/*",
                    "s3:DeleteObject " + bucket + "/incoming/*",
                    "s3:DeleteObjectVersion " + bucket + "/incoming/*",
                    "s3:PutObject " + bucket + "/reports/*",
                    "dynamodb:GetItem ${LinkedTable.Arn}",
                    "dynamodb:BatchGetItem ${LinkedTable.Arn}",
                    "dynamodb:PutItem ${LinkedTable.Arn}",
                    "dynamodb:UpdateItem ${LinkedTable.Arn}",
                    "dynamodb:BatchWriteItem ${LinkedTable.Arn}",
                    "dynamodb:ConditionCheckItem ${LinkedTable.Arn}",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}",
                    "sqs:SendMessage ${FailureQueue.Arn}",
                    "sqs:SendMessage ${ContinuationQueue.Arn}",
                    "sqs:ReceiveMessage ${ContinuationQueue.Arn}",
                    "sqs:DeleteMessage ${ContinuationQueue.Arn}",
                    "sqs:GetQueueAttributes ${ContinuationQueue.Arn}"),
            "RetentionSweepFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${RetentionSweepLogGroup.Arn}",
                    "logs:PutLogEvents ${RetentionSweepLogGroup.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byExpiry",
                    "dynamodb:Query ${AuditTable.Arn}/index/byExpiry",
                    "dynamodb:BatchGetItem ${LinkedTable.Arn}",
                    "dynamodb:BatchGetItem ${AuditTable.Arn}",
                    "dynamodb:BatchWriteItem ${LinkedTable.Arn}",
                    "dynamodb:BatchWriteItem ${AuditTable.Arn}",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "dynamodb:GetItem ${LinkedTable.Arn}",
                    "dynamodb:PutItem ${LinkedTable.Arn}",
                    "dynamodb:UpdateItem ${LinkedTable.Arn}",
                    "dynamodb:UpdateItem ${AuditTable.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byPerson",
                    "dynamodb:DeleteItem ${LinkedTable.Arn}",
                    "s3:ListBucket ${LandingBucket.Arn}",
                    "s3:DeleteObject ${LandingBucket.Arn}/reports/*",
                    "s3:DeleteObject ${LandingBucket.Arn}/exports/*",
                    "s3:DeleteObject ${LandingBucket.Arn}/incoming/*",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}",
                    "sqs:SendMessage ${FailureQueue.Arn}"),
            // Reads the stream through the event source mapping, appends evidence; no table items,
            // no deletes, no key derivation (GenerateMac).
            "TtlEvidenceFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${TtlEvidenceLogGroup.Arn}",
                    "logs:PutLogEvents ${TtlEvidenceLogGroup.Arn}",
                    "dynamodb:DescribeStream ${LinkedTable.StreamArn}",
                    "dynamodb:GetRecords ${LinkedTable.StreamArn}",
                    "dynamodb:GetShardIterator ${LinkedTable.StreamArn}",
                    "dynamodb:ListStreams ${LinkedTable.Arn}/stream/*",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}",
                    "sqs:SendMessage ${FailureQueue.Arn}"),
            "SubjectAccessFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${SubjectAccessLogGroup.Arn}",
                    "logs:PutLogEvents ${SubjectAccessLogGroup.Arn}",
                    "dynamodb:GetItem ${LinkedTable.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}",
                    "dynamodb:BatchGetItem ${LinkedTable.Arn}",
                    "dynamodb:GetItem ${LinkedTable.Arn}/index/byPerson",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byPerson",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}"),
            // Reads the linked table whole (evaluation statistics), writes only statistics/.
            "StatisticsFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${StatisticsLogGroup.Arn}",
                    "logs:PutLogEvents ${StatisticsLogGroup.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byKind",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "s3:PutObject ${ExportsBucket.Arn}/statistics/*",
                    "s3:GetObject ${ExportsBucket.Arn}/statistics/latest/*",
                    "s3:ListBucket ${ExportsBucket.Arn}",
                    "sqs:SendMessage ${FailureQueue.Arn}",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}"),
            // Reads the linked table whole, writes only exports/ (GenerateMac: root key policy).
            "ResearchReleaseFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${ResearchReleaseLogGroup.Arn}",
                    "logs:PutLogEvents ${ResearchReleaseLogGroup.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byKind",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "s3:PutObject ${ExportsBucket.Arn}/exports/*",
                    "s3:GetObject ${ExportsBucket.Arn}/exports/*",
                    "s3:ListBucket ${ExportsBucket.Arn}",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}"),
            // FamilyOutputs: the population read (Query of the byKind index, decision record 0161),
            // the audit, caseloads
            // read and deleted, answers under reports/, its own outputs prefix.
            "IdentificationFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${IdentificationLogGroup.Arn}",
                    "logs:PutLogEvents ${IdentificationLogGroup.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byKind",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "s3:GetObject " + bucket + "/caseload/*",
                    "s3:DeleteObject " + bucket + "/caseload/*",
                    "s3:PutObject " + bucket + "/reports/*",
                    "s3:PutObject ${ExportsBucket.Arn}/outputs/identification/*",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}",
                    "sqs:SendMessage ${FailureQueue.Arn}"),
            "EvaluationFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${EvaluationLogGroup.Arn}",
                    "logs:PutLogEvents ${EvaluationLogGroup.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byKind",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "s3:PutObject ${ExportsBucket.Arn}/outputs/evaluation/*",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}",
                    "sqs:SendMessage ${FailureQueue.Arn}"),
            // The review queue (Query of pending reviews in byKind), the two persons by key, the
            // merge transaction and the decision; no Scan, no delete, no key, no bucket.
            "LinkReviewFunctionRole",
                Set.of(
                    "logs:CreateLogStream ${LinkReviewLogGroup.Arn}",
                    "logs:PutLogEvents ${LinkReviewLogGroup.Arn}",
                    "dynamodb:Query ${LinkedTable.Arn}/index/byKind",
                    "dynamodb:GetItem ${LinkedTable.Arn}",
                    "dynamodb:BatchGetItem ${LinkedTable.Arn}",
                    "dynamodb:UpdateItem ${LinkedTable.Arn}",
                    "dynamodb:PutItem ${LinkedTable.Arn}",
                    "dynamodb:ConditionCheckItem ${LinkedTable.Arn}",
                    "dynamodb:PutItem ${AuditTable.Arn}",
                    "kms:Decrypt ${StorageKey.Arn}",
                    "kms:Encrypt ${StorageKey.Arn}",
                    "kms:GenerateDataKey ${StorageKey.Arn}",
                    "kms:DescribeKey ${StorageKey.Arn}"));

    expected.forEach(
        (role, grants) -> {
          Set<String> actual = new TreeSet<>();
          for (Statement s : template.rolePolicy(role)) {
            assertThat(s.allows()).as(s.toString()).isTrue();
            s.actions().forEach(a -> s.resources().forEach(r -> actual.add(a + " " + r)));
          }
          assertThat(actual).as(role).isEqualTo(new TreeSet<>(grants));
        });
  }

  @Test
  void theSweepListsOnlyThePrefixesItSweeps() {
    assertThat(template.rolePolicy("RetentionSweepFunctionRole"))
        .filteredOn(s -> s.actions().contains("s3:ListBucket"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(
                        CfnTemplate.strings(
                            CfnTemplate.map(s.condition().get("StringLike")).get("s3:prefix")))
                    .containsExactlyInAnyOrder("reports/*", "exports/*", "incoming/*"));
  }

  @Test
  void theSweepTtlEvidenceAndSubjectAccessUseTheStorageKeyOnlyThroughTheServicesTheyCall() {
    Map<String, Set<String>> services =
        Map.of(
            "RetentionSweepFunctionRole",
                Set.of("dynamodb.${AWS::Region}.amazonaws.com", "sqs.${AWS::Region}.amazonaws.com"),
            "TtlEvidenceFunctionRole",
                Set.of("dynamodb.${AWS::Region}.amazonaws.com", "sqs.${AWS::Region}.amazonaws.com"),
            "SubjectAccessFunctionRole", Set.of("dynamodb.${AWS::Region}.amazonaws.com"),
            "LinkReviewFunctionRole", Set.of("dynamodb.${AWS::Region}.amazonaws.com"),
            "StatisticsFunctionRole",
                Set.of(
                    "dynamodb.${AWS::Region}.amazonaws.com",
                    "s3.${AWS::Region}.amazonaws.com",
                    "sqs.${AWS::Region}.amazonaws.com"),
            "ResearchReleaseFunctionRole",
                Set.of("dynamodb.${AWS::Region}.amazonaws.com", "s3.${AWS::Region}.amazonaws.com"));
    services.forEach(
        (role, expected) ->
            assertThat(template.rolePolicy(role))
                .filteredOn(s -> s.actions().stream().anyMatch(a -> a.startsWith("kms:")))
                .singleElement()
                .satisfies(
                    s ->
                        assertThat(
                                CfnTemplate.texts(
                                    CfnTemplate.map(s.condition().get("StringEquals"))
                                        .get("kms:ViaService")))
                            .as(role)
                            .containsExactlyInAnyOrderElementsOf(expected)));
  }

  @Test
  void everyRoleIsAFunctionsRoleOrAPartnersRole() {
    // No role left behind for a function that is not deployed: unused permissions are still
    // permissions.
    Set<String> functionRoles = new TreeSet<>();
    template
        .resourcesOfType("AWS::Serverless::Function")
        .values()
        .forEach(
            fn -> {
              String role = CfnTemplate.text(properties(fn).get("Role"));
              functionRoles.add(role.substring(2, role.indexOf('.')));
            });
    Set<String> partnerRoles = new TreeSet<>();
    template
        .defaultPartners()
        .forEach(p -> partnerRoles.add("PartnerRole" + p.replaceAll("[^0-9A-Za-z]", "")));

    Set<String> expected = new TreeSet<>(functionRoles);
    expected.addAll(partnerRoles);
    expected.add("SubjectAccessInvokerRole");
    expected.add("DataTeamRole");
    expected.add("ReleaseApproverRole");
    assertThat(new TreeSet<>(template.resourcesOfType("AWS::IAM::Role").keySet()))
        .isEqualTo(expected);
    assertThat(functionRoles)
        .containsExactlyInAnyOrder(
            "IngestFunctionRole",
            "RetentionSweepFunctionRole",
            "TtlEvidenceFunctionRole",
            "SubjectAccessFunctionRole",
            "LinkReviewFunctionRole",
            "StatisticsFunctionRole",
            "ResearchReleaseFunctionRole",
            "IdentificationFunctionRole",
            "EvaluationFunctionRole");
  }

  @Test
  void theUploadsAreReadOnlyByTheIngestAndDeletedOnlyByTheIngestAndTheSweep() {
    assertThat(template.identityStatements())
        .filteredOn(s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("s3:Get")))
        .filteredOn(s -> s.resources().stream().anyMatch(r -> r.contains("/incoming/")))
        .singleElement()
        .satisfies(s -> assertThat(s.owner()).isEqualTo("IngestFunctionRole"));
    // The sweep removes uploads the ingest left behind for more than a day (P2).
    assertThat(template.identityStatements())
        .filteredOn(
            s -> s.allows() && s.actions().stream().anyMatch(a -> a.startsWith("s3:Delete")))
        .filteredOn(s -> s.resources().stream().anyMatch(r -> r.contains("/incoming/")))
        .extracting(Statement::owner)
        .containsExactlyInAnyOrder("IngestFunctionRole", "RetentionSweepFunctionRole");
  }

  @Test
  void theAuditTableIsAppendOnlyForEveryoneButTheRetentionSweep() {
    // Everyone else may only add entries.
    assertThat(template.identityStatements())
        .filteredOn(
            s -> s.allows() && s.resources().stream().anyMatch(r -> r.contains("AuditTable")))
        .filteredOn(s -> !s.owner().equals("RetentionSweepFunctionRole"))
        .isNotEmpty()
        .allSatisfy(
            s -> assertThat(s.actions()).as(s.toString()).containsExactly("dynamodb:PutItem"));
    // The sweep deletes expired entries (BatchWriteItem; DeleteItem is not called) and nothing
    // else that could change or remove one.
    Set<String> sweepOnAudit = new TreeSet<>();
    template.rolePolicy("RetentionSweepFunctionRole").stream()
        .filter(s -> s.allows() && s.resources().stream().anyMatch(r -> r.contains("AuditTable")))
        .forEach(s -> sweepOnAudit.addAll(s.actions()));
    assertThat(sweepOnAudit)
        .containsExactlyInAnyOrder(
            "dynamodb:Query",
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem");
    // Its updates (re-stamping) may touch the expiry attributes only, never an entry's content.
    assertThat(template.rolePolicy("RetentionSweepFunctionRole"))
        .filteredOn(s -> s.actions().contains("dynamodb:UpdateItem"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(
                        CfnTemplate.strings(
                            CfnTemplate.map(s.condition().get("ForAllValues:StringEquals"))
                                .get("dynamodb:Attributes")))
                    .containsExactlyInAnyOrder("pk", "sk", "expiresAt", "expiryPk"));
    // Its item-level reads and writes on the linked table are each bound to named partitions: the
    // retention state, the released-link notes, and (to undo a raced removal) the kinds of item a
    // removal takes. None is unconditional.
    Set<String> leadingKeys = new TreeSet<>();
    template.rolePolicy("RetentionSweepFunctionRole").stream()
        .filter(s -> s.resources().contains("${LinkedTable.Arn}"))
        .filter(
            s ->
                s.actions().stream()
                    .anyMatch(
                        a ->
                            Set.of(
                                    "dynamodb:GetItem",
                                    "dynamodb:PutItem",
                                    "dynamodb:DeleteItem",
                                    "dynamodb:Query")
                                .contains(a)))
        .forEach(
            s -> {
              Object keys =
                  s.condition() == null
                      ? null
                      : s.condition().values().stream()
                          .map(CfnTemplate::map)
                          .map(m -> m.get("dynamodb:LeadingKeys"))
                          .filter(java.util.Objects::nonNull)
                          .findFirst()
                          .orElse(null);
              assertThat(keys).as(s + " is bound to partitions").isNotNull();
              leadingKeys.addAll(CfnTemplate.strings(keys));
            });
    assertThat(leadingKeys)
        .containsExactlyInAnyOrder(
            "RETENTION#STATE", "RELEASED", "PERSON#*", "ID#*", "FAMILY#*", "REC#*");
    // And no identity or resource policy anywhere grants a deletion on the audit table to anyone
    // else.
    List<Statement> all = new java.util.ArrayList<>(template.identityStatements());
    all.addAll(template.resourcePolicyStatements());
    assertThat(all)
        .filteredOn(
            s ->
                s.allows()
                    && s.actions().stream().anyMatch(TemplateLeastPrivilegeTest::removesItems))
        .filteredOn(s -> s.resources().stream().anyMatch(r -> r.contains("AuditTable")))
        .extracting(Statement::owner)
        .containsOnly("RetentionSweepFunctionRole")
        .isNotEmpty();
  }

  private static boolean removesItems(String action) {
    return Set.of(
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteTable",
            "dynamodb:PartiQLDelete",
            "dynamodb:PartiQLUpdate")
        .contains(action);
  }

  /**
   * A resource is named when it is built from a template reference (or the landing bucket's derived
   * name) and any wildcard only ends a path under a fixed prefix, like bucket/incoming/partner/*.
   */
  static boolean isNamed(String resource) {
    if (resource.equals("*")) {
      return false;
    }
    String withoutTrailing =
        resource.endsWith("/*") ? resource.substring(0, resource.length() - 2) : resource;
    if (withoutTrailing.contains("*") || withoutTrailing.contains("?")) {
      return false;
    }
    boolean referencesResource =
        CfnTemplate.subVariables(withoutTrailing).stream()
            .anyMatch(v -> !v.startsWith("AWS::") && !v.equals("DeploymentName"));
    return referencesResource || withoutTrailing.startsWith(CfnTemplate.LANDING_BUCKET_ARN);
  }

  @Test
  void theWildcardRuleItselfRejectsBroadResources() {
    assertThat(isNamed("*")).isFalse();
    assertThat(isNamed("arn:${AWS::Partition}:s3:::*")).isFalse();
    assertThat(isNamed("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*"))
        .isFalse();
    assertThat(isNamed("${LinkedTable.Arn}*")).isFalse();
    assertThat(isNamed("${LandingBucket.Arn}/*/reports/*")).isFalse();
    assertThat(isNamed("${LinkedTable.Arn}")).isTrue();
    assertThat(isNamed(CfnTemplate.LANDING_BUCKET_ARN + "/incoming/police/*")).isTrue();
  }
}
