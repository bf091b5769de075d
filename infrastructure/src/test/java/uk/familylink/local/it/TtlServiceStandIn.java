package uk.familylink.local.it;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import uk.familylink.adapter.aws.DynamoDbTables;

/**
 * Test stand-in for the DynamoDB TTL service, which DynamoDB Local does not run (TTL can be enabled
 * on a table there, but no item is ever deleted) and which would work from the wall clock anyway,
 * while these items expire in 2032.
 *
 * <p>As of an injected instant it deletes the chosen items whose {@code expiresAt} has passed, each
 * with a DeleteItem conditioned on {@code expiresAt <= now} (TTL, too, re-checks an item before
 * deleting it). The deletions are real DeleteItem calls on DynamoDB Local, so they appear in the
 * table's stream as REMOVE records with the old image. The one thing a stand-in cannot produce is
 * the record's {@code userIdentity} ({@code Service} / {@code dynamodb.amazonaws.com}), which
 * DynamoDB writes only for the TTL service's own deletions: {@link LinkedTableStream#asLambdaEvent}
 * adds it.
 */
final class TtlServiceStandIn {

  private final DynamoDbClient dynamoDb;
  private final String table;

  TtlServiceStandIn(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  /**
   * Deletes the items {@code chosen} accepts among those expired at {@code now} (TTL works through
   * a table at its own pace, so after a while only part of the expired items are gone).
   *
   * @return the keys (pk, sk) of the items deleted
   */
  List<Map<String, AttributeValue>> deleteExpired(
      Instant now, Predicate<Map<String, AttributeValue>> chosen) {
    AttributeValue nowValue = AttributeValue.fromN(Long.toString(now.getEpochSecond()));
    List<Map<String, AttributeValue>> deleted = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        dynamoDb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
      AttributeValue expiresAt = item.get(DynamoDbTables.EXPIRES_AT);
      boolean expired =
          expiresAt != null
              && expiresAt.n() != null
              && Long.parseLong(expiresAt.n()) <= now.getEpochSecond();
      if (!expired || !chosen.test(item)) {
        continue;
      }
      Map<String, AttributeValue> key =
          Map.of(
              DynamoDbTables.PK,
              item.get(DynamoDbTables.PK),
              DynamoDbTables.SK,
              item.get(DynamoDbTables.SK));
      try {
        dynamoDb.deleteItem(
            b ->
                b.tableName(table)
                    .key(key)
                    .conditionExpression("#e <= :now")
                    .expressionAttributeNames(Map.of("#e", DynamoDbTables.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", nowValue)));
        deleted.add(key);
      } catch (ConditionalCheckFailedException e) {
        // Re-stamped since the scan: no longer expired, so TTL leaves it.
      }
    }
    return deleted;
  }
}
