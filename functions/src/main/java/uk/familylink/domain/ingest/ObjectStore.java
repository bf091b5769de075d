package uk.familylink.domain.ingest;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Port to the object store holding uploads and reports. */
public interface ObjectStore {

  record ObjectInfo(String key, long size, String eTag) {}

  /** Metadata of an object, empty if it does not exist. */
  Optional<ObjectInfo> head(String bucket, String key);

  /**
   * Streams an object. When {@code eTag} is not null the read fails with {@link
   * ObjectChangedException} if the object no longer has that ETag.
   */
  InputStream open(String bucket, String key, String eTag);

  void put(String bucket, String key, byte[] content, String contentType);

  /** Deletes an object; deleting a missing object is not an error. */
  void delete(String bucket, String key);

  /** Objects under a prefix, in key order. */
  List<ObjectInfo> list(String bucket, String prefix);

  /** The object changed or vanished between the event and the read. */
  class ObjectChangedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ObjectChangedException(String key) {
      super("object changed or missing since the event: " + key);
    }
  }
}
