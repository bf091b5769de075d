package uk.familylink.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.linkage.CandidateIndex;

/**
 * In-memory tier-3 index with the adapter's semantics (ADR 0143): one block a key with one expiry
 * (the last write's), idempotent entries, at most the cap a key (filing past it stores none of that
 * key's new entries and caps the key), an expired block read as absent.
 */
public final class InMemoryCandidateIndex implements CandidateIndex {

  private static final class Stored {
    final Map<String, Entry> entries = new LinkedHashMap<>();
    boolean capped;
    long expiresAt;
  }

  private final Map<String, Stored> byKey = new LinkedHashMap<>();

  /** Keys read, and lookups made (round trips, for an adapter). */
  public int lookups;

  public int calls;

  @Override
  public synchronized Map<String, Block> lookup(Collection<String> keys, int cap, Instant now) {
    calls++;
    Map<String, Block> out = new LinkedHashMap<>();
    for (String key : keys) {
      lookups++;
      Stored stored = byKey.get(key);
      if (stored == null || stored.expiresAt <= now.getEpochSecond()) {
        continue;
      }
      if (stored.capped || stored.entries.size() > cap) {
        out.put(key, new Block(List.of(), true));
        continue;
      }
      out.put(key, new Block(new ArrayList<>(stored.entries.values()), false));
    }
    return out;
  }

  @Override
  public synchronized void add(Collection<Entry> entries, int cap, long expiresAt) {
    Map<String, Map<String, Entry>> chunk = new LinkedHashMap<>();
    for (Entry e : entries) {
      chunk.computeIfAbsent(e.key(), k -> new LinkedHashMap<>()).putIfAbsent(id(e), e);
    }
    chunk.forEach(
        (key, filed) -> {
          Stored stored = byKey.computeIfAbsent(key, k -> new Stored());
          stored.expiresAt = expiresAt;
          if (stored.capped) {
            return;
          }
          boolean room = stored.entries.size() <= cap - filed.size();
          boolean held = stored.entries.keySet().containsAll(filed.keySet());
          if (filed.size() > cap || !(room || held)) {
            stored.capped = true;
            return;
          }
          stored.entries.putAll(filed);
        });
  }

  private static String id(Entry e) {
    return e.person().value() + "#" + java.util.Arrays.hashCode(e.sealed()) + "#" + e.family();
  }
}
