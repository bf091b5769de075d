package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import uk.familylink.domain.retention.ExpiredItemStore;

/**
 * The sweep's view of the linked-data and audit tables through their {@code byExpiry} index (hash
 * expiryPk, range expiresAt, keys only): Query {@code expiryPk = :p AND expiresAt <= :now}, never
 * Scan.
 *
 * <p>Keys found in the (eventually consistent) index are confirmed with a strongly consistent
 * BatchGetItem before deletion, so an item re-stamped to a later expiry is not deleted on the
 * strength of a stale index entry. Deletes are BatchWriteItem DeleteRequests, 25 per call.
 * Throttling and unprocessed items are retried with exponential backoff (on top of the SDK's own
 * retries); when the attempts run out an {@link AwsAdapterException} (no request content) ends the
 * run, and the next run resumes by querying the index again.
 */
public final class DynamoDbExpiredItems implements ExpiredItemStore {

  static final int MAX_BATCH_WRITE = 25;

  private final ExpiryIndexAccess index;
  private final DynamoDbClient ddb;

  /** The tables and retry policy: {@link ExpiryIndexAccess#of}. */
  public DynamoDbExpiredItems(ExpiryIndexAccess index) {
    this.index = index;
    this.ddb = index.ddb();
  }

  @Override
  public List<String> partitions(YearMonth month) {
    return ExpiryIndexAccess.partitions(month);
  }

  @Override
  public Page findExpired(Table table, String partition, long nowEpochSecond, String cursor) {
    return index.queryKeys("Query(byExpiry)", table, partition, "<=", nowEpochSecond, cursor);
  }

  @Override
  public List<ItemKey> confirmExpired(Table table, List<ItemKey> keys, long nowEpochSecond) {
    List<ItemKey> out = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        index.consistentBatchGet("BatchGetItem(sweep)", table, keys, true)) {
      AttributeValue exp = item.get(EXPIRES_AT);
      if (exp != null && exp.n() != null && Long.parseLong(exp.n()) <= nowEpochSecond) {
        out.add(ExpiryIndexAccess.itemKey(table, item.get(PK).s(), item.get(SK).s()));
      }
    }
    return out;
  }

  @Override
  public void delete(Table table, List<ItemKey> keys) {
    String tableName = index.name(table);
    for (int from = 0; from < keys.size(); from += MAX_BATCH_WRITE) {
      List<WriteRequest> pending = new ArrayList<>();
      for (ItemKey k : keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_WRITE))) {
        pending.add(
            WriteRequest.builder()
                .deleteRequest(DeleteRequest.builder().key(ExpiryIndexAccess.key(k)).build())
                .build());
      }
      index.retry().batchWrite(ddb, "BatchWriteItem(sweep)", tableName, pending);
    }
  }
}
