package uk.familylink.adapter.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one step's independent DynamoDB calls (the pages of a BatchGetItem or BatchWriteItem, the
 * groups of a claim) at once on a bounded pool, so a chunk waits for about one round trip per step
 * instead of one per call. Ordering between steps stays the caller's: {@link #all} returns only
 * when every call of the step has finished. Calls that DynamoDB throttles after the SDK's own
 * retries are retried here with exponential backoff ({@link #throttled}).
 *
 * <p>Built once per adapter (cold start); threads are daemons and idle ones do not keep the JVM
 * alive. With concurrency 1 every call runs on the caller's thread, one after another.
 */
final class DynamoDbBatches {

  private final int concurrency;
  private final ExecutorService pool;
  private final int maxAttempts;
  private final Duration baseBackoff;

  DynamoDbBatches(int concurrency, int maxAttempts, Duration baseBackoff) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1");
    }
    this.concurrency = concurrency;
    this.maxAttempts = maxAttempts;
    this.baseBackoff = baseBackoff;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        concurrency == 1
            ? null
            : Executors.newFixedThreadPool(
                concurrency,
                r -> {
                  Thread t = new Thread(r, "familylink-dynamodb-" + n.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
  }

  int concurrency() {
    return concurrency;
  }

  /**
   * Runs every task and returns their results in order. When any fails, the others still finish (so
   * no call of this step is left running) and the first failure is thrown.
   */
  <T> List<T> all(List<Supplier<T>> tasks) {
    List<T> results = new ArrayList<>(tasks.size());
    if (pool == null || tasks.size() < 2) {
      for (Supplier<T> task : tasks) {
        results.add(task.get());
      }
      return results;
    }
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    for (Supplier<T> task : tasks) {
      futures.add(pool.submit(task::get));
    }
    RuntimeException first = null;
    boolean interrupted = false;
    for (Future<T> f : futures) {
      try {
        results.add(f.get());
      } catch (InterruptedException e) {
        interrupted = true;
        results.add(null);
      } catch (ExecutionException e) {
        results.add(null);
        if (first == null) {
          first =
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new AwsAdapterException(
                      "DynamoDB call failed: " + e.getCause().getClass().getSimpleName(),
                      "Failed",
                      0);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new AwsAdapterException("interrupted while waiting for DynamoDB", "Interrupted", 0);
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  /**
   * One call, retried with backoff while DynamoDB throttles it (after the SDK's own retries); any
   * other failure is wrapped without request content.
   */
  <T> T throttled(String operation, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (AwsServiceException e) {
        if (!e.isThrottlingException() || attempt >= maxAttempts) {
          throw AwsAdapterException.of(operation, e);
        }
      } catch (SdkException e) {
        throw AwsAdapterException.of(operation, e);
      }
      sleep(attempt, operation);
    }
  }

  /** Backoff before attempt {@code attempt + 1}: base × 2^(attempt-1), capped at 5 s. */
  void sleep(int attempt, String operation) {
    long millis = Math.min(5_000, baseBackoff.toMillis() << Math.min(attempt - 1, 16));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsAdapterException(operation + " interrupted while backing off", "Interrupted", 0);
    }
  }
}
