package uk.familylink.domain.ingest;

/** Time left to the current invocation (Lambda's remaining time), so long work can stop early. */
@FunctionalInterface
public interface Budget {

  /** No deadline (tests, the local tool). */
  Budget UNLIMITED = () -> Long.MAX_VALUE;

  long remainingMillis();
}
