package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.BY_PERSON;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_SK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.retention.ExpiredItemStore;
import uk.familylink.domain.retention.ExpiredItemStore.ItemKey;
import uk.familylink.domain.retention.ExpiredItemStore.Table;
import uk.familylink.domain.retention.ItemKind;
import uk.familylink.domain.retention.UnbackedLinkStore;

/**
 * {@link UnbackedLinkStore} on the linked-data table: notes are the {@code RELEASED} partition
 * (Query), a person's items come from GetItem of its person item and Query of the {@code byPerson}
 * index (records, memberships, identity claims, and merge items under their survivor). Never a
 * Scan. Item shapes: see {@link DynamoDbLinkedData}.
 */
public final class DynamoDbUnbackedLinks implements UnbackedLinkStore {

  private static final String SK_PERSON = LinkedTable.SK_PERSON;
  private static final String PERSON_PREFIX = LinkedTable.PERSON_PREFIX;
  // byPerson sort keys begin with the indexed item's own pk prefix
  private static final String REC_PREFIX = LinkedTable.REC_PREFIX;
  private static final String FAMILY_PREFIX = LinkedTable.FAMILY_PREFIX;
  private static final String ID_PREFIX = LinkedTable.ID_PREFIX;
  private static final int MAX_MERGE_CHAIN = 32;
  private static final int NOTE_PAGE = 100;

  private final ExpiryIndexAccess access;
  private final ExpiredItemStore deleter;
  private final DynamoDbClient ddb;
  private final String table;

  /** The tables and retry policy: {@link ExpiryIndexAccess#of}. */
  public DynamoDbUnbackedLinks(ExpiryIndexAccess access) {
    this.access = access;
    this.ddb = access.ddb();
    this.table = access.linkedTable();
    this.deleter = new DynamoDbExpiredItems(access);
  }

  @Override
  public NotePage notes(String cursor) {
    Map<String, AttributeValue> start =
        cursor == null ? null : ExpiryIndexAccess.decodeCursor(cursor);
    QueryResponse response =
        access.withRetry(
            "Query(released notes)",
            () ->
                ddb.query(
                    b ->
                        b.tableName(table)
                            .keyConditionExpression("#pk = :pk")
                            .expressionAttributeNames(Map.of("#pk", PK))
                            .expressionAttributeValues(Map.of(":pk", s(LinkedTable.RELEASED_PK)))
                            .consistentRead(true)
                            .limit(NOTE_PAGE)
                            .exclusiveStartKey(start)));
    List<Note> notes = new ArrayList<>(response.count());
    for (Map<String, AttributeValue> item : response.items()) {
      Set<FamilyKey> families = new LinkedHashSet<>();
      AttributeValue fs = item.get("families");
      if (fs != null && fs.hasSs()) {
        for (String f : fs.ss()) {
          int colon = f.indexOf(':');
          families.add(new FamilyKey(f.substring(0, colon), f.substring(colon + 1)));
        }
      }
      AttributeValue version = item.get("version");
      notes.add(
          new Note(
              new PersonId(item.get(SK).s().substring(PERSON_PREFIX.length())),
              families,
              version == null ? 0 : Long.parseLong(version.n())));
    }
    Map<String, AttributeValue> last = response.lastEvaluatedKey();
    return new NotePage(
        notes, last == null || last.isEmpty() ? null : ExpiryIndexAccess.encodeCursor(last));
  }

