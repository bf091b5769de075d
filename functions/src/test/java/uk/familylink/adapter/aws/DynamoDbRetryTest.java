package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The one retry policy all DynamoDB adapters share. Throttling after the SDK's own retries and
 * unprocessed batch items cannot be produced against DynamoDB Local, so they are played here by a
 * client that answers as DynamoDB does; the fault-injection suite covers them through the handler.
 */
class DynamoDbRetryTest {

  private final DynamoDbRetry retry = new DynamoDbRetry(3, Duration.ofMillis(1));

  private static AwsServiceException error(String code, String message) {
    return AwsServiceException.builder()
        .message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  @Test
  void aThrottledCallIsResentUntilItSucceedsWithinTheAttempts() {
    AtomicInteger sends = new AtomicInteger();
    String result =
        retry.call(
            "Query",
            () -> {
              if (sends.incrementAndGet() < 3) {
                throw error("ProvisionedThroughputExceededException", "slow down");
              }
              return "ok";
            });
    assertThat(result).isEqualTo("ok");
    assertThat(sends).hasValue(3);
  }

  @Test
  void throttlingBeyondTheAttemptsFailsWithoutRequestContent() {
    AtomicInteger sends = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    "Query",
                    () -> {
                      sends.incrementAndGet();
                      throw error("ThrottlingException", "value SECRET-CANARY");
                    }))
        .isInstanceOf(AwsAdapterException.class)
        .hasMessageContaining("Query")
        .hasMessageNotContaining("SECRET-CANARY");
    assertThat(sends).hasValue(3);
  }

  @Test
  void otherErrorsAreNotResentAndAFailedConditionPassesThroughAsItIs() {
    AtomicInteger sends = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.call(
                    "PutItem",
                    () -> {
                      sends.incrementAndGet();
                      throw error("ValidationException", "bad");
                    }))
        .isInstanceOf(AwsAdapterException.class);
    assertThat(sends).hasValue(1);
    ConditionalCheckFailedException lost =
        ConditionalCheckFailedException.builder().message("lost").build();
    assertThatThrownBy(
            () ->
                retry.call(
                    "PutItem",
                    () -> {
                      throw lost;
                    }))
        .isSameAs(lost);
  }

  /** Answers each BatchWriteItem by leaving the last {@code leave[i]} requests unprocessed. */
  private static final class PartlyProcessing implements DynamoDbClient {
    final List<Integer> sentSizes = new ArrayList<>();
    private final int[] leave;

    PartlyProcessing(int... leave) {
      this.leave = leave;
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
      List<WriteRequest> sent = request.requestItems().get("t");
      int call = sentSizes.size();
      sentSizes.add(sent.size());
      int left = call < leave.length ? Math.min(leave[call], sent.size()) : 0;
      return BatchWriteItemResponse.builder()
          .unprocessedItems(
              left == 0 ? Map.of() : Map.of("t", sent.subList(sent.size() - left, sent.size())))
          .build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  private static List<WriteRequest> puts(int n) {
    List<WriteRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          WriteRequest.builder()
              .putRequest(
                  PutRequest.builder().item(Map.of("pk", AttributeValue.fromS("k" + i))).build())
              .build());
    }
    return out;
  }

  @Test
  void unprocessedItemsAreResentAloneUntilNoneAreLeft() {
    PartlyProcessing ddb = new PartlyProcessing(10, 4);

    retry.batchWrite(ddb, "BatchWriteItem", "t", puts(25));

    assertThat(ddb.sentSizes).containsExactly(25, 10, 4);
  }

  @Test
  void itemsStillUnprocessedAfterTheLastAttemptFailTheCallLoudly() {
    PartlyProcessing ddb = new PartlyProcessing(5, 5, 5, 5);

    assertThatThrownBy(() -> retry.batchWrite(ddb, "BatchWriteItem", "t", puts(25)))
        .isInstanceOf(AwsAdapterException.class)
        .hasMessageContaining("left 5 items unprocessed after 3 attempts");
    assertThat(ddb.sentSizes).containsExactly(25, 5, 5);
  }
}
