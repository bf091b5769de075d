package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;

/** How {@link DynamoDbLinkedData#claim} splits claims over TransactWriteItems' 100-action limit. */
class DynamoDbLinkedDataClaimGroupingTest {

  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  /** Records each transaction; cancels the one whose index is {@code failAt}. */
  private static final class RecordingClient implements DynamoDbClient {
    final List<List<TransactWriteItem>> transactions = new ArrayList<>();
    int failAt = -1;

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
      int index;
      synchronized (transactions) { // groups are written concurrently
        transactions.add(request.transactItems());
        index = transactions.size() - 1;
      }
      if (index == failAt) {
        throw TransactionCanceledException.builder()
            .cancellationReasons(
                CancellationReason.builder().code("None").build(),
                CancellationReason.builder().code("ConditionalCheckFailed").build())
            .build();
      }
      return TransactWriteItemsResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  private static Map<IdentityKey, PersonId> claimsFor(
      PersonId p, int n, Map<IdentityKey, PersonId> into) {
    for (int i = 0; i < n; i++) {
      into.put(new IdentityKey(LinkKeyKind.NAME_DOB, p.value() + "-" + i), p);
    }
    return into;
  }

  private static long personsIn(List<TransactWriteItem> tx) {
    return tx.stream().filter(t -> t.put().item().get("sk").s().equals("PERSON")).count();
  }

  @Test
  void eachNewPersonTravelsWithAllItsClaims() {
    RecordingClient client = new RecordingClient();
    DynamoDbLinkedData store =
        new DynamoDbLinkedData(client, "t", Clock.fixed(NOW, ZoneOffset.UTC));
    List<PersonEntry> persons = new ArrayList<>();
    Map<IdentityKey, PersonId> claims = new LinkedHashMap<>();
    for (String id : List.of("a", "b", "c")) {
      PersonId p = new PersonId(id);
      persons.add(PersonEntry.created(p, NOW));
      claimsFor(p, 60, claims); // 61 actions per person: two never fit one transaction
    }

    assertThat(store.claim(persons, claims, 2_000_000_000L, NOW)).isTrue();

    assertThat(client.transactions).hasSize(3);
    for (List<TransactWriteItem> tx : client.transactions) {
      assertThat(tx).hasSize(61);
      assertThat(personsIn(tx)).isEqualTo(1);
      String person =
          tx.stream()
              .filter(t -> t.put().item().get("sk").s().equals("PERSON"))
              .findFirst()
              .orElseThrow()
              .put()
              .item()
              .get("person")
              .s();
      assertThat(tx)
          .allSatisfy(t -> assertThat(t.put().item().get("person").s()).isEqualTo(person));
    }
  }

  @Test
  void smallUnitsArePackedUpToOneHundredActions() {
    RecordingClient client = new RecordingClient();
    DynamoDbLinkedData store =
        new DynamoDbLinkedData(client, "t", Clock.fixed(NOW, ZoneOffset.UTC));
    List<PersonEntry> persons = new ArrayList<>();
    Map<IdentityKey, PersonId> claims = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) {
      PersonId p = new PersonId("p" + i);
      persons.add(PersonEntry.created(p, NOW));
      claimsFor(p, 4, claims);
    }

    assertThat(store.claim(persons, claims, 2_000_000_000L, NOW)).isTrue();

    assertThat(client.transactions).extracting(List::size).containsExactlyInAnyOrder(100, 50);
  }

  @Test
  void aLostRaceInAnyGroupReportsFalse() {
    RecordingClient client = new RecordingClient();
    client.failAt = 1;
    DynamoDbLinkedData store =
        new DynamoDbLinkedData(client, "t", Clock.fixed(NOW, ZoneOffset.UTC));
    List<PersonEntry> persons = new ArrayList<>();
    Map<IdentityKey, PersonId> claims = new LinkedHashMap<>();
    for (String id : List.of("a", "b", "c")) {
      PersonId p = new PersonId(id);
      persons.add(PersonEntry.created(p, NOW));
      claimsFor(p, 60, claims);
    }

    assertThat(store.claim(persons, claims, 2_000_000_000L, NOW)).isFalse();
    // groups are self-contained and written at once: the others may commit (the port allows it)
    assertThat(client.transactions).hasSize(3);
  }

  @Test
  void aPersonWithMoreClaimsThanOneTransactionHoldsIsRejected() {
    RecordingClient client = new RecordingClient();
    DynamoDbLinkedData store =
        new DynamoDbLinkedData(client, "t", Clock.fixed(NOW, ZoneOffset.UTC));
    PersonId p = new PersonId("big");

    assertThat(
            store.claim(
                List.of(PersonEntry.created(p, NOW)),
                claimsFor(p, 99, new LinkedHashMap<>()),
                2_000_000_000L,
                NOW))
        .isTrue();
    assertThatThrownBy(
            () ->
                store.claim(
                    List.of(PersonEntry.created(p, NOW)),
                    claimsFor(p, 100, new LinkedHashMap<>()),
                    2_000_000_000L,
                    NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
