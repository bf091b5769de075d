package uk.familylink.adapter.aws;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Table layout shared by the DynamoDB adapters, the local environment and tests.
 *
 * <p>Every item carries {@code expiresAt} (Number, epoch seconds; the TTL attribute) and {@code
 * expiryPk} = {@code <yyyy-MM of expiry>#<shard 00-15>}. The {@code byExpiry} index (hash expiryPk,
 * range expiresAt, keys only) lets the retention sweep Query {@code month x 16 shards} with {@code
 * expiresAt <= now} instead of scanning the table; the shard spreads one month's expiries over 16
 * partitions.
 */
public final class DynamoDbTables {

  public static final String PK = "pk";
  public static final String SK = "sk";
  public static final String EXPIRES_AT = "expiresAt";
  public static final String EXPIRY_PK = "expiryPk";
  public static final String GSI1_PK = "gsi1pk";
  public static final String GSI1_SK = "gsi1sk";

  /** Index for the retention sweep: hash expiryPk, range expiresAt, KEYS_ONLY. */
  public static final String BY_EXPIRY = "byExpiry";

  /** Index person -> records and person -> families: hash gsi1pk, range gsi1sk, ALL. */
  public static final String BY_PERSON = "byPerson";

  /**
   * Sparse index of the population's items by kind (persons, merges, records, memberships): hash
   * kindPk ({@code <kind>#<shard>}), range pk, ALL. Whole-population reads Query it instead of
   * scanning a table whose identity claims and candidate-index items outnumber them (ADR 0161).
   */
  public static final String BY_KIND = "byKind";

  public static final String KIND_PK = "kindPk";

  public static final int EXPIRY_SHARDS = 16;

  private static final DateTimeFormatter MONTH =
      DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

  private DynamoDbTables() {}

  /** The byExpiry partition of an item: expiry month (UTC) and a shard from its pk. */
  public static String expiryPk(String pk, long expiresAtEpochSeconds) {
    return expiryMonth(expiresAtEpochSeconds) + "#" + String.format("%02d", shardOf(pk));
  }

  /** yyyy-MM (UTC) of an epoch-seconds instant. */
  public static String expiryMonth(long expiresAtEpochSeconds) {
    return MONTH.format(Instant.ofEpochSecond(expiresAtEpochSeconds));
  }

  /** Shard 0-15 of a partition key; String.hashCode is specified, so stable across JVMs. */
  public static int shardOf(String pk) {
    return Math.floorMod(pk.hashCode(), EXPIRY_SHARDS);
  }

  /** All 16 byExpiry partition keys of a month, for the sweep. */
  public static List<String> expiryPartitions(String yyyyMm) {
    List<String> out = new ArrayList<>(EXPIRY_SHARDS);
    for (int i = 0; i < EXPIRY_SHARDS; i++) {
      out.add(yyyyMm + "#" + String.format("%02d", i));
    }
    return out;
  }

  /** The byKind partition of a population item: its kind and its pk's shard. */
  public static String kindPk(String kind, String pk) {
    return kind + "#" + String.format("%02d", shardOf(pk));
  }

  /** All 16 byKind partition keys of a kind, for whole-population reads. */
  public static List<String> kindPartitions(String kind) {
    List<String> out = new ArrayList<>(EXPIRY_SHARDS);
    for (int i = 0; i < EXPIRY_SHARDS; i++) {
      out.add(kind + "#" + String.format("%02d", i));
    }
    return out;
  }

  /**
   * Creates the linked-data table (on-demand, byExpiry + byPerson + byKind, TTL on expiresAt) and
   * waits until ACTIVE. A linked table that already exists without the byKind index (a local
   * workspace made by an earlier version) is refused with a clear message rather than used.
   */
  public static void createTable(DynamoDbClient ddb, String tableName) {
    create(ddb, tableName, true);
  }

  /** Creates the audit table (on-demand, byExpiry, TTL on expiresAt) and waits until ACTIVE. */
  public static void createAuditTable(DynamoDbClient ddb, String tableName) {
    create(ddb, tableName, false);
  }

  private static void create(DynamoDbClient ddb, String tableName, boolean withPersonIndex) {
    List<AttributeDefinition> attrs =
        new ArrayList<>(
            List.of(
                attr(PK, ScalarAttributeType.S), attr(SK, ScalarAttributeType.S),
                attr(EXPIRY_PK, ScalarAttributeType.S), attr(EXPIRES_AT, ScalarAttributeType.N)));
    List<GlobalSecondaryIndex> indexes = new ArrayList<>();
    indexes.add(
        GlobalSecondaryIndex.builder()
            .indexName(BY_EXPIRY)
            .keySchema(hash(EXPIRY_PK), range(EXPIRES_AT))
            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
            .build());
    if (withPersonIndex) {
      attrs.add(attr(GSI1_PK, ScalarAttributeType.S));
      attrs.add(attr(GSI1_SK, ScalarAttributeType.S));
      indexes.add(
          GlobalSecondaryIndex.builder()
              .indexName(BY_PERSON)
              .keySchema(hash(GSI1_PK), range(GSI1_SK))
              .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
              .build());
      attrs.add(attr(KIND_PK, ScalarAttributeType.S));
      indexes.add(
          GlobalSecondaryIndex.builder()
              .indexName(BY_KIND)
              .keySchema(hash(KIND_PK), range(PK))
              .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
              .build());
    }
    try {
      ddb.createTable(
          CreateTableRequest.builder()
              .tableName(tableName)
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(attrs)
              .keySchema(hash(PK), range(SK))
              .globalSecondaryIndexes(indexes)
              .build());
      ddb.waiter().waitUntilTableExists(b -> b.tableName(tableName));
      ddb.updateTimeToLive(
          b ->
              b.tableName(tableName)
                  .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
      // Already there (a restarted local environment, a second service on the same tables): use it
      // as it is, if it has the indexes the readers query.
      if (withPersonIndex) {
        requireIndex(ddb, tableName, BY_KIND);
      }
    } catch (SdkException e) {
      throw AwsAdapterException.of("CreateTable", e);
    }
  }

  private static void requireIndex(DynamoDbClient ddb, String tableName, String index) {
    boolean present;
    try {
      present =
          ddb.describeTable(b -> b.tableName(tableName)).table().globalSecondaryIndexes().stream()
              .anyMatch(i -> index.equals(i.indexName()));
    } catch (SdkException e) {
      throw AwsAdapterException.of("DescribeTable", e);
    }
    if (!present) {
      throw new AwsAdapterException(
          "Table "
              + tableName
              + " has no "
              + index
              + " index: it was made by an earlier version; reset the local workspace"
              + " (familylink reset) and upload again",
          "MissingIndex",
          0);
    }
  }

  private static AttributeDefinition attr(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement hash(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
  }

  private static KeySchemaElement range(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
  }
}
