package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;

/**
 * What the sweep and the re-stamp share: the two tables, paged key queries on their {@code
 * byExpiry} index (hash expiryPk, range expiresAt, keys only), the opaque page cursor, and retries
 * of throttled calls with exponential backoff (on top of the SDK's own). Failures become an {@link
 * AwsAdapterException} without request content; a failed condition is passed on as it is.
 */
final class ExpiryIndexAccess {

  static final int PAGE_SIZE = 100;
  private static final Set<String> THROTTLING =
      Set.of(
          "ProvisionedThroughputExceededException",
          "ThrottlingException",
          "RequestLimitExceeded",
          "ThrottlingError");

  private final DynamoDbClient ddb;
  private final String linkedTable;
  private final String auditTable;
  private final int maxAttempts;
  private final Duration baseBackoff;

  /**
   * @param maxAttempts attempts per call (throttling) and per batch (unprocessed items)
   * @param baseBackoff first backoff; doubles per attempt, capped at 5 s
   */
  ExpiryIndexAccess(
      DynamoDbClient ddb,
      String linkedTable,
      String auditTable,
      int maxAttempts,
      Duration baseBackoff) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.linkedTable = Objects.requireNonNull(linkedTable, "linkedTable");
    this.auditTable = Objects.requireNonNull(auditTable, "auditTable");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    this.maxAttempts = maxAttempts;
    this.baseBackoff = Objects.requireNonNull(baseBackoff, "baseBackoff");
  }

  DynamoDbClient ddb() {
    return ddb;
  }

  String linkedTable() {
    return linkedTable;
  }

  String name(Table table) {
    return table == Table.LINKED ? linkedTable : auditTable;
  }

  static List<String> partitions(YearMonth month) {
    return DynamoDbTables.expiryPartitions(month.toString());
  }

  static Map<String, AttributeValue> key(ItemKey k) {
    return Map.of(PK, AttributeValue.fromS(k.pk()), SK, AttributeValue.fromS(k.sk()));
  }

  /**
   * One page of keys from {@code expiryPk = :p AND expiresAt <op> :v}, {@code op} being "<="
   * (expired by then) or "=" (stamped with exactly that expiry).
   */
  Page queryKeys(
      String operation, Table table, String partition, String op, long expiresAt, String cursor) {
    Map<String, AttributeValue> start = cursor == null ? null : decodeCursor(cursor);
    QueryResponse response =
        withRetry(
            operation,
            () ->
                ddb.query(
                    b ->
                        b.tableName(name(table))
                            .indexName(DynamoDbTables.BY_EXPIRY)
                            .keyConditionExpression("#xpk = :p AND #exp " + op + " :v")
                            .expressionAttributeNames(Map.of("#xpk", EXPIRY_PK, "#exp", EXPIRES_AT))
                            .expressionAttributeValues(
                                Map.of(
                                    ":p",
                                    AttributeValue.fromS(partition),
                                    ":v",
                                    AttributeValue.fromN(Long.toString(expiresAt))))
                            .limit(PAGE_SIZE)
                            .exclusiveStartKey(start)));
    List<ItemKey> keys = new ArrayList<>(response.count());
    for (Map<String, AttributeValue> item : response.items()) {
      keys.add(new ItemKey(item.get(PK).s(), item.get(SK).s()));
    }
    Map<String, AttributeValue> last = response.lastEvaluatedKey();
    return new Page(keys, last == null || last.isEmpty() ? null : encodeCursor(last));
  }

  static final int MAX_BATCH_GET = 100;

  /**
   * Strongly consistent BatchGetItem of {@code keys} (100 a call, duplicates dropped, unprocessed
   * keys retried with backoff). {@code keysAndExpiryOnly} projects pk, sk and expiresAt; otherwise
   * whole items are returned. Items that do not exist are simply absent.
   */
  List<Map<String, AttributeValue>> consistentBatchGet(
      String operation, Table table, List<ItemKey> keys, boolean keysAndExpiryOnly) {
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    String tableName = name(table);
    for (int from = 0; from < keys.size(); from += MAX_BATCH_GET) {
      // BatchGetItem rejects duplicate keys.
      Map<String, ItemKey> distinct = new LinkedHashMap<>();
      for (ItemKey k : keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_GET))) {
        distinct.put(k.pk() + "\u0000" + k.sk(), k);
      }
      List<Map<String, AttributeValue>> pending = new ArrayList<>();
      distinct.values().forEach(k -> pending.add(key(k)));
      for (int attempt = 1; !pending.isEmpty(); attempt++) {
        KeysAndAttributes.Builder wanted =
            KeysAndAttributes.builder().keys(List.copyOf(pending)).consistentRead(true);
        if (keysAndExpiryOnly) {
          wanted
              .projectionExpression("#pk, #sk, #exp")
              .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT));
        }
        KeysAndAttributes request = wanted.build();
        BatchGetItemResponse response =
            withRetry(
                operation, () -> ddb.batchGetItem(b -> b.requestItems(Map.of(tableName, request))));
        out.addAll(response.responses().getOrDefault(tableName, List.of()));
        pending.clear();
        KeysAndAttributes unprocessed = response.unprocessedKeys().get(tableName);
        if (unprocessed != null && unprocessed.hasKeys()) {
          pending.addAll(unprocessed.keys());
          giveUpOrBackOff(operation, attempt, pending.size());
        }
      }
    }
    return out;
  }

  <T> T withRetry(String operation, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (ConditionalCheckFailedException e) {
        throw e;
      } catch (AwsServiceException e) {
        if (!isThrottling(e) || attempt >= maxAttempts) {
          throw AwsAdapterException.of(operation, e);
        }
        sleep(attempt);
      } catch (SdkException e) {
        throw AwsAdapterException.of(operation, e);
      }
    }
  }

  static boolean isThrottling(AwsServiceException e) {
    return e.isThrottlingException()
        || (e.awsErrorDetails() != null && THROTTLING.contains(e.awsErrorDetails().errorCode()));
  }

  void giveUpOrBackOff(String operation, int attempt, int left) {
    if (attempt >= maxAttempts) {
      throw new AwsAdapterException(
          operation + " left " + left + " items unprocessed after " + attempt + " attempts",
          "Unprocessed",
          0);
    }
    sleep(attempt);
  }

  private void sleep(int attempt) {
    long millis = Math.min(5_000, baseBackoff.toMillis() << Math.min(attempt - 1, 16));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsAdapterException("interrupted while backing off", "Interrupted", 0);
    }
  }

  // ---- cursor: the index's LastEvaluatedKey (pk, sk, expiryPk: S; expiresAt: N), opaque to the
  // domain ----

  private static final char FIELD = '\u001f';
  private static final char ENTRY = '\u001e';

  static String encodeCursor(Map<String, AttributeValue> lastKey) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, AttributeValue> e : new TreeMap<>(lastKey).entrySet()) {
      AttributeValue v = e.getValue();
      if (out.length() > 0) {
        out.append(ENTRY);
      }
      out.append(e.getKey())
          .append(FIELD)
          .append(v.n() != null ? 'N' : 'S')
          .append(FIELD)
          .append(v.n() != null ? v.n() : v.s());
    }
    return out.toString();
  }

  static Map<String, AttributeValue> decodeCursor(String cursor) {
    Map<String, AttributeValue> out = new HashMap<>();
    for (String entry : cursor.split(String.valueOf(ENTRY), -1)) {
      String[] parts = entry.split(String.valueOf(FIELD), 3);
      if (parts.length != 3) {
        throw new IllegalArgumentException("not a sweep cursor");
      }
      out.put(
          parts[0],
          "N".equals(parts[1]) ? AttributeValue.fromN(parts[2]) : AttributeValue.fromS(parts[2]));
    }
    return out;
  }
}
