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
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import uk.familylink.domain.retention.ExpiredItemStore;

/**
 * The sweep's view of the linked-data and audit tables through their {@code byExpiry} index (hash
 * expiryPk, range expiresAt, keys only): Query {@code expiryPk = :p AND expiresAt <= :now}, never Scan.
 *
 * <p>Keys found in the (eventually consistent) index are confirmed with a strongly consistent
 * BatchGetItem before deletion, so an item re-stamped to a later expiry is not deleted on the strength
 * of a stale index entry. Deletes are BatchWriteItem DeleteRequests, 25 per call. Throttling and
 * unprocessed items are retried with exponential backoff (on top of the SDK's own retries); when the
 * attempts run out an {@link AwsAdapterException} (no request content) ends the run, and the next run
 * resumes by querying the index again.
 */
public final class DynamoDbExpiredItems implements ExpiredItemStore {

    static final int MAX_BATCH_WRITE = 25;
    static final int MAX_BATCH_GET = 100;
    static final int PAGE_SIZE = 100;
    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException",
            "ThrottlingException", "RequestLimitExceeded", "ThrottlingError");

    private final DynamoDbClient ddb;
    private final String linkedTable;
    private final String auditTable;
    private final int maxAttempts;
    private final Duration baseBackoff;

    public DynamoDbExpiredItems(DynamoDbClient ddb, String linkedTable, String auditTable) {
        this(ddb, linkedTable, auditTable, 8, Duration.ofMillis(50));
    }

    /**
     * @param maxAttempts attempts per call (throttling) and per batch (unprocessed items)
     * @param baseBackoff first backoff; doubles per attempt, capped at 5 s
     */
    public DynamoDbExpiredItems(DynamoDbClient ddb, String linkedTable, String auditTable, int maxAttempts,
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

    private String name(Table table) {
        return table == Table.LINKED ? linkedTable : auditTable;
    }

    @Override
    public List<String> partitions(YearMonth month) {
        return DynamoDbTables.expiryPartitions(month.toString());
    }

    @Override
    public Page findExpired(Table table, String partition, long nowEpochSecond, String cursor) {
        Map<String, AttributeValue> start = cursor == null ? null : decodeCursor(cursor);
        QueryResponse response = withRetry("Query(byExpiry)", () -> ddb.query(b -> b.tableName(name(table))
                .indexName(DynamoDbTables.BY_EXPIRY)
                .keyConditionExpression("#xpk = :p AND #exp <= :now")
                .expressionAttributeNames(Map.of("#xpk", EXPIRY_PK, "#exp", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition),
                        ":now", AttributeValue.fromN(Long.toString(nowEpochSecond))))
                .limit(PAGE_SIZE)
                .exclusiveStartKey(start)));
        List<ItemKey> keys = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            keys.add(new ItemKey(item.get(PK).s(), item.get(SK).s()));
        }
        Map<String, AttributeValue> last = response.lastEvaluatedKey();
        return new Page(keys, last == null || last.isEmpty() ? null : encodeCursor(last));
    }

    @Override
    public List<ItemKey> confirmExpired(Table table, List<ItemKey> keys, long nowEpochSecond) {
        List<ItemKey> out = new ArrayList<>();
        String tableName = name(table);
        for (int from = 0; from < keys.size(); from += MAX_BATCH_GET) {
            // BatchGetItem rejects duplicate keys; an index page never repeats one, but be safe.
            Map<String, ItemKey> distinct = new LinkedHashMap<>();
            for (ItemKey k : keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_GET))) {
                distinct.put(k.pk() + "\u0000" + k.sk(), k);
            }
            List<Map<String, AttributeValue>> pending = new ArrayList<>();
            distinct.values().forEach(k -> pending.add(key(k)));
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<Map<String, AttributeValue>> request = List.copyOf(pending);
                BatchGetItemResponse response = withRetry("BatchGetItem(sweep)", () -> ddb.batchGetItem(b -> b
                        .requestItems(Map.of(tableName, KeysAndAttributes.builder().keys(request).consistentRead(true)
                                .projectionExpression("#pk, #sk, #exp")
                                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#exp", EXPIRES_AT)).build()))));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                    AttributeValue exp = item.get(EXPIRES_AT);
                    if (exp != null && exp.n() != null && Long.parseLong(exp.n()) <= nowEpochSecond) {
                        out.add(new ItemKey(item.get(PK).s(), item.get(SK).s()));
                    }
                }
                pending.clear();
                KeysAndAttributes unprocessed = response.unprocessedKeys().get(tableName);
                if (unprocessed != null && unprocessed.hasKeys()) {
                    pending.addAll(unprocessed.keys());
                    giveUpOrBackOff("BatchGetItem(sweep)", attempt, pending.size());
                }
            }
        }
        return out;
    }

    @Override
    public void delete(Table table, List<ItemKey> keys) {
        String tableName = name(table);
        for (int from = 0; from < keys.size(); from += MAX_BATCH_WRITE) {
            List<WriteRequest> pending = new ArrayList<>();
            for (ItemKey k : keys.subList(from, Math.min(keys.size(), from + MAX_BATCH_WRITE))) {
                pending.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key(k)).build()).build());
            }
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<WriteRequest> request = List.copyOf(pending);
                BatchWriteItemResponse response = withRetry("BatchWriteItem(sweep)",
                        () -> ddb.batchWriteItem(b -> b.requestItems(Map.of(tableName, request))));
                pending.clear();
                List<WriteRequest> unprocessed = response.unprocessedItems().get(tableName);
                if (unprocessed != null && !unprocessed.isEmpty()) {
                    pending.addAll(unprocessed);
                    giveUpOrBackOff("BatchWriteItem(sweep)", attempt, pending.size());
                }
            }
        }
    }

    private static Map<String, AttributeValue> key(ItemKey k) {
        return Map.of(PK, AttributeValue.fromS(k.pk()), SK, AttributeValue.fromS(k.sk()));
    }

    private <T> T withRetry(String operation, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
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

    private void giveUpOrBackOff(String operation, int attempt, int left) {
        if (attempt >= maxAttempts) {
            throw new AwsAdapterException(operation + " left " + left + " items unprocessed after " + attempt
                    + " attempts", "Unprocessed", 0);
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

    // ---- cursor: the index's LastEvaluatedKey (pk, sk, expiryPk: S; expiresAt: N), opaque to the domain ----

    private static final char FIELD = '\u001f';
    private static final char ENTRY = '\u001e';

    static String encodeCursor(Map<String, AttributeValue> lastKey) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, AttributeValue> e : new TreeMap<>(lastKey).entrySet()) {
            AttributeValue v = e.getValue();
            if (out.length() > 0) {
                out.append(ENTRY);
            }
            out.append(e.getKey()).append(FIELD).append(v.n() != null ? 'N' : 'S').append(FIELD)
                    .append(v.n() != null ? v.n() : v.s());
        }
        return out.toString();
    }

    static Map<String, AttributeValue> decodeCursor(String cursor) {
        Map<String, AttributeValue> out = new HashMap<>();
        for (String entry : cursor.split(String.valueOf(ENTRY))) {
            String[] parts = entry.split(String.valueOf(FIELD), 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a sweep cursor");
            }
            out.put(parts[0], "N".equals(parts[1]) ? AttributeValue.fromN(parts[2]) : AttributeValue.fromS(parts[2]));
        }
        return out;
    }
}
