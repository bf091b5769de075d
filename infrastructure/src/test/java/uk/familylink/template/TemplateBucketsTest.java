package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.list;
import static uk.familylink.template.CfnTemplate.map;
import static uk.familylink.template.CfnTemplate.properties;
import static uk.familylink.template.CfnTemplate.references;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import uk.familylink.template.CfnTemplate.Statement;

/** Public access blocked, TLS only, only SSE-KMS with our key, and lifecycle rules that destroy. */
class TemplateBucketsTest {

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void everyBucketBlocksAllPublicAccessAndDisablesAcls() {
    template
        .resourcesOfType("AWS::S3::Bucket")
        .forEach(
            (id, bucket) -> {
              Map<String, Object> block =
                  map(properties(bucket).get("PublicAccessBlockConfiguration"));
              assertThat(block)
                  .as(id)
                  .containsEntry("BlockPublicAcls", true)
                  .containsEntry("BlockPublicPolicy", true)
                  .containsEntry("IgnorePublicAcls", true)
                  .containsEntry("RestrictPublicBuckets", true);
              Object ownership =
                  map(list(map(properties(bucket).get("OwnershipControls")).get("Rules")).get(0))
                      .get("ObjectOwnership");
              assertThat(ownership).as(id).isEqualTo("BucketOwnerEnforced");
            });
  }

  @Test
  void everyBucketPolicyRefusesPlainHttpForTheBucketAndItsObjects() {
    template
        .resourcesOfType("AWS::S3::Bucket")
        .keySet()
        .forEach(
            bucketId -> {
              List<Statement> policy = bucketPolicy(bucketId);
              Optional<Statement> tls =
                  policy.stream()
                      .filter(s -> s.denies() && s.principals().contains("*"))
                      .filter(s -> s.actions().contains("s3:*"))
                      .filter(
                          s ->
                              "false"
                                  .equals(
                                      String.valueOf(
                                          map(s.condition().get("Bool"))
                                              .get("aws:SecureTransport"))))
                      .findFirst();

              assertThat(tls).as(bucketId + " TLS-only statement").isPresent();
              assertThat(tls.get().resources())
                  .as(bucketId)
                  .containsExactlyInAnyOrder(
                      "${" + bucketId + ".Arn}", "${" + bucketId + ".Arn}/*");
            });
  }

  @Test
  void everyBucketPolicyRefusesUploadsAskingForAnotherEncryptionOrKey() {
    template
        .resourcesOfType("AWS::S3::Bucket")
        .keySet()
        .forEach(
            bucketId -> {
              List<Statement> puts =
                  bucketPolicy(bucketId).stream()
                      .filter(
                          s ->
                              s.denies()
                                  && s.principals().contains("*")
                                  && s.actions().contains("s3:PutObject"))
                      .toList();

              assertThat(puts)
                  .as(bucketId)
                  .anySatisfy(
                      s -> {
                        assertThat(s.resources()).containsExactly("${" + bucketId + ".Arn}/*");
                        assertThat(
                                map(s.condition().get("StringNotEqualsIfExists"))
                                    .get("s3:x-amz-server-side-encryption"))
                            .isEqualTo("aws:kms");
                      });
              assertThat(puts)
                  .as(bucketId)
                  .anySatisfy(
                      s -> {
                        assertThat(s.resources()).containsExactly("${" + bucketId + ".Arn}/*");
                        Object key =
                            map(s.condition().get("StringNotEqualsIfExists"))
                                .get("s3:x-amz-server-side-encryption-aws-kms-key-id");
                        // Must be the ARN: S3 compares the header text, and clients are told to
                        // send the ARN.
                        assertThat(CfnTemplate.text(key)).isEqualTo("${StorageKey.Arn}");
                      });
            });
  }

