package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.domain.linkage.PersonId;

/**
 * The tier-3 candidate index in the linked-data table: one item per blocking key (ADR 0143), {@code
 * pk = BLOCK#<key>}, {@code sk = BLOCK}, holding
 *
 * <ul>
 *   <li>{@code e<id>} (B) per entry: the person, the sealed encodings ({@code EncodingSeal}), the
 *       strong-identifier hashes and the family hash, where {@code <id>} is a digest of the person,
 *       the encodings and the family (so re-filing the same entry overwrites it);
 *   <li>{@code ids} (SS): the ids of the entries filed, which the write condition counts;
 *   <li>{@code capped} (BOOL): set when filing would have taken the key past the cap (the entries
 *       beyond it are not stored; a capped key is too common to compare against);
 *   <li>{@code expiresAt} / {@code expiryPk} like every other item, so the retention sweep, TTL and
 *       the re-stamp find it.
 * </ul>
 *
 * <p>Lookup is BatchGetItem (strongly consistent, 100 keys a call, the calls of a chunk at once),
 * never a Query per key nor a scan. Filing groups a chunk's entries by key and makes one update per
 * key, {@code SET} of its entry attributes and the expiry, {@code ADD ids}, on condition that the
 * key is not capped and either has room for all of them ({@code size(ids) <= cap - n}) or already
 * holds them all (an idempotent re-add); the updates of a chunk go 100 to a TransactWriteItems
 * call. Each update's condition is checked atomically against the stored item, so two writers of
 * one key never take it past the cap; an update whose condition fails is not applied and the key is
 * marked capped instead, so no entry is dropped without the key saying so.
 */
public final class DynamoDbCandidateIndex implements CandidateIndex {

  static final String PK_PREFIX = LinkedTable.BLOCK_PREFIX;
  static final String SK_BLOCK = LinkedTable.SK_BLOCK;
  static final String IDS = "ids";
  static final String CAPPED = "capped";
  static final String ENTRY_PREFIX = "e";

  static final int MAX_BATCH_GET = 100;
  static final int MAX_TRANSACT = 100;

  /**
   * Largest cap an item is sized for: at {@link #MAX_ENTRY_BYTES} an entry, {@value} entries and
   * their names and ids stay under DynamoDB's 400 KB item limit, and one update's expressions under
   * their 4 KB limit.
   */
  static final int MAX_CAP = 90;

  /** Largest payload of one entry (person, sealed encodings, strong ids, family). */
  static final int MAX_ENTRY_BYTES = 4_096;

  /** Transactions are limited to 4 MB of request; a chunk's are cut well below that. */
  private static final int MAX_TRANSACT_BYTES = 3_000_000;

  private static final int MAX_ATTEMPTS = 8;
  private static final byte FORMAT = 1;

  /** How a chunk's per-key updates are sent: ADR 0143 measures both. */
  public enum Writes {
    /** TransactWriteItems, up to 100 updates a call (the default). */
    TRANSACT,
    /** One UpdateItem a key, the chunk's run at once on the adapter's pool. */
    UPDATE_EACH
  }

  private final DynamoDbClient ddb;
  private final String table;
  private final DynamoDbBatches batches;
  private final DynamoDbRetry retry;
  private final Writes writes;

  public DynamoDbCandidateIndex(DynamoDbClient ddb, String table) {
    this(ddb, table, Writes.TRANSACT);
  }

  /** With the given way of writing (for measurement: ADR 0143). */
  public DynamoDbCandidateIndex(DynamoDbClient ddb, String table, Writes writes) {
    this(
        ddb,
        table,
        new DynamoDbBatches(1),
        new DynamoDbRetry(MAX_ATTEMPTS, Duration.ofMillis(50)),
        writes);
  }

  /**
   * With the linked-data adapter's batch helper and retry policy: a chunk's reads, and its write
   * groups, run at once on its bounded pool, each retried as every adapter retries.
   */
  DynamoDbCandidateIndex(
      DynamoDbClient ddb, String table, DynamoDbBatches batches, DynamoDbRetry retry) {
    this(ddb, table, batches, retry, Writes.TRANSACT);
  }

