package uk.familylink.domain.ingest;

import java.time.Duration;
import java.time.Instant;

/**
 * Remembers which uploads were processed so at-least-once delivery duplicates nothing. A file is
 * identified by bucket, key and ETag (fileId).
 */
public interface FileLedger {

  enum Claim {
    PROCESS,
    ALREADY_DONE,
    IN_PROGRESS_ELSEWHERE
  }

  /** Takes a processing lease on the file unless it is done or leased by another live run. */
  Claim begin(String fileId, Instant now, Duration lease, long expiresAt);

  /** Records the file as done (later deliveries are duplicates). */
  void complete(String fileId, String outcome, Instant now, long expiresAt);
}
