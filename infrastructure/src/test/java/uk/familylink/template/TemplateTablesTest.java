package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.familylink.template.CfnTemplate.list;
import static uk.familylink.template.CfnTemplate.map;
import static uk.familylink.template.CfnTemplate.properties;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB: on-demand, recoverable, never deleted with the stack, TTL on expiresAt, a stream for
 * evidence.
 */
class TemplateTablesTest {

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void everyTableIsOnDemandWithPointInTimeRecoveryAndTtlOnExpiresAt() {
    Map<String, Map<String, Object>> tables = template.resourcesOfType("AWS::DynamoDB::Table");
    assertThat(tables).containsOnlyKeys("LinkedTable", "AuditTable");

    tables.forEach(
        (id, table) -> {
          Map<String, Object> p = properties(table);
          assertThat(p.get("BillingMode")).as(id).isEqualTo("PAY_PER_REQUEST");
          assertThat(
                  map(p.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"))
              .as(id + " PITR")
              .isEqualTo(true);
          assertThat(map(p.get("TimeToLiveSpecification")))
              .as(id + " TTL")
              .containsEntry("AttributeName", "expiresAt")
              .containsEntry("Enabled", true);
        });
  }

  @Test
  void tablesAndKeysSurviveStackDeletionAndReplacement() {
    for (String id :
        List.of(
            "LinkedTable",
            "AuditTable",
            "LandingBucket",
            "ExportsBucket",
            "RootKey",
            "StorageKey")) {
      Map<String, Object> r = template.resource(id);
      assertThat(r.get("DeletionPolicy")).as(id).isEqualTo("Retain");
      assertThat(r.get("UpdateReplacePolicy")).as(id).isEqualTo("Retain");
    }
    template
        .resourcesOfType("AWS::DynamoDB::Table")
        .forEach(
            (id, t) ->
                assertThat(properties(t).get("DeletionProtectionEnabled")).as(id).isEqualTo(true));
  }

  @Test
  void linkedTableHasTheKeysAndIndexesTheAdaptersUse() {
    Map<String, Object> p = properties(template.resource("LinkedTable"));

    assertThat(keySchema(p.get("KeySchema")))
        .containsExactly(Map.entry("pk", "HASH"), Map.entry("sk", "RANGE"));
    assertThat(attributeTypes(p))
        .containsOnly(
            Map.entry("pk", "S"),
            Map.entry("sk", "S"),
            Map.entry("expiryPk", "S"),
            Map.entry("expiresAt", "N"),
            Map.entry("gsi1pk", "S"),
            Map.entry("gsi1sk", "S"),
            Map.entry("kindPk", "S"));
    Map<String, Map<String, Object>> indexes = indexes(p);
    assertThat(indexes).containsOnlyKeys("byExpiry", "byPerson", "byKind");
    assertThat(keySchema(indexes.get("byExpiry").get("KeySchema")))
        .containsExactly(Map.entry("expiryPk", "HASH"), Map.entry("expiresAt", "RANGE"));
    assertThat(map(indexes.get("byExpiry").get("Projection")).get("ProjectionType"))
        .isEqualTo("KEYS_ONLY");
    assertThat(keySchema(indexes.get("byPerson").get("KeySchema")))
        .containsExactly(Map.entry("gsi1pk", "HASH"), Map.entry("gsi1sk", "RANGE"));
    assertThat(map(indexes.get("byPerson").get("Projection")).get("ProjectionType"))
        .isEqualTo("ALL");
    // The population read (DynamoDbPopulationReader) queries byKind with these names.
    assertThat(keySchema(indexes.get("byKind").get("KeySchema")))
        .containsExactly(
            Map.entry(uk.familylink.adapter.aws.DynamoDbTables.KIND_PK, "HASH"),
            Map.entry("pk", "RANGE"));
    assertThat(map(indexes.get("byKind").get("Projection")).get("ProjectionType")).isEqualTo("ALL");
  }

  @Test
  void linkedTableStreamsOldImagesForDestructionEvidence() {
    Map<String, Object> p = properties(template.resource("LinkedTable"));

    assertThat(map(p.get("StreamSpecification")).get("StreamViewType"))
        .isEqualTo("NEW_AND_OLD_IMAGES");
  }

  @Test
  void auditTableIsKeyedByPkAndSkWithAnExpiryIndexForTheSweep() {
    Map<String, Object> p = properties(template.resource("AuditTable"));

    assertThat(keySchema(p.get("KeySchema")))
        .containsExactly(Map.entry("pk", "HASH"), Map.entry("sk", "RANGE"));
    assertThat(attributeTypes(p))
        .containsEntry("pk", "S")
        .containsEntry("sk", "S")
        .containsEntry("expiresAt", "N");
    assertThat(indexes(p)).containsOnlyKeys("byExpiry");
  }

  private static Map<String, String> keySchema(Object schema) {
    Map<String, String> out = new LinkedHashMap<>();
    list(schema)
        .forEach(
            k -> out.put((String) map(k).get("AttributeName"), (String) map(k).get("KeyType")));
    return out;
  }

  private static Map<String, String> attributeTypes(Map<String, Object> props) {
    Map<String, String> out = new LinkedHashMap<>();
    list(props.get("AttributeDefinitions"))
        .forEach(
            a ->
                out.put(
                    (String) map(a).get("AttributeName"), (String) map(a).get("AttributeType")));
    return out;
  }

  private static Map<String, Map<String, Object>> indexes(Map<String, Object> props) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    list(props.get("GlobalSecondaryIndexes"))
        .forEach(i -> out.put((String) map(i).get("IndexName"), map(i)));
    return out;
  }
}
