package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.BY_KIND;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.KIND_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;
import static uk.familylink.adapter.aws.LinkedItems.n;
import static uk.familylink.adapter.aws.LinkedItems.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.ReviewQueue;

/**
 * The possible-link review queue in the linked table: item {@code REVIEW#<id>} / {@code REVIEW}
 * ({@link LinkedItems#reviewItem}). A pending review is in the sparse {@code byKind} index under
 * {@code REVIEW#<shard>}; deciding it removes {@code kindPk}, so listing the queue is a Query of
 * the 16 REVIEW partitions that reads pending reviews only (never a Scan). Queuing is a conditional
 * PutItem (absent or expired), so the first review of a pair, and its decision, stand.
 *
 * <p>Needs dynamodb:PutItem, GetItem, UpdateItem on the table and Query on byKind.
 */
final class DynamoDbReviewQueue implements ReviewQueue {

  private final DynamoDbClient ddb;
  private final String table;
  private final DynamoDbRetry retry;

  DynamoDbReviewQueue(DynamoDbClient ddb, String table, DynamoDbRetry retry) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(table, "table");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  private static Map<String, AttributeValue> key(String reviewId) {
    return Map.of(PK, s(LinkedTable.reviewPk(reviewId)), SK, s(LinkedTable.SK_REVIEW));
  }

  @Override
  public void queue(Collection<LinkReview> reviews, Instant now) {
    for (LinkReview r : reviews) {
      Map<String, AttributeValue> item = LinkedItems.reviewItem(r);
      try {
        retry.call(
            "PutItem(review)",
            () ->
                ddb.putItem(
                    b ->
                        b.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now")
                            .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT))
                            .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))));
      } catch (ConditionalCheckFailedException already) {
        // queued before (pending or decided): the first review of a pair stands
      }
    }
  }

  @Override
  public List<LinkReview> pending(Instant now) {
    List<LinkReview> out = new ArrayList<>();
    for (String partition : DynamoDbTables.kindPartitions(ItemKindName.REVIEW)) {
      Map<String, AttributeValue> start = null;
      do {
        QueryRequest.Builder req =
            QueryRequest.builder()
                .tableName(table)
                .indexName(BY_KIND)
                .keyConditionExpression("#k = :k")
                .expressionAttributeNames(Map.of("#k", KIND_PK))
                .expressionAttributeValues(Map.of(":k", s(partition)));
        if (start != null) {
          req.exclusiveStartKey(start);
        }
        QueryRequest request = req.build();
        QueryResponse resp = retry.call("Query(byKind reviews)", () -> ddb.query(request));
        for (Map<String, AttributeValue> item : resp.items()) {
          LinkReview r = LinkedItems.toReview(item);
          if (r.expiresAt() > now.getEpochSecond() && r.isPending()) {
            out.add(r);
          }
        }
        start = resp.hasLastEvaluatedKey() ? resp.lastEvaluatedKey() : null;
      } while (start != null && !start.isEmpty());
    }
    out.sort(Comparator.comparing(LinkReview::queuedAt).thenComparing(LinkReview::id));
    return out;
  }

  @Override
  public Optional<LinkReview> review(String id, Instant now) {
    Map<String, AttributeValue> item =
        retry
            .call(
                "GetItem(review)",
                () -> ddb.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true)))
            .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    LinkReview r = LinkedItems.toReview(item);
    return r.expiresAt() > now.getEpochSecond() ? Optional.of(r) : Optional.empty();
  }

  @Override
  public boolean decide(
      String id, LinkReview.Status decision, String decidedBy, Instant at, Instant now) {
    try {
      retry.call(
          "UpdateItem(review decision)",
          () ->
              ddb.updateItem(
                  b ->
                      b.tableName(table)
                          .key(key(id))
                          .updateExpression(
                              "SET #st = :d, decidedAt = :at, decidedBy = :by REMOVE #k")
                          .conditionExpression("attribute_exists(#pk) AND #st = :p AND #exp > :now")
                          .expressionAttributeNames(
                              Map.of("#pk", PK, "#st", "status", "#exp", EXPIRES_AT, "#k", KIND_PK))
                          .expressionAttributeValues(
                              Map.of(
                                  ":d",
                                  s(decision.name()),
                                  ":at",
                                  s(at.toString()),
                                  ":by",
                                  s(decidedBy),
                                  ":p",
                                  s(LinkReview.Status.PENDING.name()),
                                  ":now",
                                  n(now.getEpochSecond())))));
      return true;
    } catch (ConditionalCheckFailedException decided) {
      return false;
    }
  }

  @Override
  public void record(LinkReview review) {
    Map<String, AttributeValue> item = LinkedItems.reviewItem(review);
    retry.call("PutItem(review record)", () -> ddb.putItem(b -> b.tableName(table).item(item)));
  }

  /** The byKind kind name of reviews. */
  private static final class ItemKindName {
    static final String REVIEW = uk.familylink.domain.retention.ItemKind.REVIEW.name();
  }
}
