package uk.familylink.domain.retention;

import java.time.YearMonth;
import java.util.List;

/**
 * Port to the expiry index of the two tables (linked data and audit). Items are found by expiry
 * period, never by scanning: {@link #partitions} names the index partitions of one expiry month and
 * {@link #findExpired} pages through one partition returning only keys whose expiresAt is at or
 * before "now".
 */
public interface ExpiredItemStore {

  enum Table {
    LINKED,
    AUDIT
  }

  /** Primary key of an item, opaque to the sweep, and its kind as the adapter read it. */
  record ItemKey(String pk, String sk, ItemKind kind) {
    public ItemKey {
      java.util.Objects.requireNonNull(kind, "kind");
    }
  }

  /** One page of expired keys; {@code cursor} is null when the partition is exhausted. */
  record Page(List<ItemKey> keys, String cursor) {
    public Page {
      keys = List.copyOf(keys);
    }

    public boolean last() {
      return cursor == null;
    }
  }

  /** The index partitions holding items that expire in {@code month} (UTC). */
  List<String> partitions(YearMonth month);

  /**
   * A page of keys in {@code partition} with expiresAt <= {@code nowEpochSecond}; pass the previous
   * page's cursor to continue, null to start. The index may lag the table (eventually consistent),
   * so a key found here must be confirmed with {@link #confirmExpired} before it is deleted.
   */
  Page findExpired(Table table, String partition, long nowEpochSecond, String cursor);

  /**
   * The subset of {@code keys} whose items exist now (strongly consistent read) with expiresAt <=
   * {@code nowEpochSecond}. Items already gone, or re-stamped to a later expiry, are left out.
   */
  List<ItemKey> confirmExpired(Table table, List<ItemKey> keys, long nowEpochSecond);

  /** Deletes the items; deleting an item that no longer exists is not an error. */
  void delete(Table table, List<ItemKey> keys);
}
