package uk.familylink.fakes;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Page;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.RestampStore;

/**
 * Two tables of keys with expiresAt, an expiry "index" of month x {@value #SHARDS} shards paged
 * {@value #PAGE} keys at a time, and the retention state. Conditional updates like DynamoDB's.
 */
public final class InMemoryRestampStore implements RestampStore {

  public static final int SHARDS = 2;
  public static final int PAGE = 3;

  private final Map<Table, TreeMap<String, Long>> tables = new EnumMap<>(Table.class);
  private RetentionState state;
  private int stateWrites;
  private int restampCalls;

  /** Runs just before each conditional update (a concurrent writer). */
  private BiConsumer<Table, ItemKey> beforeRestamp = (t, k) -> {};

  public InMemoryRestampStore() {
    for (Table t : Table.values()) {
      tables.put(t, new TreeMap<>());
    }
  }

  private static String id(ItemKey k) {
    return k.pk() + "\u0000" + k.sk();
  }

  private static ItemKey key(String id) {
    int i = id.indexOf('\u0000');
    return Keys.itemKey(id.substring(0, i), id.substring(i + 1));
  }

  public synchronized void put(Table table, String pk, String sk, Instant expiresAt) {
    tables.get(table).put(id(Keys.itemKey(pk, sk)), expiresAt.getEpochSecond());
  }

  public synchronized Instant expiresAt(Table table, String pk, String sk) {
    Long e = tables.get(table).get(id(Keys.itemKey(pk, sk)));
    return e == null ? null : Instant.ofEpochSecond(e);
  }

  /** Keys of a table by their expiresAt. */
  public synchronized Map<Instant, Long> countByExpiry(Table table) {
    Map<Instant, Long> out = new TreeMap<>();
    tables.get(table).values().forEach(e -> out.merge(Instant.ofEpochSecond(e), 1L, Long::sum));
    return out;
  }

  public synchronized void setState(RetentionState s) {
    state = s;
  }

  public synchronized int stateWrites() {
    return stateWrites;
  }

  public synchronized int restampCalls() {
    return restampCalls;
  }

  public synchronized void beforeRestamp(BiConsumer<Table, ItemKey> hook) {
    beforeRestamp = hook;
  }

  @Override
  public synchronized Optional<RetentionState> readState() {
    return Optional.ofNullable(state);
  }

  @Override
  public synchronized void writeState(RetentionState s) {
    state = s;
    stateWrites++;
  }

  @Override
  public List<String> partitions(YearMonth month) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      out.add(month + "#" + i);
    }
    return out;
  }

  private static String partitionOf(String id, long expiresAt) {
    YearMonth month = YearMonth.from(Instant.ofEpochSecond(expiresAt).atZone(ZoneOffset.UTC));
    return month + "#" + Math.floorMod(key(id).pk().hashCode(), SHARDS);
  }

  @Override
  public synchronized Page findStamped(
      Table table, String partition, long expiresAt, String cursor) {
    List<String> matching = new ArrayList<>();
    tables
        .get(table)
        .forEach(
            (id, exp) -> {
              if (exp == expiresAt
                  && partitionOf(id, exp).equals(partition)
                  && (cursor == null || id.compareTo(cursor) > 0)) {
                matching.add(id);
              }
            });
    List<String> page = matching.subList(0, Math.min(PAGE, matching.size()));
    return new Page(
        page.stream().map(InMemoryRestampStore::key).toList(),
        matching.size() > PAGE ? page.get(page.size() - 1) : null);
  }

  @Override
  public boolean restamp(Table table, ItemKey key, long oldExpiresAt, long newExpiresAt) {
    beforeRestamp.accept(table, key);
    synchronized (this) {
      restampCalls++;
      Long current = tables.get(table).get(id(key));
      if (current == null || current != oldExpiresAt) {
        return false;
      }
      tables.get(table).put(id(key), newExpiresAt);
      return true;
    }
  }
}
