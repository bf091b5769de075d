package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.KIND_PK;
import static uk.familylink.adapter.aws.LinkedItems.n;
import static uk.familylink.adapter.aws.LinkedItems.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.retention.ItemKind;

/**
 * Whole-population reads of the linked table for the outputs, statistics and releases: a Query of
 * each of the kind's 16 partitions of the sparse {@code byKind} index (optionally in parallel),
 * filtered on liveness. Only the population's own items are read: identity claims, file ledgers and
 * the tier-3 candidate index (several items a record, with sealed encodings) are not in the index.
 * Decision record 0161 measures its cost.
 */
public final class DynamoDbPopulationReader implements LinkedDataReader {

  private final DynamoDbClient ddb;
  private final String table;
  private final int parallelism;
  private final DynamoDbRetry retry;

  public DynamoDbPopulationReader(DynamoDbClient ddb, String tableName) {
    this(ddb, tableName, 1);
  }

  /**
   * @param parallelism index partitions read at once (1 = one after another)
   */
  public DynamoDbPopulationReader(DynamoDbClient ddb, String tableName, int parallelism) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(tableName, "tableName");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1");
    }
    this.parallelism = parallelism;
    this.retry = new DynamoDbRetry(8, Duration.ofMillis(50));
  }

  @Override
  public void forEachPerson(Instant now, Consumer<PersonEntry> sink) {
    read(ItemKind.PERSON, now, LinkedItems::toPerson, sink);
  }

  @Override
  public void forEachRecord(Instant now, Consumer<LinkedRecord> sink) {
    read(ItemKind.REC, now, LinkedItems::toRecord, sink);
  }

  @Override
  public void forEachMembership(Instant now, Consumer<FamilyMembership> sink) {
    read(ItemKind.FAMILY, now, LinkedItems::toMembership, sink);
  }

  @Override
  public void forEachMerge(Instant now, Consumer<MergeRecord> sink) {
    read(ItemKind.MERGE, now, LinkedItems::toMerge, sink);
  }

  /**
   * Queries every byKind partition of the kind (on up to {@code parallelism} threads), keeping live
   * items; the sink is called serially.
   */
  private <T> void read(
      ItemKind kind,
      Instant now,
      Function<Map<String, AttributeValue>, T> mapper,
      Consumer<T> sink) {
    List<String> partitions = DynamoDbTables.kindPartitions(kind.name());
    Map<String, AttributeValue> liveAfter = Map.of(":now", n(now.getEpochSecond()));
    if (parallelism == 1) {
      for (String partition : partitions) {
        queryPartition(partition, liveAfter, item -> sink.accept(mapper.apply(item)));
      }
      return;
    }
    Object lock = new Object();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String partition : partitions) {
        futures.add(
            pool.submit(
                () ->
                    queryPartition(
                        partition,
                        liveAfter,
                        item -> {
                          T value = mapper.apply(item);
                          synchronized (lock) {
                            sink.accept(value);
                          }
                        })));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsAdapterException("Query interrupted", "Interrupted", 0);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new AwsAdapterException(
          "Query failed: " + e.getCause().getClass().getSimpleName(), "QueryFailed", 0);
    } finally {
      pool.shutdownNow();
    }
  }

  private void queryPartition(
      String partition,
      Map<String, AttributeValue> liveAfter,
      Consumer<Map<String, AttributeValue>> each) {
    Map<String, AttributeValue> values = new java.util.HashMap<>(liveAfter);
    values.put(":kind", s(partition));
    Map<String, AttributeValue> startKey = null;
    do {
      QueryRequest.Builder req =
          QueryRequest.builder()
              .tableName(table)
              .indexName(DynamoDbTables.BY_KIND)
              .keyConditionExpression("#kind = :kind")
              .filterExpression("#exp > :now")
              .expressionAttributeNames(Map.of("#kind", KIND_PK, "#exp", EXPIRES_AT))
              .expressionAttributeValues(values);
      if (startKey != null) {
        req.exclusiveStartKey(startKey);
      }
      QueryRequest request = req.build();
      QueryResponse resp = call("Query(byKind)", () -> ddb.query(request));
      resp.items().forEach(each);
      startKey =
          resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty()
              ? resp.lastEvaluatedKey()
              : null;
    } while (startKey != null);
  }

  private <T> T call(String operation, java.util.function.Supplier<T> body) {
    return retry.call(operation, body);
  }
}
