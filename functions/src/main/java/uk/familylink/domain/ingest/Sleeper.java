package uk.familylink.domain.ingest;

import java.time.Duration;

/** Waiting, injected so tests of lease waits do not depend on wall-clock sleeps they cannot see. */
@FunctionalInterface
public interface Sleeper {

  Sleeper REAL =
      d -> {
        try {
          Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for a file lease", e);
        }
      };

  void sleep(Duration duration);
}
