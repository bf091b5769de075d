package uk.familylink.handler;

import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbLinkedData;
import uk.familylink.adapter.aws.DynamoDbPopulationReader;
import uk.familylink.domain.review.LinkReviews;

/**
 * The link review function's wiring, shared by Lambda and the local tool: DynamoDB only (the linked
 * table's review queue and merges, the audit). No S3 client, no key, no contracts.
 */
public final class ReviewWiring {

  /** The Lambda's service, built from its environment at cold start. */
  static final ColdStart<LinkReviews> LAMBDA =
      ColdStart.fromEnvironment(
          ReviewConfig::fromEnvironment,
          c -> linkReviews(c, LambdaClients.dynamoDb(), Clock.systemUTC()));

  private ReviewWiring() {}

  public static LinkReviews linkReviews(ReviewConfig config, DynamoDbClient dynamoDb, Clock clock) {
    DynamoDbLinkedData linked = new DynamoDbLinkedData(dynamoDb, config.table(), clock);
    return new LinkReviews(
        linked,
        linked.reviewQueue().orElseThrow(),
        new DynamoDbPopulationReader(dynamoDb, config.table()),
        new DynamoDbAuditLog(dynamoDb, config.auditTable()),
        clock,
        config.retention()::expiresAtEpochSecond);
  }
}
