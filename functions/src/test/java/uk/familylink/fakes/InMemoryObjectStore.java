package uk.familylink.fakes;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import uk.familylink.domain.ingest.ObjectStore;

/** In-memory object store; ETag is the content's hash code, enough to detect changes in tests. */
public final class InMemoryObjectStore implements ObjectStore {

  private final Map<String, byte[]> objects = new TreeMap<>();

  private static String key(String bucket, String key) {
    return bucket + "/" + key;
  }

  public synchronized String putText(String bucket, String key, String content) {
    put(bucket, key, content.getBytes(StandardCharsets.UTF_8), "text/csv");
    return eTag(objects.get(key(bucket, key)));
  }

  public synchronized String text(String bucket, String key) {
    byte[] b = objects.get(key(bucket, key));
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  public synchronized List<String> keys(String bucket) {
    List<String> out = new ArrayList<>();
    objects.keySet().stream()
        .filter(k -> k.startsWith(bucket + "/"))
        .forEach(k -> out.add(k.substring(bucket.length() + 1)));
    return out;
  }

  private static String eTag(byte[] content) {
    return Integer.toHexString(java.util.Arrays.hashCode(content));
  }

  @Override
  public synchronized Optional<ObjectInfo> head(String bucket, String key) {
    byte[] b = objects.get(key(bucket, key));
    return b == null ? Optional.empty() : Optional.of(new ObjectInfo(key, b.length, eTag(b)));
  }

  @Override
  public synchronized InputStream open(String bucket, String key, String eTag, String versionId) {
    byte[] b = objects.get(key(bucket, key));
    if (b == null || (eTag != null && !eTag.equals(eTag(b)))) {
      throw new ObjectChangedException(key);
    }
    return new ByteArrayInputStream(b);
  }

  @Override
  public synchronized void put(String bucket, String key, byte[] content, String contentType) {
    objects.put(key(bucket, key), content.clone());
  }

  @Override
  public synchronized void delete(String bucket, String key) {
    objects.remove(key(bucket, key));
  }

  /** Keeps no versions: deletes the current object only while it still has {@code eTag}. */
  @Override
  public synchronized boolean deleteVersion(
      String bucket, String key, String eTag, String versionId) {
    byte[] b = objects.get(key(bucket, key));
    if (b != null && eTag != null && !eTag.equals(eTag(b))) {
      return false;
    }
    objects.remove(key(bucket, key));
    return true;
  }

  @Override
  public synchronized List<ObjectInfo> list(String bucket, String prefix) {
    List<ObjectInfo> out = new ArrayList<>();
    for (String k : keys(bucket)) {
      if (k.startsWith(prefix)) {
        head(bucket, k).ifPresent(out::add);
      }
    }
    return out;
  }
}
