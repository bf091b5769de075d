package uk.familylink.domain.retention;

import java.time.Instant;
import java.util.List;

/**
 * Port to the object store for the sweep: like the ingest's ObjectStore listing, plus each object's
 * last-modified time (needed to find stray uploads older than a day).
 */
public interface AgedObjectStore {

  record StoredObject(String key, Instant lastModified) {}

  /** Objects under a prefix, in key order. */
  List<StoredObject> list(String bucket, String prefix);

  /** Deletes an object; deleting a missing object is not an error. */
  void delete(String bucket, String key);
}
