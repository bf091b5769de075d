package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.BY_PERSON;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_SK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import uk.familylink.domain.access.SubjectDataReader;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;

/**
 * Subject access reads of the linked-data table, by key only: GetItem for identity and person
 * items, Query of the {@code byPerson} index for a person's records and memberships, Query of a
 * family partition for its members. Never a Scan. Item shapes: see {@link DynamoDbLinkedData}.
 * Needs only dynamodb:GetItem and dynamodb:Query (table and byPerson index).
 */
public final class DynamoDbPersonReader implements SubjectDataReader {

  private static final String SK_ID = LinkedTable.SK_ID;
  private static final String SK_PERSON = LinkedTable.SK_PERSON;
  private static final String REC_PREFIX = LinkedTable.REC_PREFIX;
  private static final String FAMILY_PREFIX = LinkedTable.FAMILY_PREFIX;
  private static final String MEMBER_PREFIX = LinkedTable.SK_MEMBER_PREFIX;

  private final DynamoDbClient ddb;
  private final String table;
  private final DynamoDbCandidateIndex candidateIndex;

  public DynamoDbPersonReader(DynamoDbClient ddb, String tableName) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(tableName, "tableName");
    this.candidateIndex = new DynamoDbCandidateIndex(ddb, tableName);
  }

  /** Tier 3's candidate index in the same table; subject access only reads it. */
  @Override
  public java.util.Optional<uk.familylink.domain.linkage.CandidateIndex> candidateIndex() {
    return java.util.Optional.of(candidateIndex);
  }

  @Override
  public Map<IdentityKey, IdentityEntry> identities(Collection<IdentityKey> keys, Instant now) {
    Map<IdentityKey, IdentityEntry> out = new HashMap<>();
    for (IdentityKey key : keys) {
      Map<String, AttributeValue> item = get(LinkedTable.identityPk(key), SK_ID);
      if (isLive(item, now)) {
        AttributeValue amb = item.get("ambiguous");
        out.put(
            key,
            new IdentityEntry(
                key,
                new PersonId(item.get("person").s()),
                amb != null && Boolean.TRUE.equals(amb.bool())));
      }
    }
    return out;
  }

  @Override
  public Map<PersonId, PersonEntry> persons(Collection<PersonId> ids, Instant now) {
    Map<PersonId, PersonEntry> out = new HashMap<>();
    for (PersonId id : ids) {
      Map<String, AttributeValue> item = get(LinkedTable.personPk(id), SK_PERSON);
      if (isLive(item, now)) {
        PersonEntry p = LinkedItems.toPerson(item);
        out.put(p.id(), p);
      }
    }
    return out;
  }

  @Override
  public PersonData dataOf(PersonId person, Instant now) {
    List<LinkedRecord> records = new ArrayList<>();
    List<FamilyMembership> memberships = new ArrayList<>();
    List<PersonId> mergedIn = new ArrayList<>();
    List<MergeRecord> merges = new ArrayList<>();
    List<LinkReview> reviews = new ArrayList<>();
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .indexName(BY_PERSON)
            .keyConditionExpression("#h = :h")
            .expressionAttributeNames(Map.of("#h", GSI1_PK))
            .expressionAttributeValues(
                Map.of(":h", AttributeValue.fromS(LinkedTable.personPk(person))))
            .build();
    query(
        request,
        now,
        item -> {
          String sk = item.get(GSI1_SK).s();
          if (sk.startsWith(REC_PREFIX)) {
            records.add(LinkedItems.toRecord(item));
          } else if (sk.startsWith(FAMILY_PREFIX)) {
            memberships.add(LinkedItems.toMembership(item));
          } else if (sk.startsWith(LinkedTable.MERGED_PREFIX)) {
            mergedIn.add(new PersonId(sk.substring(LinkedTable.MERGED_PREFIX.length())));
            merges.add(LinkedItems.toMerge(item));
          } else if (sk.startsWith(LinkedTable.REVIEW_PREFIX)) {
            reviews.add(LinkedItems.toReview(item));
          }
        });
    return new PersonData(records, memberships, mergedIn, merges, reviews);
  }

  @Override
  public List<FamilyMembership> membersOf(FamilyKey family, Instant now) {
    List<FamilyMembership> out = new ArrayList<>();
    QueryRequest request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#pk = :pk AND begins_with(#sk, :member)")
            .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
            .expressionAttributeValues(
                Map.of(
                    ":pk",
                    AttributeValue.fromS(LinkedTable.familyPk(family)),
                    ":member",
                    AttributeValue.fromS(MEMBER_PREFIX)))
            .consistentRead(true)
            .build();
    query(request, now, item -> out.add(LinkedItems.toMembership(item)));
    return out;
  }

  private Map<String, AttributeValue> get(String pk, String sk) {
    try {
      return ddb.getItem(
              b ->
                  b.tableName(table)
                      .consistentRead(true)
                      .key(Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk))))
          .item();
    } catch (SdkException e) {
      throw AwsAdapterException.of("GetItem(subject access)", e);
    }
  }

  private void query(QueryRequest first, Instant now, Consumer<Map<String, AttributeValue>> each) {
    try {
      for (var page : ddb.queryPaginator(first)) {
        for (Map<String, AttributeValue> item : page.items()) {
          if (isLive(item, now)) {
            each.accept(item);
          }
        }
      }
    } catch (SdkException e) {
      throw AwsAdapterException.of("Query(subject access)", e);
    }
  }

  private static boolean isLive(Map<String, AttributeValue> item, Instant now) {
    if (item == null || item.isEmpty()) {
      return false;
    }
    AttributeValue exp = item.get(EXPIRES_AT);
    return exp != null && exp.n() != null && Long.parseLong(exp.n()) > now.getEpochSecond();
  }
}
