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
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.ItemKind;

/**
 * What the sweep and the re-stamp share: the two tables, paged key queries on their {@code
 * byExpiry} index (hash expiryPk, range expiresAt, keys only), the opaque page cursor, and the
 * adapters' one retry policy ({@link DynamoDbRetry}).
 */
public final class ExpiryIndexAccess {

  static final int PAGE_SIZE = 100;
  private final DynamoDbClient ddb;
  private final String linkedTable;
  private final String auditTable;
  private final DynamoDbRetry retry;

  private ExpiryIndexAccess(
      DynamoDbClient ddb, String linkedTable, String auditTable, DynamoDbRetry retry) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.linkedTable = Objects.requireNonNull(linkedTable, "linkedTable");
    this.auditTable = Objects.requireNonNull(auditTable, "auditTable");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /** The two tables with the adapters' default retry policy (8 attempts from 50 ms). */
  public static ExpiryIndexAccess of(DynamoDbClient ddb, String linkedTable, String auditTable) {
    return of(ddb, linkedTable, auditTable, 8, Duration.ofMillis(50));
  }

  /**
   * The two tables with a given retry policy (tests shorten it).
   *
   * @param maxAttempts attempts per call (throttling) and per batch (unprocessed items)
   * @param baseBackoff first backoff; doubles per attempt, capped at 5 s
   */
  public static ExpiryIndexAccess of(
      DynamoDbClient ddb,
      String linkedTable,
      String auditTable,
      int maxAttempts,
      Duration baseBackoff) {
    return new ExpiryIndexAccess(
        ddb, linkedTable, auditTable, new DynamoDbRetry(maxAttempts, baseBackoff));
  }

  DynamoDbClient ddb() {
    return ddb;
  }

  DynamoDbRetry retry() {
    return retry;
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

  /** The key of an item of {@code table}, with its kind ({@link LinkedTable#kindOf}). */
  static ItemKey itemKey(Table table, String pk, String sk) {
    return new ItemKey(pk, sk, table == Table.AUDIT ? ItemKind.AUDIT : LinkedTable.kindOf(pk, sk));
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
      keys.add(itemKey(table, item.get(PK).s(), item.get(SK).s()));
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
      List<Map<String, AttributeValue>> keysOfPage = new ArrayList<>();
      distinct.values().forEach(k -> keysOfPage.add(key(k)));
      KeysAndAttributes.Builder wanted =
          KeysAndAttributes.builder().keys(keysOfPage).consistentRead(true);
      if (keysAndExpiryOnly) {
        wanted
            .projectionExpression("#pk, #sk, #exp")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT));
      }
      out.addAll(retry.batchGet(ddb, operation, tableName, wanted.build()));
    }
    return out;
  }

  <T> T withRetry(String operation, Supplier<T> call) {
    return retry.call(operation, call);
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
