package uk.familylink.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import uk.familylink.domain.ingest.ObjectStore;
import uk.familylink.domain.release.ReleaseFiles;
import uk.familylink.domain.release.ReleaseRequest;
import uk.familylink.domain.release.ResearchExtract;
import uk.familylink.domain.release.ResearchReleaseService;

/**
 * Writes a research release to the exports bucket under {@code exports/<release-id>/} (SSE-KMS by
 * the object store), refusing a release id that already exists, since a second extract under the
 * same id would share its pseudonyms.
 */
public final class ReleasePublisher {

  /** What was written. */
  public record Written(
      String releaseId,
      List<String> keys,
      int rows,
      long generalised,
      long withheld,
      String expiresOn) {}

  private final ResearchReleaseService service;
  private final ObjectStore store;
  private final String bucket;

  public ReleasePublisher(ResearchReleaseService service, ObjectStore store, String bucket) {
    this.service = Objects.requireNonNull(service, "service");
    this.store = Objects.requireNonNull(store, "store");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  public Written publish(ReleaseRequest request) {
    String manifest = "exports/" + request.releaseId() + "/" + ReleaseFiles.MANIFEST;
    if (store.head(bucket, manifest).isPresent()) {
      throw new IllegalArgumentException(
          "release " + request.releaseId() + " exists already: choose a new release id");
    }
    ResearchExtract extract = service.release(request);
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : ReleaseFiles.of(extract).entrySet()) {
      String type = file.getKey().endsWith(".json") ? "application/json" : "text/csv";
      store.put(bucket, file.getKey(), file.getValue(), type);
      keys.add(file.getKey());
    }
    return new Written(
        request.releaseId(),
        keys,
        extract.rows().size(),
        extract.generalised(),
        extract.withheld(),
        extract.expiresOn().toString());
  }
}