  @Test
  void bucketPoliciesGrantNothing() {
    // Access is granted by IAM roles only; a bucket policy Allow could bypass partner isolation.
    assertThat(template.resourcePolicyStatements())
        .filteredOn(s -> s.owner().endsWith("BucketPolicy"))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.denies()).as(s.toString()).isTrue());
  }

  @Test
  void uploadsExpireAfterOneDayIncludingTheirOldVersions() {
    Map<String, Object> rule = lifecycleRule("LandingBucket", "incoming/");

    assertThat(rule.get("ExpirationInDays")).isEqualTo(1);
    assertThat(map(rule.get("NoncurrentVersionExpiration")).get("NoncurrentDays")).isEqualTo(1);
    assertThat(map(rule.get("AbortIncompleteMultipartUpload")).get("DaysAfterInitiation"))
        .isEqualTo(1);
  }

  @Test
  void noncurrentVersionsExpireInEveryVersionedBucket() {
    template
        .resourcesOfType("AWS::S3::Bucket")
        .forEach(
            (id, bucket) -> {
              assertThat(map(properties(bucket).get("VersioningConfiguration")).get("Status"))
                  .as(id)
                  .isEqualTo("Enabled");
              Map<String, Object> rule = bucketWideRule(id, "NoncurrentVersionExpiration");
              Object days = map(rule.get("NoncurrentVersionExpiration")).get("NoncurrentDays");
              assertThat(days).as(id).isInstanceOf(Integer.class);
              assertThat((Integer) days).as(id).isBetween(1, 30);
            });
  }

  @Test
  void reportsAndExportsExpireAtRetention() {
    Map<String, Object> reports = lifecycleRule("LandingBucket", "reports/");
    Map<String, Object> exports = bucketWideRule("ExportsBucket", "ExpirationInDays");
    Map<String, Object> retentionDays =
        Map.of("Fn::FindInMap", List.of("RetentionDays", Map.of("Ref", "RetentionYears"), "Days"));

    assertThat(reports.get("ExpirationInDays")).isEqualTo(retentionDays);
    assertThat(exports.get("ExpirationInDays")).isEqualTo(retentionDays);
  }

  @Test
  void retentionDaysNeverExceedTheRetentionYears() {
    // Expiry counts from object creation, so days <= years x 365 keeps objects created before the
    // programme end from outliving programme end + retention years.
    Map<String, Object> mapping = map(template.section("Mappings").get("RetentionDays"));
    List<Object> allowed =
        list(map(template.section("Parameters").get("RetentionYears")).get("AllowedValues"));

    assertThat(allowed).isNotEmpty();
    for (Object years : allowed) {
      Object days = map(mapping.get(String.valueOf(years))).get("Days");
      assertThat(days).as("retention days for %s years", years).isInstanceOf(Integer.class);
      assertThat((Integer) days)
          .as("retention days for %s years", years)
          .isPositive()
          .isLessThanOrEqualTo(Integer.parseInt(String.valueOf(years)) * 365);
    }
  }

  private List<Map<String, Object>> lifecycleRules(String bucketId) {
    return list(
            map(properties(template.resource(bucketId)).get("LifecycleConfiguration")).get("Rules"))
        .stream()
        .map(CfnTemplate::map)
        .filter(r -> "Enabled".equals(r.get("Status")))
        .toList();
  }

  /** The enabled lifecycle rule for a prefix. */
  private Map<String, Object> lifecycleRule(String bucketId, String prefix) {
    return lifecycleRules(bucketId).stream()
        .filter(r -> prefix.equals(r.get("Prefix")))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(bucketId + " has no enabled lifecycle rule for " + prefix));
  }

  /** The enabled whole-bucket lifecycle rule (no prefix or filter) that sets the given action. */
  private Map<String, Object> bucketWideRule(String bucketId, String action) {
    return lifecycleRules(bucketId).stream()
        .filter(r -> !r.containsKey("Prefix") && !r.containsKey("Filter") && r.containsKey(action))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(bucketId + " has no bucket-wide rule with " + action));
  }

  private List<Statement> bucketPolicy(String bucketId) {
    List<String> policies =
        template.resourcesOfType("AWS::S3::BucketPolicy").entrySet().stream()
            .filter(e -> references(properties(e.getValue()).get("Bucket"), bucketId))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(policies).as("bucket policy of " + bucketId).hasSize(1);
    return template.resourcePolicyStatements().stream()
        .filter(s -> s.owner().equals(policies.get(0)))
        .toList();
  }
}
