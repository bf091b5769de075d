package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.domain.linkage.PersonId;

/**
 * The tier-3 candidate index in the linked-data table: one item per (key, person, demographics),
 * {@code pk = BLOCK#<key>}, {@code sk = <person>#<digest of the encodings>}, holding the person,
 * the sealed encodings (binary, {@code EncodingSeal}) and the strong-identifier hashes; found by a
 * Query on the key (never a scan), at most cap + 1 items read, so a key shared by more persons than
 * the cap costs the same as any other and is reported as capped. Items carry {@code expiresAt} and
 * {@code expiryPk} like every other, so the retention sweep finds them.
 */
public final class DynamoDbCandidateIndex implements CandidateIndex {

  static final String PK_PREFIX = LinkedTable.BLOCK_PREFIX;
  private static final int MAX_BATCH_WRITE = 25;
  private static final int MAX_ATTEMPTS = 8;

  private final DynamoDbClient ddb;
  private final String table;
  private final DynamoDbBatches batches;
  private final DynamoDbRetry retry;

  public DynamoDbCandidateIndex(DynamoDbClient ddb, String table) {
    this(
        ddb,
        table,
        new DynamoDbBatches(1),
        new DynamoDbRetry(MAX_ATTEMPTS, java.time.Duration.ofMillis(50)));
  }

  /**
   * With the linked-data adapter's batch helper and retry policy: a chunk's Queries, and its write
   * groups, run at once on its bounded pool, each retried as every adapter retries.
   */
  DynamoDbCandidateIndex(
      DynamoDbClient ddb, String table, DynamoDbBatches batches, DynamoDbRetry retry) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(table, "table");
    this.batches = Objects.requireNonNull(batches, "batches");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  @Override
  public Map<String, Block> lookup(Collection<String> keys, int cap, Instant now) {
    List<String> ordered = new ArrayList<>(keys);
    List<java.util.function.Supplier<Block>> queries = new ArrayList<>(ordered.size());
    for (String key : ordered) {
      queries.add(() -> query(key, cap, now));
    }
    List<Block> blocks = batches.all(queries);
    Map<String, Block> out = new LinkedHashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      if (blocks.get(i) != null) {
        out.put(ordered.get(i), blocks.get(i));
      }
    }
    return out;
  }

  /** One key's entries (null when it has none), reading at most {@code cap + 1} items. */
  private Block query(String key, int cap, Instant now) {
    long nowSeconds = now.getEpochSecond();
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk")
            .expressionAttributeNames(Map.of("#pk", PK))
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PK_PREFIX + key)))
            .consistentRead(true)
            .limit(cap + 1)
            .build();
    QueryResponse response = retry.call("Query", () -> ddb.query(request));
    if (response.count() == 0) {
      return null;
    }
    boolean capped = response.count() > cap;
    List<Entry> entries = new ArrayList<>(response.count());
    if (!capped) {
      for (Map<String, AttributeValue> item : response.items()) {
        AttributeValue expires = item.get(EXPIRES_AT);
        if (expires == null || Long.parseLong(expires.n()) <= nowSeconds) {
          continue; // expired, awaiting TTL or the sweep
        }
        entries.add(
            new Entry(
                key,
                new PersonId(item.get("person").s()),
                item.get("demo").b().asByteArray(),
                longs(item.get("strong").b().asByteArrayUnsafe()),
                item.containsKey("family") ? Long.parseLong(item.get("family").n()) : 0));
      }
    }
    return new Block(entries, capped);
  }

  @Override
  public void add(Collection<Entry> entries, long expiresAt) {
    Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
    for (Entry e : entries) {
      byte[] demo = e.sealed();
      String pk = PK_PREFIX + e.key();
      String sk = e.person().value() + "#" + digest(demo) + "#" + Long.toHexString(e.family());
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(PK, AttributeValue.fromS(pk));
      item.put(SK, AttributeValue.fromS(sk));
      item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
      item.put(EXPIRY_PK, AttributeValue.fromS(DynamoDbTables.expiryPk(pk, expiresAt)));
      item.put("person", AttributeValue.fromS(e.person().value()));
      item.put("demo", AttributeValue.fromB(SdkBytes.fromByteArray(demo)));
      item.put("strong", AttributeValue.fromB(SdkBytes.fromByteArray(bytes(e.strongIds()))));
      if (e.family() != 0) {
        item.put("family", AttributeValue.fromN(Long.toString(e.family())));
      }
      items.put(pk + "\u0000" + sk, item);
    }
    List<WriteRequest> all = new ArrayList<>(items.size());
    for (Map<String, AttributeValue> item : items.values()) {
      all.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    List<java.util.function.Supplier<Void>> groups = new ArrayList<>();
    for (int from = 0; from < all.size(); from += MAX_BATCH_WRITE) {
      List<WriteRequest> group = all.subList(from, Math.min(all.size(), from + MAX_BATCH_WRITE));
      groups.add(
          () -> {
            write(group);
            return null;
          });
    }
    batches.all(groups);
  }

  /** One BatchWriteItem group, its unprocessed items resent ({@link DynamoDbRetry}). */
  private void write(List<WriteRequest> group) {
    retry.batchWrite(ddb, "BatchWriteItem", table, group);
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] bytes(long[] values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  private static long[] longs(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long[] out = new long[bytes.length / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong();
    }
    return out;
  }
}
