package uk.familylink.domain.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Remembers which uploads were processed, and who is processing one now, so at-least-once delivery
 * has an exactly-once effect. A file is one object version (see {@link IngestService#fileId}).
 *
 * <p>Ownership is an attempt: {@link #begin} hands a short lease to a new attempt id; the attempt
 * renews it while work progresses ({@link #renew}, which also records a checkpoint) and gives it
 * back when it stops ({@link #release}). A crashed attempt's lease simply runs out, and the next
 * {@link #begin} takes over (counting the crash as a failure). Every renewal, release and
 * completion is conditional on the attempt id, so an attempt that lost its lease cannot overwrite
 * its successor's state.
 */
public interface FileLedger {

  /** What {@link #begin} found. */
  sealed interface Claim permits Owned, Done, Failed, Held {}

  /**
   * This attempt owns the file.
   *
   * @param failures earlier attempts that failed or crashed
   * @param resumeFrom what earlier attempts of this file finished ({@link Checkpoint#NONE} if none)
   */
  record Owned(String attemptId, int failures, Checkpoint resumeFrom) implements Claim {}

  /** The file was finished before (a redelivery). */
  record Done(String outcome) implements Claim {}

  /** The file was given up for good (FAILED report written). */
  record Failed(int failures) implements Claim {}

  /** Another live attempt holds the lease until {@code leaseUntil}. */
  record Held(Instant leaseUntil) implements Claim {}

  /**
   * Progress that survives the attempt: every valid row up to {@code lastRow} (a row number of the
   * file) is linked, and {@code counts} are the linkage counts of that work (for the audit).
   */
  record Checkpoint(long lastRow, Map<String, Long> counts) {
    public static final Checkpoint NONE = new Checkpoint(0, Map.of());

    public Checkpoint {
      counts = Map.copyOf(counts);
    }
  }

  /**
   * Starts an attempt unless the file is done, failed or leased by another live attempt. A lease
   * that ran out (its attempt crashed) is taken over and counted as a failure.
   */
  Claim begin(String fileId, Instant now, Duration lease, long expiresAt);

  /**
   * Extends this attempt's lease to {@code now + lease} and records {@code checkpoint}. False when
   * the attempt no longer owns the file (its lease ran out and another attempt took over).
   */
  boolean renew(
      String fileId,
      String attemptId,
      Instant now,
      Duration lease,
      Checkpoint checkpoint,
      long expiresAt);

  /**
   * Ends this attempt's lease now, recording {@code checkpoint}, so a retry or continuation can
   * take over at once from there. With {@code failed}, counts a failure; returns the failures
   * counted so far (0 when the attempt no longer owns the file).
   */
  int release(
      String fileId,
      String attemptId,
      Instant now,
      boolean failed,
      Checkpoint checkpoint,
      long expiresAt);

  /** Records the file as done (later deliveries are duplicates). */
  void complete(String fileId, String attemptId, String outcome, Instant now, long expiresAt);

  /** Records the file as given up (later deliveries fail loudly without processing). */
  void giveUp(String fileId, String attemptId, Instant now, long expiresAt);
}
