package uk.familylink.local;

import java.time.Clock;
import uk.familylink.adapter.aws.DynamoDbRestamp;
import uk.familylink.domain.retention.RestampStore;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.RetentionRestamp;
import uk.familylink.handler.SweepWiring;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * The re-stamp on the embedded services: the same domain service and adapter as the sweep Lambda.
 */
public final class LocalRestamp {

  private LocalRestamp() {}

  /** The re-stamp adapter for the local tables. */
  public static DynamoDbRestamp store(EmbeddedAws aws) {
    return SweepWiring.restampStore(
        LocalSweep.config(LocalSweep.localRetention(), aws), aws.dynamoDb());
  }

  /**
   * A re-stamp to {@code configured} (the deployment's policy after the change); {@code clock} is
   * "now".
   */
  public static RetentionRestamp restamp(EmbeddedAws aws, RetentionPolicy configured, Clock clock) {
    return restamp(aws, store(aws), configured, clock);
  }

  /** With a given store (tests wrap it). */
  public static RetentionRestamp restamp(
      EmbeddedAws aws, RestampStore store, RetentionPolicy configured, Clock clock) {
    return SweepWiring.restamp(LocalSweep.config(configured, aws), aws.dynamoDb(), store, clock);
  }
}
