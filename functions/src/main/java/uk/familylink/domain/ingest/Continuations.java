package uk.familylink.domain.ingest;

import uk.familylink.domain.ingest.IngestService.UploadedObject;

/**
 * Port to whatever runs the rest of a file in a fresh invocation (a queue message naming the pinned
 * object version; the file ledger holds where it stopped).
 */
public interface Continuations {

  /** No continuation: an ingest never pauses and runs until it is done (tests, the local tool). */
  Continuations NONE =
      new Continuations() {
        @Override
        public void request(UploadedObject upload) {
          throw new IllegalStateException("no continuation is configured");
        }

        @Override
        public boolean enabled() {
          return false;
        }
      };

  /** Asks for {@code upload} to be ingested again soon; it resumes from its ledger checkpoint. */
  void request(UploadedObject upload);

  default boolean enabled() {
    return true;
  }
}
