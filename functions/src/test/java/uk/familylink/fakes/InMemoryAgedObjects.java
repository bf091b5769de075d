package uk.familylink.fakes;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import uk.familylink.domain.retention.AgedObjectStore;

/** Objects of one bucket with their last-modified times. */
public final class InMemoryAgedObjects implements AgedObjectStore {

  private final TreeMap<String, Instant> objects = new TreeMap<>();

  public synchronized void put(String key, Instant lastModified) {
    objects.put(key, lastModified);
  }

  public synchronized List<String> keys() {
    return List.copyOf(objects.keySet());
  }

  @Override
  public synchronized List<StoredObject> list(String bucket, String prefix) {
    return objects.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(e -> new StoredObject(e.getKey(), e.getValue()))
        .toList();
  }

  @Override
  public synchronized void delete(String bucket, String key) {
    objects.remove(key);
  }
}
