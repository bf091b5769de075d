package uk.familylink.adapter.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The one retry policy of every DynamoDB adapter (ingest, sweep, re-stamp, unbacked links): a call
 * DynamoDB throttles is retried with exponential backoff on top of the SDK's own retries, and a
 * batch's unprocessed keys or items are resent with the same backoff. Attempts count sends: after
 * {@code maxAttempts} the call fails. Failures become an {@link AwsAdapterException} without
 * request content; a failed condition ({@link ConditionalCheckFailedException}, {@link
 * TransactionCanceledException}) is passed on as it is, for the caller to read as a lost race.
 */
final class DynamoDbRetry {

  /** Error codes DynamoDB and DynamoDB Local use for throttling besides the SDK's own check. */
  private static final Set<String> THROTTLING =
      Set.of(
          "ProvisionedThroughputExceededException",
          "ThrottlingException",
          "RequestLimitExceeded",
          "ThrottlingError");

  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final int maxAttempts;
  private final Duration baseBackoff;

  /**
   * @param maxAttempts sends per call (throttling) and per batch (unprocessed entries), at least 1
   * @param baseBackoff first backoff; doubles per attempt, capped at 5 s
   */
  DynamoDbRetry(int maxAttempts, Duration baseBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    this.maxAttempts = maxAttempts;
    this.baseBackoff = Objects.requireNonNull(baseBackoff, "baseBackoff");
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /** One call, resent while DynamoDB throttles it. */
  <T> T call(String operation, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (ConditionalCheckFailedException | TransactionCanceledException e) {
        throw e;
      } catch (AwsServiceException e) {
        if (!isThrottling(e) || attempt >= maxAttempts) {
          throw AwsAdapterException.of(operation, e);
        }
      } catch (SdkException e) {
        throw AwsAdapterException.of(operation, e);
      }
      backOff(operation, attempt);
    }
  }

  /** Null-safe: an error without details or without a code (some emulators) is not throttling. */
  static boolean isThrottling(AwsServiceException e) {
    if (e.isThrottlingException()) {
      return true;
    }
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code != null && THROTTLING.contains(code);
  }

  /**
   * One BatchGetItem of at most 100 keys of {@code table}, resending unprocessed keys; the items
   * found.
   */
  List<Map<String, AttributeValue>> batchGet(
      DynamoDbClient ddb, String operation, String table, KeysAndAttributes keys) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    Map<String, KeysAndAttributes> pending = Map.of(table, keys);
    for (int attempt = 1; ; attempt++) {
      Map<String, KeysAndAttributes> request = pending;
      BatchGetItemResponse response =
          call(operation, () -> ddb.batchGetItem(b -> b.requestItems(request)));
      found.addAll(response.responses().getOrDefault(table, List.of()));
      KeysAndAttributes left = response.unprocessedKeys().get(table);
      if (left == null || !left.hasKeys() || left.keys().isEmpty()) {
        return found;
      }
      giveUpOrBackOff(operation, attempt, left.keys().size());
      pending = Map.of(table, left);
    }
  }

  /** One BatchWriteItem of at most 25 requests on {@code table}, resending unprocessed items. */
  void batchWrite(DynamoDbClient ddb, String operation, String table, List<WriteRequest> writes) {
    List<WriteRequest> pending = writes;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      Map<String, List<WriteRequest>> request = Map.of(table, List.copyOf(pending));
      BatchWriteItemResponse response =
          call(operation, () -> ddb.batchWriteItem(b -> b.requestItems(request)));
      pending = response.unprocessedItems().getOrDefault(table, List.of());
      if (!pending.isEmpty()) {
        giveUpOrBackOff(operation, attempt, pending.size());
      }
    }
  }

  private void giveUpOrBackOff(String operation, int attempt, int left) {
    if (attempt >= maxAttempts) {
      throw new AwsAdapterException(
          operation + " left " + left + " items unprocessed after " + attempt + " attempts",
          "UnprocessedItems",
          0);
    }
    backOff(operation, attempt);
  }

  /** Waits before attempt {@code attempt + 1}: base × 2^(attempt-1), capped at 5 s. */
  void backOff(String operation, int attempt) {
    long millis = Math.min(MAX_BACKOFF_MILLIS, baseBackoff.toMillis() << Math.min(attempt - 1, 16));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsAdapterException(operation + " interrupted while backing off", "Interrupted", 0);
    }
  }
}
