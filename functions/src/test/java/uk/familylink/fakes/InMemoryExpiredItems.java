package uk.familylink.fakes;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import uk.familylink.domain.retention.ExpiredItemStore;

/**
 * Two tables of keys with expiresAt and an expiry "index" of month x {@value #SHARDS} shards, paged
 * {@value #PAGE} keys at a time (small, so paging is exercised).
 */
public final class InMemoryExpiredItems implements ExpiredItemStore {

  public static final int SHARDS = 2;
  public static final int PAGE = 3;

  private final Map<Table, Map<ItemKey, Long>> tables = new EnumMap<>(Table.class);
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicInteger deleted = new AtomicInteger();

  /** Keys the index still shows although the table no longer has them (index lag). */
  private final Map<Table, Map<ItemKey, Long>> staleIndex = new EnumMap<>(Table.class);

  private RuntimeException nextDeleteFailure;

  public InMemoryExpiredItems() {
    for (Table t : Table.values()) {
      tables.put(
          t,
          new TreeMap<>(
              (a, b) -> (a.pk() + "\u0000" + a.sk()).compareTo(b.pk() + "\u0000" + b.sk())));
      staleIndex.put(
          t,
          new TreeMap<>(
              (a, b) -> (a.pk() + "\u0000" + a.sk()).compareTo(b.pk() + "\u0000" + b.sk())));
    }
  }

  public synchronized void put(Table table, String pk, String sk, Instant expiresAt) {
    tables.get(table).put(Keys.itemKey(pk, sk), expiresAt.getEpochSecond());
  }

  /** The index shows an item with this expiry that is not (or no longer) in the table. */
  public synchronized void putStaleIndexEntry(
      Table table, String pk, String sk, Instant expiresAt) {
    staleIndex.get(table).put(Keys.itemKey(pk, sk), expiresAt.getEpochSecond());
  }

  /** Removes an item behind the sweep's back (TTL, another run). */
  public synchronized void removeDirectly(Table table, String pk, String sk) {
    tables.get(table).remove(Keys.itemKey(pk, sk));
  }

  public synchronized List<ItemKey> keys(Table table) {
    return new ArrayList<>(tables.get(table).keySet());
  }

  public int queries() {
    return queries.get();
  }

  public int deletedCount() {
    return deleted.get();
  }

  public synchronized void failNextDelete(RuntimeException e) {
    nextDeleteFailure = e;
  }

  private static String partitionOf(ItemKey key, long expiresAt) {
    YearMonth month = YearMonth.from(Instant.ofEpochSecond(expiresAt).atZone(ZoneOffset.UTC));
    return month + "#" + Math.floorMod(key.pk().hashCode(), SHARDS);
  }

  @Override
  public List<String> partitions(YearMonth month) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      out.add(month + "#" + i);
    }
    return out;
  }

  @Override
  public synchronized Page findExpired(
      Table table, String partition, long nowEpochSecond, String cursor) {
    queries.incrementAndGet();
    Map<ItemKey, Long> index =
        new TreeMap<>((a, b) -> (a.pk() + "\u0000" + a.sk()).compareTo(b.pk() + "\u0000" + b.sk()));
    index.putAll(staleIndex.get(table));
    index.putAll(tables.get(table));
    List<ItemKey> matching = new ArrayList<>();
    index.forEach(
        (k, exp) -> {
          if (exp <= nowEpochSecond && partitionOf(k, exp).equals(partition)) {
            matching.add(k);
          }
        });
    // Like ExclusiveStartKey: continue after the last key returned, whatever was deleted meanwhile.
    List<ItemKey> after =
        matching.stream().filter(k -> cursor == null || sortKey(k).compareTo(cursor) > 0).toList();
    List<ItemKey> page = after.subList(0, Math.min(PAGE, after.size()));
    return new Page(page, after.size() > PAGE ? sortKey(page.get(page.size() - 1)) : null);
  }

  private static String sortKey(ItemKey k) {
    return k.pk() + "\u0000" + k.sk();
  }

  @Override
  public synchronized List<ItemKey> confirmExpired(
      Table table, List<ItemKey> keys, long nowEpochSecond) {
    Map<ItemKey, Long> t = tables.get(table);
    return keys.stream().filter(k -> t.containsKey(k) && t.get(k) <= nowEpochSecond).toList();
  }

  @Override
  public synchronized void delete(Table table, List<ItemKey> keys) {
    if (nextDeleteFailure != null) {
      RuntimeException e = nextDeleteFailure;
      nextDeleteFailure = null;
      throw e;
    }
    for (ItemKey k : keys) {
      if (tables.get(table).remove(k) != null) {
        deleted.incrementAndGet();
      }
    }
  }
}
