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
  default InputStream open(String bucket, String key, String eTag) {
    return open(bucket, key, eTag, null);
  }

  /**
   * Streams one exact version of an object: version {@code versionId} when given (a versioned
   * bucket), otherwise the current object as long as it still has {@code eTag} (when not null).
   * Fails with {@link ObjectChangedException} when that version is gone.
   */
  InputStream open(String bucket, String key, String eTag, String versionId);

  /**
   * Deletes exactly one version: {@code versionId} when given; otherwise the current object only
   * while it still has {@code eTag}. False when the object was left alone because another upload
   * replaced it (the newer upload has an event of its own). A missing object is not an error.
   */
  boolean deleteVersion(String bucket, String key, String eTag, String versionId);

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