  DynamoDbCandidateIndex(
      DynamoDbClient ddb,
      String table,
      DynamoDbBatches batches,
      DynamoDbRetry retry,
      Writes writes) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(table, "table");
    this.batches = Objects.requireNonNull(batches, "batches");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.writes = Objects.requireNonNull(writes, "writes");
  }

  static String pk(String key) {
    return PK_PREFIX + key;
  }

  private static Map<String, AttributeValue> itemKey(String key) {
    return Map.of(PK, AttributeValue.fromS(pk(key)), SK, AttributeValue.fromS(SK_BLOCK));
  }

  // ---------------------------------------------------------------------------------------------
  // lookup

  @Override
  public Map<String, Block> lookup(Collection<String> keys, int cap, Instant now) {
    List<String> ordered = new ArrayList<>(new LinkedHashSet<>(keys));
    List<Supplier<List<Map<String, AttributeValue>>>> reads = new ArrayList<>();
    for (int from = 0; from < ordered.size(); from += MAX_BATCH_GET) {
      List<String> group = ordered.subList(from, Math.min(ordered.size(), from + MAX_BATCH_GET));
      List<Map<String, AttributeValue>> itemKeys = new ArrayList<>(group.size());
      for (String key : group) {
        itemKeys.add(itemKey(key));
      }
      KeysAndAttributes request =
          KeysAndAttributes.builder().keys(itemKeys).consistentRead(true).build();
      reads.add(() -> retry.batchGet(ddb, "BatchGetItem(candidates)", table, request));
    }
    Map<String, Map<String, AttributeValue>> byPk = new HashMap<>();
    for (List<Map<String, AttributeValue>> found : batches.all(reads)) {
      for (Map<String, AttributeValue> item : found) {
        byPk.put(item.get(PK).s(), item);
      }
    }
    long nowSeconds = now.getEpochSecond();
    Map<String, Block> out = new LinkedHashMap<>();
    for (String key : ordered) {
      Map<String, AttributeValue> item = byPk.get(pk(key));
      if (item != null) {
        Block block = block(key, item, cap, nowSeconds);
        if (block != null) {
          out.put(key, block);
        }
      }
    }
    return out;
  }

  /** A key's block, or null when its item has expired (awaiting TTL or the sweep). */
  private static Block block(String key, Map<String, AttributeValue> item, int cap, long now) {
    AttributeValue expires = item.get(EXPIRES_AT);
    if (expires == null || Long.parseLong(expires.n()) <= now) {
      return null;
    }
    AttributeValue capped = item.get(CAPPED);
    AttributeValue ids = item.get(IDS);
    List<String> filed = ids == null || !ids.hasSs() ? List.of() : ids.ss();
    if ((capped != null && Boolean.TRUE.equals(capped.bool())) || filed.size() > cap) {
      return new Block(List.of(), true);
    }
    // a stable order (a set has none): by person, then by entry id
    List<String> sorted = new ArrayList<>(filed);
    java.util.Collections.sort(sorted);
    List<Entry> entries = new ArrayList<>(sorted.size());
    for (String id : sorted) {
      AttributeValue payload = item.get(ENTRY_PREFIX + id);
      if (payload != null && payload.b() != null) {
        entries.add(decode(key, payload.b().asByteArrayUnsafe()));
      }
    }
    entries.sort(Comparator.comparing((Entry e) -> e.person().value()));
    return new Block(entries, false);
  }

  // ---------------------------------------------------------------------------------------------
  // add

  /** One key's update: its entries by id, in the order filed. */
  private record KeyWrite(String key, Map<String, Entry> entries, int bytes) {}

  @Override
  public void add(Collection<Entry> entries, int cap, long expiresAt) {
    if (cap < 1 || cap > MAX_CAP) {
      throw new IllegalArgumentException("cap must be 1.." + MAX_CAP + ", was " + cap);
    }
    Map<String, Map<String, Entry>> byKey = new LinkedHashMap<>();
    for (Entry e : entries) {
      byKey.computeIfAbsent(e.key(), k -> new LinkedHashMap<>()).putIfAbsent(entryId(e), e);
    }
    List<KeyWrite> updates = new ArrayList<>(byKey.size());
    List<String> toCap = new ArrayList<>();
    for (Map.Entry<String, Map<String, Entry>> k : byKey.entrySet()) {
      if (k.getValue().size() > cap) {
        toCap.add(k.getKey()); // more than the cap in one chunk: none stored
        continue;
      }
      int bytes = 0;
      for (Entry e : k.getValue().values()) {
        int size = encode(e).length;
        if (size > MAX_ENTRY_BYTES) {
          throw new IllegalArgumentException(
              "candidate entry of " + size + " bytes exceeds " + MAX_ENTRY_BYTES);
        }
        bytes += size + 64;
      }
      updates.add(new KeyWrite(k.getKey(), k.getValue(), bytes));
    }
    toCap.addAll(
        writes == Writes.TRANSACT
            ? transactAll(updates, w -> fileUpdate(w, cap, expiresAt))
            : updateEach(updates, w -> fileUpdate(w, cap, expiresAt)));
    if (!toCap.isEmpty()) {
      List<KeyWrite> marks = new ArrayList<>(toCap.size());
      for (String key : toCap) {
        marks.add(new KeyWrite(key, Map.of(), 64));
      }
      List<String> failed =
          writes == Writes.TRANSACT
              ? transactAll(marks, w -> capUpdate(w.key(), expiresAt))
              : updateEach(marks, w -> capUpdate(w.key(), expiresAt));
      if (!failed.isEmpty()) {
        throw new IllegalStateException("an unconditional cap mark failed its condition");
      }
    }
  }

  /**
   * {@code SET} the entries and the expiry, {@code ADD} their ids, if the key is not capped and has
   * room for them all, or holds them all already.
   */
  private Update fileUpdate(KeyWrite w, int cap, long expiresAt) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    names.put("#exp", EXPIRES_AT);
    names.put("#xpk", EXPIRY_PK);
    names.put("#ids", IDS);
    names.put("#capped", CAPPED);
    values.put(":exp", AttributeValue.fromN(Long.toString(expiresAt)));
    values.put(":xpk", AttributeValue.fromS(DynamoDbTables.expiryPk(pk(w.key()), expiresAt)));
    StringBuilder set = new StringBuilder("SET #exp = :exp, #xpk = :xpk");
    StringBuilder all = new StringBuilder();
    int i = 0;
    for (Map.Entry<String, Entry> e : w.entries().entrySet()) {
      names.put("#e" + i, ENTRY_PREFIX + e.getKey());
      values.put(":e" + i, AttributeValue.fromB(SdkBytes.fromByteArray(encode(e.getValue()))));
      values.put(":d" + i, AttributeValue.fromS(e.getKey()));
      set.append(", #e").append(i).append(" = :e").append(i);
      all.append(i == 0 ? "" : " AND ").append("contains(#ids, :d").append(i).append(')');
      i++;
    }
    values.put(":ids", AttributeValue.fromSs(new ArrayList<>(w.entries().keySet())));
    values.put(":room", AttributeValue.fromN(Integer.toString(cap - w.entries().size())));
    return Update.builder()
        .tableName(table)
        .key(itemKey(w.key()))
        .updateExpression(set + " ADD #ids :ids")
        .conditionExpression(
            "attribute_not_exists(#capped) AND (attribute_not_exists(#ids) OR size(#ids) <= :room"
                + " OR ("
                + all
                + "))")
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  /** Marks a key capped (unconditionally; the expiry is the chunk's, as on every other item). */
  private Update capUpdate(String key, long expiresAt) {
    return Update.builder()
        .tableName(table)
        .key(itemKey(key))
        .updateExpression("SET #capped = :t, #exp = :exp, #xpk = :xpk")
        .expressionAttributeNames(Map.of("#capped", CAPPED, "#exp", EXPIRES_AT, "#xpk", EXPIRY_PK))
        .expressionAttributeValues(
            Map.of(
                ":t",
                AttributeValue.fromBool(true),
                ":exp",
                AttributeValue.fromN(Long.toString(expiresAt)),
                ":xpk",
                AttributeValue.fromS(DynamoDbTables.expiryPk(pk(key), expiresAt))))
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // sending updates

  /**
   * The updates in TransactWriteItems calls of at most 100 (and 3 MB), run at once; the keys whose
   * condition failed.
   */
  private List<String> transactAll(
      List<KeyWrite> updates, java.util.function.Function<KeyWrite, Update> build) {
    List<Supplier<List<String>>> groups = new ArrayList<>();
    List<KeyWrite> group = new ArrayList<>();
    int bytes = 0;
    for (KeyWrite w : updates) {
      if (!group.isEmpty()
          && (group.size() == MAX_TRANSACT || bytes + w.bytes() > MAX_TRANSACT_BYTES)) {
        List<KeyWrite> g = group;
        groups.add(() -> transact(g, build));
        group = new ArrayList<>();
        bytes = 0;
      }
      group.add(w);
      bytes += w.bytes();
    }
    if (!group.isEmpty()) {
      List<KeyWrite> g = group;
      groups.add(() -> transact(g, build));
    }
    List<String> failed = new ArrayList<>();
    for (List<String> f : batches.all(groups)) {
      failed.addAll(f);
    }
    return failed;
  }

  /**
   * One transaction, resent without the updates whose condition failed (those keys are returned)
   * and, with backoff, while it is cancelled by a conflicting write or throttling.
   */
  private List<String> transact(
      List<KeyWrite> group, java.util.function.Function<KeyWrite, Update> build) {
    List<String> failed = new ArrayList<>();
    List<KeyWrite> pending = group;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      List<TransactWriteItem> items = new ArrayList<>(pending.size());
      for (KeyWrite w : pending) {
        items.add(TransactWriteItem.builder().update(build.apply(w)).build());
      }
      try {
        retry.call(
            "TransactWriteItems(candidates)",
            () -> ddb.transactWriteItems(b -> b.transactItems(items)));
        return failed;
      } catch (TransactionCanceledException e) {
        List<CancellationReason> reasons =
            e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        List<KeyWrite> next = new ArrayList<>(pending.size());
        boolean contended = reasons.size() != pending.size();
        for (int i = 0; i < pending.size(); i++) {
          String code = i < reasons.size() ? reasons.get(i).code() : null;
          if ("ConditionalCheckFailed".equals(code)) {
            failed.add(pending.get(i).key());
            continue;
          }
          if (code != null && !"None".equals(code)) {
            if (!RETRIED_REASONS.contains(code)) {
              throw new AwsAdapterException(
                  "TransactWriteItems(candidates) cancelled: " + code, code, 0);
            }
            contended = true;
          }
          next.add(pending.get(i));
        }
        // cancelled with no update to blame: a resend is all that can help, so it counts
        contended |= next.size() == pending.size();
        if (contended) {
          if (attempt >= retry.maxAttempts()) {
            throw new AwsAdapterException(
                "TransactWriteItems(candidates) still cancelled after " + attempt + " attempts",
                "TransactionCanceled",
                0);
          }
          retry.backOff("TransactWriteItems(candidates)", attempt);
        }
        pending = next;
      }
    }
    return failed;
  }

  /** Cancellation reasons that a resend after backoff may get past. */
  private static final Set<String> RETRIED_REASONS =
      Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

  /** One UpdateItem a key, all at once on the pool; the keys whose condition failed. */
  private List<String> updateEach(
      List<KeyWrite> updates, java.util.function.Function<KeyWrite, Update> build) {
    List<Supplier<String>> calls = new ArrayList<>(updates.size());
    for (KeyWrite w : updates) {
      Update u = build.apply(w);
      calls.add(
          () -> {
            try {
              retry.call(
                  "UpdateItem(candidates)",
                  () ->
                      ddb.updateItem(
                          b ->
                              b.tableName(u.tableName())
                                  .key(u.key())
                                  .updateExpression(u.updateExpression())
                                  .conditionExpression(u.conditionExpression())
                                  .expressionAttributeNames(u.expressionAttributeNames())
                                  .expressionAttributeValues(u.expressionAttributeValues())));
              return null;
            } catch (ConditionalCheckFailedException e) {
              return w.key();
            }
          });
    }
    List<String> failed = new ArrayList<>();
    for (String key : batches.all(calls)) {
      if (key != null) {
        failed.add(key);
      }
    }
    return failed;
  }

  // ---------------------------------------------------------------------------------------------
  // the entry payload

  /** The entry's id: a digest of its person, encodings and family (no value, only ciphertext). */
  static String entryId(Entry e) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(e.person().value().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(e.sealed());
      long f = e.family();
      for (int i = 7; i >= 0; i--) {
        md.update((byte) (f >>> (8 * i)));
      }
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(java.util.Arrays.copyOf(md.digest(), 12));
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 unavailable", ex);
    }
  }

  /** format, person, sealed encodings, strong-identifier hashes, family hash. */
  static byte[] encode(Entry e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + e.sealed().length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeUTF(e.person().value());
      out.writeInt(e.sealed().length);
      out.write(e.sealed());
      out.writeShort(e.strongIds().length);
      for (long id : e.strongIds()) {
        out.writeLong(id);
      }
      out.writeLong(e.family());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return bytes.toByteArray();
  }

  static Entry decode(String key, byte[] payload) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalStateException("candidate entry of unknown format " + format);
      }
      PersonId person = new PersonId(in.readUTF());
      byte[] sealed = new byte[in.readInt()];
      in.readFully(sealed);
      long[] strong = new long[in.readUnsignedShort()];
      for (int i = 0; i < strong.length; i++) {
        strong[i] = in.readLong();
      }
      return new Entry(key, person, sealed, strong, in.readLong());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
