package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;
import static uk.familylink.adapter.aws.LinkedItems.n;
import static uk.familylink.adapter.aws.LinkedItems.s;
import static uk.familylink.adapter.aws.LinkedTable.SK_MEMBER_PREFIX;
import static uk.familylink.adapter.aws.LinkedTable.SK_MERGE;
import static uk.familylink.adapter.aws.LinkedTable.SK_PERSON;
import static uk.familylink.adapter.aws.LinkedTable.SK_REC;

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
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;

/**
 * Whole-population reads of the linked table for the outputs, statistics and releases: one Scan per
 * item kind (optionally in parallel segments), filtered on sort key and liveness. Decision record
 * 0161 measures its cost.
 */
public final class DynamoDbPopulationReader implements LinkedDataReader {

  private final DynamoDbClient ddb;
  private final String table;
  private final int scanSegments;
  private final DynamoDbRetry retry;

  public DynamoDbPopulationReader(DynamoDbClient ddb, String tableName) {
    this(ddb, tableName, 1);
  }

  /**
   * @param scanSegments parallel Scan segments (1 = sequential)
   */
  public DynamoDbPopulationReader(DynamoDbClient ddb, String tableName, int scanSegments) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(tableName, "tableName");
    if (scanSegments < 1) {
      throw new IllegalArgumentException("scanSegments must be >= 1");
    }
    this.scanSegments = scanSegments;
    this.retry = new DynamoDbRetry(8, Duration.ofMillis(50));
  }

  @Override
  public void forEachPerson(Instant now, Consumer<PersonEntry> sink) {
    scan("#sk = :sk", SK_PERSON, now, LinkedItems::toPerson, sink);
  }

  @Override
  public void forEachRecord(Instant now, Consumer<LinkedRecord> sink) {
    scan("#sk = :sk", SK_REC, now, LinkedItems::toRecord, sink);
  }

  @Override
  public void forEachMembership(Instant now, Consumer<FamilyMembership> sink) {
    scan("begins_with(#sk, :sk)", SK_MEMBER_PREFIX, now, LinkedItems::toMembership, sink);
  }

  @Override
  public void forEachMerge(Instant now, Consumer<MergeRecord> sink) {
    scan("#sk = :sk", SK_MERGE, now, LinkedItems::toMerge, sink);
  }

  /**
   * Full-table Scan (optionally parallel segments) filtered on sk and liveness; the sink is called
   * serially.
   */
  private <T> void scan(
      String skCondition,
      String skValue,
      Instant now,
      Function<Map<String, AttributeValue>, T> mapper,
      Consumer<T> sink) {
    String filter = skCondition + " AND #exp > :now";
    Map<String, String> names = Map.of("#sk", SK, "#exp", EXPIRES_AT);
    Map<String, AttributeValue> values = Map.of(":sk", s(skValue), ":now", n(now.getEpochSecond()));
    if (scanSegments == 1) {
      scanSegment(filter, names, values, null, item -> sink.accept(mapper.apply(item)));
      return;
    }
    Object lock = new Object();
    ExecutorService pool = Executors.newFixedThreadPool(scanSegments);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int seg = 0; seg < scanSegments; seg++) {
        int segment = seg;
        futures.add(
            pool.submit(
                () ->
                    scanSegment(
                        filter,
                        names,
                        values,
                        segment,
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
      throw new AwsAdapterException("Scan interrupted", "Interrupted", 0);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new AwsAdapterException(
          "Scan failed: " + e.getCause().getClass().getSimpleName(), "ScanFailed", 0);
    } finally {
      pool.shutdownNow();
    }
  }

  private void scanSegment(
      String filter,
      Map<String, String> names,
      Map<String, AttributeValue> values,
      Integer segment,
      Consumer<Map<String, AttributeValue>> each) {
    Map<String, AttributeValue> startKey = null;
    do {
      ScanRequest.Builder req =
          ScanRequest.builder()
              .tableName(table)
              .filterExpression(filter)
              .expressionAttributeNames(names)
              .expressionAttributeValues(values);
      if (segment != null) {
        req.segment(segment).totalSegments(scanSegments);
      }
      if (startKey != null) {
        req.exclusiveStartKey(startKey);
      }
      ScanRequest request = req.build();
      ScanResponse resp = call("Scan", () -> ddb.scan(request));
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
