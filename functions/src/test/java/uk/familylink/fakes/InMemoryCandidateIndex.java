package uk.familylink.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.linkage.CandidateIndex;

/** In-memory tier-3 index with the adapter's semantics (idempotent entries, cap, expiry). */
public final class InMemoryCandidateIndex implements CandidateIndex {

  private record Stamped(Entry entry, long expiresAt) {}

  private final Map<String, Map<String, Stamped>> byKey = new LinkedHashMap<>();
  public int lookups;

  @Override
  public synchronized Map<String, Block> lookup(Collection<String> keys, int cap, Instant now) {
    Map<String, Block> out = new LinkedHashMap<>();
    for (String key : keys) {
      lookups++;
      Map<String, Stamped> entries = byKey.get(key);
      if (entries == null || entries.isEmpty()) {
        continue;
      }
      if (entries.size() > cap) {
        out.put(key, new Block(List.of(), true));
        continue;
      }
      List<Entry> live = new ArrayList<>();
      for (Stamped s : entries.values()) {
        if (s.expiresAt() > now.getEpochSecond()) {
          live.add(s.entry());
        }
      }
      out.put(key, new Block(live, false));
    }
    return out;
  }

  @Override
  public synchronized void add(Collection<Entry> entries, long expiresAt) {
    for (Entry e : entries) {
      String id =
          e.person().value() + "#" + java.util.Arrays.hashCode(e.sealed()) + "#" + e.family();
      byKey.computeIfAbsent(e.key(), k -> new LinkedHashMap<>()).put(id, new Stamped(e, expiresAt));
    }
  }
}