  @Override
  public Cluster clusterOf(PersonId person, long nowEpochSecond) {
    PersonId root = null;
    PersonId current = person;
    for (int i = 0; i < MAX_MERGE_CHAIN && current != null; i++) {
      Map<String, AttributeValue> item = get(LinkedTable.personPk(current), SK_PERSON);
      if (item == null) {
        break;
      }
      root = current;
      AttributeValue mergedInto = item.get("mergedInto");
      current = mergedInto == null ? null : new PersonId(mergedInto.s());
    }
    if (root == null) {
      return new Cluster(Set.of(), List.of());
    }
    Set<PersonId> persons = new LinkedHashSet<>();
    List<Held> items = new ArrayList<>();
    Deque<PersonId> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      PersonId p = queue.poll();
      if (!persons.add(p)) {
        continue;
      }
      items.add(
          new Held(new ItemKey(LinkedTable.personPk(p), SK_PERSON, ItemKind.PERSON), null, true));
      queryByPerson(
          p,
          null,
          item -> {
            String gsk = item.get(GSI1_SK).s();
            boolean live = isLive(item, nowEpochSecond);
            ItemKey key =
                ExpiryIndexAccess.itemKey(Table.LINKED, item.get(PK).s(), item.get(SK).s());
            if (gsk.startsWith(LinkedTable.MERGED_PREFIX)) {
              items.add(new Held(key, null, live));
              queue.add(new PersonId(gsk.substring(LinkedTable.MERGED_PREFIX.length())));
            } else if (gsk.startsWith(REC_PREFIX)) {
              items.add(new Held(key, LinkedItems.familyOf(item), live));
            } else if (gsk.startsWith(FAMILY_PREFIX)) {
              items.add(new Held(key, LinkedItems.toMembership(item).family(), live));
            } else if (gsk.startsWith(ID_PREFIX)) {
              items.add(new Held(key, null, live));
            }
          });
    }
    return new Cluster(persons, items);
  }

  @Override
  public Removal remove(List<ItemKey> keys) {
    List<Map<String, AttributeValue>> snapshot =
        access.consistentBatchGet("BatchGetItem(unbacked)", Table.LINKED, keys, false);
    deleter.delete(Table.LINKED, keys);
    return new Snapshot(snapshot);
  }

  @Override
  public int restore(Removal removal) {
    int restored = 0;
    for (Map<String, AttributeValue> item : ((Snapshot) removal).items()) {
      try {
        access.withRetry(
            "PutItem(restore)",
            () ->
                ddb.putItem(
                    b ->
                        b.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#pk)")
                            .expressionAttributeNames(Map.of("#pk", PK))));
        restored++;
      } catch (ConditionalCheckFailedException taken) {
        // The key was claimed again meanwhile (e.g. by a new person): the newer item stands.
      }
    }
    return restored;
  }

  @Override
  public boolean backed(Set<PersonId> persons, FamilyKey family, long nowEpochSecond) {
    boolean[] found = {false};
    for (PersonId p : persons) {
      queryByPerson(
          p,
          REC_PREFIX,
          item -> {
            if (isLive(item, nowEpochSecond)
                && (family == null || family.equals(LinkedItems.familyOf(item)))) {
              found[0] = true;
            }
          });
      if (found[0]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void clear(Note note) {
    try {
      access.withRetry(
          "DeleteItem(released note)",
          () ->
              ddb.deleteItem(
                  b ->
                      b.tableName(table)
                          .key(
                              Map.of(
                                  PK,
                                  s(LinkedTable.RELEASED_PK),
                                  SK,
                                  s(LinkedTable.personPk(note.person()))))
                          .conditionExpression("attribute_not_exists(#pk) OR version = :v")
                          .expressionAttributeNames(Map.of("#pk", PK))
                          .expressionAttributeValues(
                              Map.of(":v", AttributeValue.fromN(Long.toString(note.version()))))));
    } catch (ConditionalCheckFailedException newer) {
      // Another correction noted the person meanwhile: the note stays for the next run.
    }
  }

  private void queryByPerson(
      PersonId person, String skPrefix, Consumer<Map<String, AttributeValue>> each) {
    Map<String, String> names = new HashMap<>(Map.of("#h", GSI1_PK));
    Map<String, AttributeValue> values =
        new HashMap<>(Map.of(":h", s(LinkedTable.personPk(person))));
    String condition = "#h = :h";
    if (skPrefix != null) {
      condition += " AND begins_with(#r, :r)";
      names.put("#r", GSI1_SK);
      values.put(":r", s(skPrefix));
    }
    QueryRequest first =
        QueryRequest.builder()
            .tableName(table)
            .indexName(BY_PERSON)
            .keyConditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .build();
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest request =
          start == null ? first : first.toBuilder().exclusiveStartKey(start).build();
      QueryResponse response = access.withRetry("Query(byPerson)", () -> ddb.query(request));
      response.items().forEach(each);
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
    } while (start != null);
  }

  private Map<String, AttributeValue> get(String pk, String sk) {
    Map<String, AttributeValue> item =
        access
            .withRetry(
                "GetItem(unbacked)",
                () ->
                    ddb.getItem(
                        b ->
                            b.tableName(table)
                                .consistentRead(true)
                                .key(Map.of(PK, s(pk), SK, s(sk)))))
            .item();
    return item == null || item.isEmpty() ? null : item;
  }

  private static boolean isLive(Map<String, AttributeValue> item, long nowEpochSecond) {
    AttributeValue exp = item.get(EXPIRES_AT);
    return exp != null && exp.n() != null && Long.parseLong(exp.n()) > nowEpochSecond;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  /** The deleted items, whole, so that a removal raced by a new record can be undone. */
  private record Snapshot(List<Map<String, AttributeValue>> items) implements Removal {
    @Override
    public int size() {
      return items.size();
    }
  }
}
