package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.list;
import static uk.familylink.template.CfnTemplate.map;
import static uk.familylink.template.CfnTemplate.properties;
import static uk.familylink.template.CfnTemplate.references;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Encryption everywhere: every store uses the customer-managed storage key. */
class TemplateEncryptionTest {

  /**
   * Every resource type the template may contain. A new type fails this test on purpose: decide
   * whether it stores data and, if so, add an encryption assertion below before listing it here.
   */
  private static final Set<String> REVIEWED_TYPES =
      Set.of(
          "AWS::KMS::Key",
          "AWS::KMS::Alias",
          "AWS::S3::Bucket",
          "AWS::S3::BucketPolicy",
          "AWS::DynamoDB::Table",
          "AWS::SQS::Queue",
          "AWS::SNS::Topic",
          "AWS::SNS::Subscription",
          "AWS::CloudWatch::Alarm",
          "AWS::Logs::LogGroup",
          "AWS::IAM::Role",
          "AWS::Serverless::Function");

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void everyResourceTypeHasBeenReviewedForEncryption() {
    Set<String> types = new TreeSet<>();
    template.resources().values().forEach(r -> types.add(String.valueOf(r.get("Type"))));

    assertThat(REVIEWED_TYPES).containsAll(types);
  }

  @Test
  void bucketsUseSseKmsWithTheStorageKeyAndBucketKeys() {
    Map<String, Map<String, Object>> buckets = template.resourcesOfType("AWS::S3::Bucket");
    assertThat(buckets).containsKeys("LandingBucket", "ExportsBucket");

    buckets.forEach(
        (id, bucket) -> {
          var rules =
              list(
                  map(properties(bucket).get("BucketEncryption"))
                      .get("ServerSideEncryptionConfiguration"));
          assertThat(rules).as(id).hasSize(1);
          Map<String, Object> rule = map(rules.get(0));
          Map<String, Object> byDefault = map(rule.get("ServerSideEncryptionByDefault"));
          assertThat(byDefault.get("SSEAlgorithm")).as(id).isEqualTo("aws:kms");
          assertThat(references(byDefault.get("KMSMasterKeyID"), "StorageKey"))
              .as(id + " key")
              .isTrue();
          assertThat(rule.get("BucketKeyEnabled")).as(id + " bucket key").isEqualTo(true);
        });
  }

  @Test
  void tablesUseTheCustomerManagedStorageKey() {
    Map<String, Map<String, Object>> tables = template.resourcesOfType("AWS::DynamoDB::Table");
    assertThat(tables).containsOnlyKeys("LinkedTable", "AuditTable");

    tables.forEach(
        (id, table) -> {
          Map<String, Object> sse = map(properties(table).get("SSESpecification"));
          assertThat(sse.get("SSEEnabled")).as(id).isEqualTo(true);
          assertThat(sse.get("SSEType")).as(id).isEqualTo("KMS");
          assertThat(references(sse.get("KMSMasterKeyId"), "StorageKey")).as(id + " key").isTrue();
        });
  }

  @Test
  void queuesTopicsAndLogGroupsUseTheStorageKey() {
    template
        .resourcesOfType("AWS::SQS::Queue")
        .forEach(
            (id, q) ->
                assertThat(references(properties(q).get("KmsMasterKeyId"), "StorageKey"))
                    .as(id)
                    .isTrue());
    template
        .resourcesOfType("AWS::SNS::Topic")
        .forEach(
            (id, t) ->
                assertThat(references(properties(t).get("KmsMasterKeyId"), "StorageKey"))
                    .as(id)
                    .isTrue());
    Map<String, Map<String, Object>> logGroups = template.resourcesOfType("AWS::Logs::LogGroup");
    assertThat(logGroups).isNotEmpty();
    logGroups.forEach(
        (id, g) ->
            assertThat(references(properties(g).get("KmsKeyId"), "StorageKey")).as(id).isTrue());
  }

  @Test
  void theStorageKeyLetsCloudWatchLogsUseItOnlyForThisStacksLogGroups() {
    // Without this statement the encrypted log groups could not be created at all.
    var logs =
        template.keyPolicy("StorageKey").stream()
            .filter(s -> s.allows() && s.principals().stream().anyMatch(p -> p.startsWith("logs.")))
            .toList();

    assertThat(logs).hasSize(1);
    String context =
        CfnTemplate.text(
            map(logs.get(0).condition().get("ArnLike")).get("kms:EncryptionContext:aws:logs:arn"));
    assertThat(context).endsWith(":log-group:/aws/lambda/${AWS::StackName}-*");
    template
        .resourcesOfType("AWS::Logs::LogGroup")
        .forEach(
            (id, g) ->
                assertThat(CfnTemplate.text(properties(g).get("LogGroupName")))
                    .as(id)
                    .startsWith("/aws/lambda/${AWS::StackName}-"));
  }
}
