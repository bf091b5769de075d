package uk.familylink.local.it.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Plays DynamoDB answering a BatchWriteItem in part: every {@code every}-th call (when armed) only
 * sends the first half of its items and returns the rest as UnprocessedItems, as DynamoDB does
 * under throttling.
 */
final class UnprocessedItemsInterceptor implements ExecutionInterceptor {

  private static final ExecutionAttribute<Map<String, List<WriteRequest>>> HELD_BACK =
      new ExecutionAttribute<>("familylink.heldBack");

  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger heldBack = new AtomicInteger();
  volatile int every;

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    if (every <= 0
        || !(context.request() instanceof BatchWriteItemRequest request)
        || calls.incrementAndGet() % every != 0) {
      return context.request();
    }
    Map.Entry<String, List<WriteRequest>> only =
        request.requestItems().entrySet().iterator().next();
    List<WriteRequest> items = only.getValue();
    if (request.requestItems().size() != 1 || items.size() < 2) {
      return context.request();
    }
    int half = items.size() / 2;
    attributes.putAttribute(
        HELD_BACK, Map.of(only.getKey(), new ArrayList<>(items.subList(half, items.size()))));
    heldBack.addAndGet(items.size() - half);
    return request.toBuilder()
        .requestItems(Map.of(only.getKey(), new ArrayList<>(items.subList(0, half))))
        .build();
  }

  @Override
  public SdkResponse modifyResponse(
      Context.ModifyResponse context, ExecutionAttributes attributes) {
    Map<String, List<WriteRequest>> held = attributes.getAttribute(HELD_BACK);
    if (held != null && context.response() instanceof BatchWriteItemResponse response) {
      return response.toBuilder().unprocessedItems(held).build();
    }
    return context.response();
  }

  int itemsHeldBack() {
    return heldBack.get();
  }
}
