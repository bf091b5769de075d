package uk.familylink.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import uk.familylink.domain.ingest.FileLedger;

/** The file ledger's contract in memory (the same rules as DynamoDbFileLedger). */
public final class InMemoryFileLedger implements FileLedger {

  private static final class State {
    String status;
    String attempt;
    long leaseUntilMs;
    int failures;
    Checkpoint checkpoint = Checkpoint.NONE;
    String outcome;
  }

  private final Map<String, State> files = new HashMap<>();

  @Override
  public synchronized Claim begin(String fileId, Instant now, Duration lease, long expiresAt) {
    State s = files.computeIfAbsent(fileId, id -> new State());
    if ("DONE".equals(s.status)) {
      return new Done(s.outcome);
    }
    if ("FAILED".equals(s.status)) {
      return new Failed(s.failures);
    }
    if ("IN_PROGRESS".equals(s.status) && s.leaseUntilMs >= now.toEpochMilli()) {
      return new Held(Instant.ofEpochMilli(s.leaseUntilMs));
    }
    if ("IN_PROGRESS".equals(s.status)) {
      s.failures++; // the previous attempt's lease ran out: it crashed
    }
    s.status = "IN_PROGRESS";
    s.attempt = UUID.randomUUID().toString();
    s.leaseUntilMs = now.plus(lease).toEpochMilli();
    return new Owned(s.attempt, s.failures, s.checkpoint);
  }

  private State owned(String fileId, String attemptId) {
    State s = files.get(fileId);
    return s != null && "IN_PROGRESS".equals(s.status) && attemptId.equals(s.attempt) ? s : null;
  }

  @Override
  public synchronized boolean renew(
      String fileId,
      String attemptId,
      Instant now,
      Duration lease,
      Checkpoint checkpoint,
      long expiresAt) {
    State s = owned(fileId, attemptId);
    if (s == null) {
      return false;
    }
    s.leaseUntilMs = now.plus(lease).toEpochMilli();
    s.checkpoint = checkpoint;
    return true;
  }

  @Override
  public synchronized int release(
      String fileId,
      String attemptId,
      Instant now,
      boolean failed,
      Checkpoint checkpoint,
      long expiresAt) {
    State s = owned(fileId, attemptId);
    if (s == null) {
      return 0;
    }
    s.checkpoint = checkpoint;
    s.status = "RELEASED";
    s.leaseUntilMs = now.toEpochMilli();
    if (failed) {
      s.failures++;
    }
    return s.failures;
  }

  @Override
  public synchronized void complete(
      String fileId, String attemptId, String outcome, Instant now, long expiresAt) {
    State s = files.computeIfAbsent(fileId, id -> new State());
    s.status = "DONE";
    s.outcome = outcome;
  }

  @Override
  public synchronized void giveUp(String fileId, String attemptId, Instant now, long expiresAt) {
    State s = files.computeIfAbsent(fileId, id -> new State());
    s.status = "FAILED";
    s.outcome = "FAILED";
  }

  /** Status of a file ("IN_PROGRESS", "RELEASED", "DONE", "FAILED"), null if never seen. */
  public synchronized String status(String fileId) {
    State s = files.get(fileId);
    return s == null ? null : s.status;
  }
}
