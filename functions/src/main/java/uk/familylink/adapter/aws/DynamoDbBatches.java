package uk.familylink.adapter.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one step's independent DynamoDB calls (the pages of a BatchGetItem or BatchWriteItem, the
 * groups of a claim) at once on a bounded pool, so a chunk waits for about one round trip per step
 * instead of one per call. Ordering between steps stays the caller's: {@link #all} returns only
 * when every call of the step has finished. Retries are each call's own ({@link DynamoDbRetry}).
 *
 * <p>Built once per adapter (cold start); threads are daemons and idle ones do not keep the JVM
 * alive. With concurrency 1 every call runs on the caller's thread, one after another.
 */
final class DynamoDbBatches {

  private final int concurrency;
  private final ExecutorService pool;

  DynamoDbBatches(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1");
    }
    this.concurrency = concurrency;
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
}
