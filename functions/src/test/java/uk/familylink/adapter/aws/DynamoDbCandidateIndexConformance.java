package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.contract.CandidateIndexContract;
import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.domain.linkage.CandidateIndex.Entry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.retention.ExpiredItemStore;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.ItemKind;

/**
 * {@link CandidateIndexContract} through {@link DynamoDbCandidateIndex}, plus what only the table
 * shows (ADR 0143): one item a key and its shape, the calls a chunk costs, the item limit at the
 * largest cap, the sweep and the re-stamp finding the items. Subclasses supply the endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DynamoDbCandidateIndexConformance extends CandidateIndexContract {

  protected abstract AwsEndpoint endpoint();

  /** Calls of one step run at once (1: one after another, for an emulator that cannot). */
  protected int concurrency() {
    return 4;
  }

  private DynamoDbClient ddb;
  private String table;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private DynamoDbClient counted;
  private DynamoDbCandidateIndex index;

  @BeforeAll
  void createTable() {
    ddb = endpoint().dynamoDb();
    table = "familylink-linked-" + UUID.randomUUID();
    DynamoDbTables.createTable(ddb, table);
    counted = counting(ddb, calls);
    index =
        new DynamoDbCandidateIndex(
            counted,
            table,
            new DynamoDbBatches(concurrency()),
            new DynamoDbRetry(8, java.time.Duration.ofMillis(20)));
  }

  @AfterAll
  void closeClient() {
    if (ddb != null) {
      ddb.close();
    }
  }

  @Override
  protected CandidateIndex index() {
    return index;
  }

  /** The client, counting its calls by operation. */
  static DynamoDbClient counting(DynamoDbClient delegate, Map<String, AtomicInteger> calls) {
    return (DynamoDbClient)
        Proxy.newProxyInstance(
            DynamoDbClient.class.getClassLoader(),
            new Class<?>[] {DynamoDbClient.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("close")
                  && !method.getName().equals("serviceClientConfiguration")) {
                calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private Map<String, AttributeValue> raw(String key) {
    return ddb.getItem(
            b ->
                b.tableName(table)
                    .key(
                        Map.of(
                            "pk", AttributeValue.fromS("BLOCK#" + key),
                            "sk", AttributeValue.fromS("BLOCK")))
                    .consistentRead(true))
        .item();
  }

  @Test
  void eachKeyIsOneItemHoldingItsEntriesIdsAndExpiry() {
    String key = freshKey();
    List<Entry> entries = List.of(entry(key), entry(key), entry(key));
    index.add(entries, CAP, LIVE);

    Map<String, AttributeValue> item = raw(key);

    assertThat(item.get("ids").ss()).hasSize(3);
    for (String id : item.get("ids").ss()) {
      assertThat(item.get("e" + id).type()).isEqualTo(AttributeValue.Type.B);
    }
    assertThat(item.keySet().stream().filter(n -> n.startsWith("e") && !n.startsWith("expir")))
        .hasSize(3);
    assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(LIVE));
    assertThat(item.get("expiryPk").s())
        .isEqualTo(DynamoDbTables.expiryPk("BLOCK#" + key, LIVE))
        .matches("2032-03#(0\\d|1[0-5])");
    assertThat(item).doesNotContainKey("capped");
    assertThat(LinkedTable.kindOf(item.get("pk").s(), item.get("sk").s()))
        .isEqualTo(ItemKind.BLOCK);
    long blockItems =
        ddb.query(
                b ->
                    b.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                            Map.of(":pk", AttributeValue.fromS("BLOCK#" + key))))
            .count();
    assertThat(blockItems).isEqualTo(1);
  }

  @Test
  void aCappedKeySaysSoInItsItem() {
    String key = freshKey();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i <= CAP; i++) {
      entries.add(entry(key));
    }
    index.add(entries.subList(0, CAP), CAP, LIVE);
    index.add(entries.subList(CAP, CAP + 1), CAP, LIVE);

    Map<String, AttributeValue> item = raw(key);
    assertThat(item.get("capped").bool()).isTrue();
    assertThat(item.get("ids").ss()).hasSize(CAP);
  }

  @Test
  void aKeyWithNoRoomInAChunkIsCappedWhileTheChunksOtherKeysAreFiled() {
    String full = freshKey();
    List<Entry> filled = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      filled.add(entry(full));
    }
    index.add(filled, CAP, LIVE);
    String a = freshKey();
    String b = freshKey();
    Entry ea = entry(a);
    Entry eb = entry(b);

    // one transaction: its update of the full key fails its condition, the others must still land
    index.add(List.of(ea, entry(full), eb), CAP, LIVE);

    Map<String, CandidateIndex.Block> found = index.lookup(List.of(full, a, b), CAP, NOW);
    assertThat(found.get(full).capped()).isTrue();
    assertThat(found.get(a).capped()).isFalse();
    assertThat(found.get(a).entries()).hasSize(1);
    assertThat(found.get(b).entries()).hasSize(1);
    assertThat(raw(full).get("ids").ss()).hasSize(CAP);
  }

  @Test
  void aChunkCostsOneReadAndOneTransactionPerHundredKeys() {
    List<Entry> entries = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      String key = freshKey();
      keys.add(key);
      entries.add(entry(key));
      entries.add(entry(key));
    }
    calls.clear();
    index.add(entries, CAP, LIVE);
    assertThat(count("transactWriteItems")).isEqualTo(3);
    assertThat(count("updateItem") + count("batchWriteItem") + count("putItem")).isZero();

    calls.clear();
    assertThat(index.lookup(keys, CAP, Instant.parse("2026-03-10T12:00:00Z"))).hasSize(230);
    assertThat(count("batchGetItem")).isEqualTo(3);
    assertThat(count("query")).isZero();

    // the other way of writing: one UpdateItem a key
    Map<String, AtomicInteger> eachCalls = new ConcurrentHashMap<>();
    DynamoDbCandidateIndex each =
        new DynamoDbCandidateIndex(
            counting(ddb, eachCalls),
            table,
            new DynamoDbBatches(concurrency()),
            new DynamoDbRetry(8, java.time.Duration.ofMillis(20)),
            DynamoDbCandidateIndex.Writes.UPDATE_EACH);
    List<Entry> more = new ArrayList<>();
    for (String key : keys) {
      more.add(entry(key));
    }
    each.add(more, CAP, LIVE);
    assertThat(eachCalls.get("updateItem").get()).isEqualTo(230);
    assertThat(index.lookup(keys, CAP, Instant.parse("2026-03-10T12:00:00Z")).get(keys.get(0)))
        .satisfies(b -> assertThat(b.entries()).hasSize(3));
  }

  private int count(String operation) {
    AtomicInteger n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  @Test
  void theLargestCapOfTheLargestEntriesFitsOneItem() {
    String key = freshKey();
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < DynamoDbCandidateIndex.MAX_CAP; i++) {
      PersonId person = new PersonId("P-" + UUID.randomUUID());
      // the payload adds the format, the person, lengths, 2 strong ids and the family
      byte[] sealed = new byte[DynamoDbCandidateIndex.MAX_ENTRY_BYTES - 100];
      new java.util.Random(i).nextBytes(sealed);
      entries.add(new Entry(key, person, sealed, new long[] {1L, 2L}, 3L));
    }
    assertThat(DynamoDbCandidateIndex.encode(entries.get(0)).length)
        .isLessThanOrEqualTo(DynamoDbCandidateIndex.MAX_ENTRY_BYTES);
    // filed in three chunks, so each update adds to what is stored
    index.add(entries.subList(0, 30), DynamoDbCandidateIndex.MAX_CAP, LIVE);
    index.add(entries.subList(30, 60), DynamoDbCandidateIndex.MAX_CAP, LIVE);
    index.add(entries.subList(60, 90), DynamoDbCandidateIndex.MAX_CAP, LIVE);

    CandidateIndex.Block block =
        index.lookup(List.of(key), DynamoDbCandidateIndex.MAX_CAP, NOW).get(key);
    assertThat(block.capped()).isFalse();
    assertThat(block.entries()).hasSize(DynamoDbCandidateIndex.MAX_CAP);
  }

  @Test
  void anEntryLargerThanAnItemCanHoldIsRefused() {
    String key = freshKey();
    Entry huge =
        new Entry(
            key,
            new PersonId("P-1"),
            new byte[DynamoDbCandidateIndex.MAX_ENTRY_BYTES],
            new long[0],
            0);
    assertThatThrownBy(() -> index.add(List.of(huge), CAP, LIVE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> index.add(List.of(entry(key)), DynamoDbCandidateIndex.MAX_CAP + 1, LIVE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoWritersPastTheCapLeaveAtMostTheCapStored() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(concurrentConditionsHold());
    String key = freshKey();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < CAP; i++) {
                  index.add(List.of(entry(key)), CAP, LIVE);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join(120_000);
    }
    Map<String, AttributeValue> item = raw(key);
    assertThat(item.get("ids").ss()).hasSizeLessThanOrEqualTo(CAP);
    assertThat(item.get("capped").bool()).isTrue();
  }

  @Test
  void theSweepFindsAndDeletesAnExpiredKeyAndTheRestampMovesALiveOne() {
    // an expiry no other test uses, so its byExpiry partition holds only these
    long old =
        Instant.parse("2028-07-01T00:00:00Z").getEpochSecond()
            + new java.util.Random().nextInt(86_400);
    String expired = freshKey();
    String moved = freshKey();
    index.add(List.of(entry(expired)), CAP, old);
    index.add(List.of(entry(moved)), CAP, old);
    ExpiryIndexAccess access = ExpiryIndexAccess.of(ddb, table, table);
    DynamoDbExpiredItems sweep = new DynamoDbExpiredItems(access);
    DynamoDbRestamp restamp = new DynamoDbRestamp(access);

    ItemKey movedKey = new ItemKey("BLOCK#" + moved, "BLOCK", ItemKind.BLOCK);
    assertThat(restamp.restamp(Table.LINKED, movedKey, old, LIVE)).isTrue();
    assertThat(index.lookup(List.of(moved), CAP, Instant.ofEpochSecond(old + 1)))
        .containsKey(moved);
    // a later filing under the policy stamps the item with the policy's expiry
    index.add(List.of(entry(moved)), CAP, LIVE);
    assertThat(raw(moved).get("expiresAt").n()).isEqualTo(Long.toString(LIVE));

    List<ItemKey> found = new ArrayList<>();
    for (String partition :
        sweep.partitions(YearMonth.from(Instant.ofEpochSecond(old).atOffset(ZoneOffset.UTC)))) {
      ExpiredItemStore.Page page = sweep.findExpired(Table.LINKED, partition, old, null);
      found.addAll(page.keys());
    }
    ItemKey expiredKey = new ItemKey("BLOCK#" + expired, "BLOCK", ItemKind.BLOCK);
    assertThat(found).contains(expiredKey).doesNotContain(movedKey);
    assertThat(sweep.confirmExpired(Table.LINKED, List.of(expiredKey), old))
        .containsExactly(expiredKey);
    sweep.delete(Table.LINKED, List.of(expiredKey));

    assertThat(raw(expired)).isEmpty();
    assertThat(index.lookup(List.of(expired, moved), CAP, NOW)).containsOnlyKeys(moved);
  }
}
