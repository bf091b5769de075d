package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import uk.familylink.domain.linkage.CandidateIndex.Entry;
import uk.familylink.domain.linkage.PersonId;

/** How filing reads a cancelled transaction (ADR 0143), against a scripted client. */
class DynamoDbCandidateIndexCancellationTest {

  private final List<TransactWriteItemsRequest> sent = new ArrayList<>();

  private DynamoDbCandidateIndex index(Function<Integer, String[]> reasonsOfCall) {
    DynamoDbClient client =
        (DynamoDbClient)
            Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                  if (!method.getName().equals("transactWriteItems")) {
                    throw new UnsupportedOperationException(method.getName());
                  }
                  @SuppressWarnings("unchecked")
                  Consumer<TransactWriteItemsRequest.Builder> c =
                      (Consumer<TransactWriteItemsRequest.Builder>) args[0];
                  TransactWriteItemsRequest.Builder b = TransactWriteItemsRequest.builder();
                  c.accept(b);
                  sent.add(b.build());
                  String[] reasons = reasonsOfCall.apply(sent.size());
                  if (reasons == null) {
                    return TransactWriteItemsResponse.builder().build();
                  }
                  throw TransactionCanceledException.builder()
                      .message("cancelled")
                      .cancellationReasons(
                          Arrays.stream(reasons)
                              .map(r -> CancellationReason.builder().code(r).build())
                              .toList())
                      .build();
                });
    return new DynamoDbCandidateIndex(
        client, "t", new DynamoDbBatches(1), new DynamoDbRetry(4, Duration.ofMillis(1)));
  }

  private static Entry entry(String key) {
    return new Entry(key, new PersonId("P-" + key), new byte[] {1, 2}, new long[] {3}, 4);
  }

  private static String pkOf(TransactWriteItemsRequest r, int i) {
    return r.transactItems().get(i).update().key().get("pk").s();
  }

  @Test
  void aFailedConditionCapsThatKeyAndAConflictIsResentWithTheRest() {
    DynamoDbCandidateIndex index =
        index(
            call ->
                call == 1
                    ? new String[] {"None", "TransactionConflict", "ConditionalCheckFailed"}
                    : null);

    index.add(List.of(entry("a"), entry("b"), entry("c")), 8, 2_000_000_000L);

    assertThat(sent).hasSize(3);
    assertThat(sent.get(1).transactItems()).hasSize(2);
    assertThat(List.of(pkOf(sent.get(1), 0), pkOf(sent.get(1), 1)))
        .containsExactly("BLOCK#a", "BLOCK#b");
    // then the key whose condition failed is marked capped, without a condition
    assertThat(sent.get(2).transactItems()).hasSize(1);
    assertThat(pkOf(sent.get(2), 0)).isEqualTo("BLOCK#c");
    assertThat(sent.get(2).transactItems().get(0).update().updateExpression())
        .startsWith("SET #capped = :t");
    assertThat(sent.get(2).transactItems().get(0).update().conditionExpression()).isNull();
  }

  @Test
  void aCancellationBlamingNoUpdateIsResentUntilTheAttemptsRunOut() {
    DynamoDbCandidateIndex index = index(call -> new String[] {"None", "None"});

    assertThatThrownBy(() -> index.add(List.of(entry("a"), entry("b")), 8, 2_000_000_000L))
        .isInstanceOf(AwsAdapterException.class);
    assertThat(sent).hasSize(4);
  }

  @Test
  void aCancellationThatNoResendCanHelpFailsAtOnceWithoutValues() {
    DynamoDbCandidateIndex index = index(call -> new String[] {"ValidationError"});

    assertThatThrownBy(() -> index.add(List.of(entry("secret-key")), 8, 2_000_000_000L))
        .isInstanceOf(AwsAdapterException.class)
        .hasMessageNotContaining("secret-key");
    assertThat(sent).hasSize(1);
  }
}
