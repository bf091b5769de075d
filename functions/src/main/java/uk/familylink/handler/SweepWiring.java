package uk.familylink.handler;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbExpiredItems;
import uk.familylink.adapter.aws.DynamoDbRestamp;
import uk.familylink.adapter.aws.DynamoDbUnbackedLinks;
import uk.familylink.adapter.aws.ExpiryIndexAccess;
import uk.familylink.adapter.aws.S3AgedObjects;
import uk.familylink.adapter.metrics.EmfMetrics;
import uk.familylink.domain.metrics.Metrics;
import uk.familylink.domain.retention.DailyRetention;
import uk.familylink.domain.retention.ExpiredItemStore;
import uk.familylink.domain.retention.RestampStore;
import uk.familylink.domain.retention.RetentionRestamp;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.UnbackedLinkRemoval;

/**
 * The retention sweep function's wiring, shared by Lambda and the local tool: the daily run
 * (re-stamp, then sweep) over the given clients. The parts are public so the local tool and tests
 * can wrap a store (count its calls, interrupt it) and still get everything else wired the same.
 */
public final class SweepWiring {

  /** The Lambda's daily run, built from its environment at cold start. */
  static final ColdStart<DailyRetention> LAMBDA =
      ColdStart.fromEnvironment(
          SweepConfig::fromEnvironment,
          c -> dailyRetention(c, LambdaClients.s3(), LambdaClients.dynamoDb(), Clock.systemUTC()));

  /** The {@code function} dimension of the sweep's metrics. */
  public static final String FUNCTION = "retention-sweep";

  private SweepWiring() {}

  /** The sweep's metrics: CloudWatch EMF lines under {@value #FUNCTION}. */
  public static Metrics metrics(Clock clock) {
    return new EmfMetrics(FUNCTION, clock);
  }

  /** Re-stamp first, sweep only when settled; {@code clock} is "now" for both. */
  public static DailyRetention dailyRetention(
      SweepConfig config, S3Client s3, DynamoDbClient dynamoDb, Clock clock) {
    return new DailyRetention(
        restamp(config, dynamoDb, restampStore(config, dynamoDb), clock),
        sweep(config, s3, dynamoDb, expiredItems(config, dynamoDb), clock));
  }

  /** The two tables' expiry index with the adapters' one retry policy. */
  private static ExpiryIndexAccess expiryIndex(SweepConfig config, DynamoDbClient dynamoDb) {
    return ExpiryIndexAccess.of(dynamoDb, config.table(), config.auditTable());
  }

  /** The sweep's index adapter. */
  public static DynamoDbExpiredItems expiredItems(SweepConfig config, DynamoDbClient dynamoDb) {
    return new DynamoDbExpiredItems(expiryIndex(config, dynamoDb));
  }

  /** The sweep alone, with a given index adapter. */
  public static RetentionSweep sweep(
      SweepConfig config,
      S3Client s3,
      DynamoDbClient dynamoDb,
      ExpiredItemStore items,
      Clock clock) {
    return new RetentionSweep(
        items,
        new S3AgedObjects(s3),
        new DynamoDbAuditLog(dynamoDb, config.auditTable()),
        config.settings(),
        clock,
        new UnbackedLinkRemoval(new DynamoDbUnbackedLinks(expiryIndex(config, dynamoDb))));
  }

  /** The re-stamp's adapter. */
  public static DynamoDbRestamp restampStore(SweepConfig config, DynamoDbClient dynamoDb) {
    return new DynamoDbRestamp(expiryIndex(config, dynamoDb));
  }

  /** The re-stamp alone, with a given store. */
  public static RetentionRestamp restamp(
      SweepConfig config, DynamoDbClient dynamoDb, RestampStore store, Clock clock) {
    return new RetentionRestamp(
        store, new DynamoDbAuditLog(dynamoDb, config.auditTable()), config.settings(), clock);
  }
}
