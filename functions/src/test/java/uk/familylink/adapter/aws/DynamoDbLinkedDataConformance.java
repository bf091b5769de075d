package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import uk.familylink.contract.LinkStoreContract;
import uk.familylink.domain.ingest.FileLedger.Checkpoint;
import uk.familylink.domain.ingest.FileLedger.Claim;
import uk.familylink.domain.ingest.FileLedger.Done;
import uk.familylink.domain.ingest.FileLedger.Failed;
import uk.familylink.domain.ingest.FileLedger.Held;
import uk.familylink.domain.ingest.FileLedger.Owned;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.ReleasedLink;
import uk.familylink.domain.retention.UnbackedLinkStore;

/**
 * Behaviour every DynamoDB endpoint must show through {@link DynamoDbLinkedData}: the port contract
 * the in-memory fake is held to as well ({@link LinkStoreContract}), and what only the table shows
 * (items left in place, indexes, the stored shape, the ledger). Subclasses supply the endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DynamoDbLinkedDataConformance extends LinkStoreContract {

  protected abstract AwsEndpoint endpoint();

  private final MutableClock clock = new MutableClock(NOW);
  private DynamoDbClient ddb;
  private String table;
  private DynamoDbLinkedData store;
  private DynamoDbPopulationReader reader;
  private DynamoDbFileLedger ledger;

  @BeforeAll
  void createTable() {
    ddb = endpoint().dynamoDb();
    table = "familylink-linked-" + UUID.randomUUID();
    DynamoDbTables.createTable(ddb, table);
    store = new DynamoDbLinkedData(ddb, table, clock, 5, Duration.ofMillis(10));
    reader = new DynamoDbPopulationReader(ddb, table);
    ledger = new DynamoDbFileLedger(ddb, table);
  }

  @Override
  protected Stores stores() {
    return new Stores(store, reader);
  }

  @AfterAll
  void closeClient() {
    if (ddb != null) {
      ddb.close();
    }
  }

  private Map<String, AttributeValue> raw(String pk, String sk) {
    return ddb.getItem(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))))
        .item();
  }

  // ---- table ---------------------------------------------------------------------------------

  @Test
  void createTableBuildsOnDemandTableWithBothIndexesAndTtl() {
    TableDescription t = ddb.describeTable(b -> b.tableName(table)).table();

    assertThat(t.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(t.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("pk:HASH", "sk:RANGE");
    Map<String, GlobalSecondaryIndexDescription> gsis = new HashMap<>();
    t.globalSecondaryIndexes().forEach(g -> gsis.put(g.indexName(), g));
    assertThat(gsis).containsOnlyKeys("byExpiry", "byPerson", "byKind");
    assertThat(gsis.get("byKind").keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("kindPk:" + KeyType.HASH, "pk:" + KeyType.RANGE);
    assertThat(gsis.get("byKind").projection().projectionType()).isEqualTo(ProjectionType.ALL);
    assertThat(gsis.get("byExpiry").keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("expiryPk:" + KeyType.HASH, "expiresAt:" + KeyType.RANGE);
    assertThat(gsis.get("byExpiry").projection().projectionType())
        .isEqualTo(ProjectionType.KEYS_ONLY);
    assertThat(gsis.get("byPerson").keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("gsi1pk:" + KeyType.HASH, "gsi1sk:" + KeyType.RANGE);
    assertThat(gsis.get("byPerson").projection().projectionType()).isEqualTo(ProjectionType.ALL);
    assertThat(t.attributeDefinitions())
        .anySatisfy(
            a -> {
              assertThat(a.attributeName()).isEqualTo("expiresAt");
              assertThat(a.attributeTypeAsString()).isEqualTo("N");
            });

    TimeToLiveDescription ttl =
        ddb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    assertThat(ttl.attributeName()).isEqualTo("expiresAt");
  }

  // ---- claims --------------------------------------------------------------------------------

  @Test
  void aLostClaimLeavesNoItemBehind() {
    PersonId first = newId();
    IdentityKey shared = key(LinkKeyKind.NHS_NUMBER);
    store.claim(List.of(PersonEntry.created(first, NOW)), Map.of(shared, first), LIVE, NOW);
    PersonId second = newId();

    assertThat(
            store.claim(
                List.of(PersonEntry.created(second, NOW)),
                new LinkedHashMap<>(Map.of(key(LinkKeyKind.NINO), second, shared, second)),
                LIVE,
                NOW))
        .isFalse();
    assertThat(raw("PERSON#" + second.value(), "PERSON")).isEmpty();
  }

  @Test
  void expiredItemsStayInTheTableUntilTtlOrTheSweepRemovesThem() {
    PersonId old = newId();
    IdentityKey k = key(LinkKeyKind.UPN);
    store.claim(
        List.of(PersonEntry.created(old, NOW.minusSeconds(3600))),
        Map.of(k, old),
        NOW.getEpochSecond() - 1,
        NOW.minusSeconds(3600));

    // invisible to reads (the contract), but physically there: deletion is TTL's or the sweep's
    assertThat(store.getIdentities(List.of(k), NOW)).isEmpty();
    assertThat(raw("ID#UPN#" + k.token(), "ID")).isNotEmpty();
  }

  @Test
  void markAmbiguousRestampsTheItemAndCreatesNoItemForAMissingKey() {
    PersonId p = newId();
    IdentityKey composite = key(LinkKeyKind.NAME_DOB_POSTCODE);
    store.claim(List.of(PersonEntry.created(p, NOW)), Map.of(composite, p), LIVE, NOW);

    store.markAmbiguous(composite, LIVE + 10);

    Map<String, AttributeValue> item = raw("ID#NAME_DOB_POSTCODE#" + composite.token(), "ID");
    assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(LIVE + 10));
    assertThat(item.get("expiryPk").s())
        .isEqualTo(DynamoDbTables.expiryPk("ID#NAME_DOB_POSTCODE#" + composite.token(), LIVE + 10));
    IdentityKey missing = key(LinkKeyKind.NAME_DOB);
    store.markAmbiguous(missing, LIVE);
    assertThat(raw("ID#NAME_DOB#" + missing.token(), "ID")).isEmpty();
  }

  // ---- merges --------------------------------------------------------------------------------

  // ---- records and memberships ---------------------------------------------------------------

  @Test
  void recordsAreIndexedUnderTheirPersonAcrossSeveralBatches() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    store.putRecords(
        IntStream.range(0, 61).mapToObj(i -> record(dataset, i, person, LIVE)).toList());

    assertThat(
            ddb.query(
                    b ->
                        b.tableName(table)
                            .indexName("byPerson")
                            .keyConditionExpression("gsi1pk = :p AND begins_with(gsi1sk, :rec)")
                            .expressionAttributeValues(
                                Map.of(
                                    ":p",
                                    AttributeValue.fromS("PERSON#" + person.value()),
                                    ":rec",
                                    AttributeValue.fromS("REC#" + dataset + "#"))))
                .count())
        .isEqualTo(61);
  }

  @Test
  void releasedNotesAccumulateFamiliesAndAreClearedOnlyAtTheVersionRead() {
    PersonId person = newId();
    FamilyKey f1 = new FamilyKey("FAMILY_REF", UUID.randomUUID().toString());
    FamilyKey f2 = new FamilyKey("HOUSEHOLD_REF", UUID.randomUUID().toString());
    DynamoDbUnbackedLinks links =
        new DynamoDbUnbackedLinks(ExpiryIndexAccess.of(ddb, table, table));

    store.noteReleased(List.of(new ReleasedLink(person, f1)), LIVE);
    UnbackedLinkStore.Note first = noteOf(links, person);
    store.noteReleased(List.of(new ReleasedLink(person, f2), new ReleasedLink(person, null)), LIVE);
    UnbackedLinkStore.Note second = noteOf(links, person);

    assertThat(first.families()).containsExactly(f1);
    assertThat(second.families()).containsExactlyInAnyOrder(f1, f2);
    assertThat(second.version()).isGreaterThan(first.version());
    links.clear(first);
    assertThat(noteOf(links, person))
        .as("a note added after the read survives clearing")
        .isEqualTo(second);
    links.clear(second);
    assertThat(raw(LinkedTable.RELEASED_PK, "PERSON#" + person.value())).isEmpty();
  }

  private static UnbackedLinkStore.Note noteOf(DynamoDbUnbackedLinks links, PersonId person) {
    List<UnbackedLinkStore.Note> all = new ArrayList<>();
    String cursor = null;
    do {
      UnbackedLinkStore.NotePage page = links.notes(cursor);
      all.addAll(page.notes());
      cursor = page.cursor();
    } while (cursor != null);
    return all.stream().filter(n -> n.person().equals(person)).findFirst().orElseThrow();
  }

  @Test
  void identityClaimsAreIndexedUnderTheirPerson() {
    PersonEntry p = PersonEntry.created(newId(), NOW);
    IdentityKey nhs = key(LinkKeyKind.NHS_NUMBER);
    assertThat(store.claim(List.of(p), Map.of(nhs, p.id()), LIVE, NOW)).isTrue();

    assertThat(
            ddb.query(
                    b ->
                        b.tableName(table)
                            .indexName("byPerson")
                            .keyConditionExpression("gsi1pk = :p AND begins_with(gsi1sk, :id)")
                            .expressionAttributeValues(
                                Map.of(
                                    ":p",
                                    AttributeValue.fromS("PERSON#" + p.id().value()),
                                    ":id",
                                    AttributeValue.fromS("ID#"))))
                .items())
        .extracting(i -> i.get("pk").s())
        .containsExactly("ID#NHS_NUMBER#" + nhs.token());
  }

  @Test
  void membershipsAreIndexedUnderTheirPerson() {
    FamilyKey family = new FamilyKey("FAMILY_REF", UUID.randomUUID().toString());
    PersonId child = newId();
    store.putMemberships(List.of(new FamilyMembership(family, child, "CHILD", "education", LIVE)));

    assertThat(
            ddb.query(
                    b ->
                        b.tableName(table)
                            .indexName("byPerson")
                            .keyConditionExpression("gsi1pk = :p AND begins_with(gsi1sk, :f)")
                            .expressionAttributeValues(
                                Map.of(
                                    ":p",
                                    AttributeValue.fromS("PERSON#" + child.value()),
                                    ":f",
                                    AttributeValue.fromS("FAMILY#"))))
                .items())
        .extracting(i -> i.get("gsi1sk").s())
        .containsExactly("FAMILY#FAMILY_REF#" + family.token());
  }

  @Test
  void parallelPopulationReadReadsTheSameAsSequential() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    List<LinkedRecord> records =
        IntStream.range(0, 30).mapToObj(i -> record(dataset, i, person, LIVE)).toList();
    store.putRecords(records);
    DynamoDbPopulationReader parallel = new DynamoDbPopulationReader(ddb, table, 4);

    List<LinkedRecord> read = new ArrayList<>();
    parallel.forEachRecord(
        NOW,
        r -> {
          if (r.dataset().equals(dataset)) {
            read.add(r);
          }
        });

    assertThat(read).containsExactlyInAnyOrderElementsOf(records);
  }

  /** What {@link #writeOneOfEachKind} wrote. */
  private record OneOfEachKind(
      PersonId p, PersonId q, IdentityKey k, FamilyKey family, String dataset, String fileId) {}

  /**
   * Writes one live item of every kind the link store and ledger write: two persons (q merged into
   * p, so a merge item), an identity claim, a record (with indicators and attributes), a
   * membership, a file ledger entry and a pending possible-link review of p.
   */
  private OneOfEachKind writeOneOfEachKind() {
    PersonId p = newId();
    PersonId q = newId();
    IdentityKey k = key(LinkKeyKind.NHS_NUMBER);
    FamilyKey family = new FamilyKey("HOUSEHOLD_REF", UUID.randomUUID().toString());
    String dataset = "ds-" + UUID.randomUUID();
    String fileId = "bucket/incoming/p/d/" + UUID.randomUUID() + ".csv#etag";
    store.claim(
        List.of(PersonEntry.created(p, NOW), PersonEntry.created(q, NOW.plusSeconds(1))),
        Map.of(k, p),
        LIVE,
        NOW);
    store.merge(new MergeRecord(p, q, LinkKeyKind.NHS_NUMBER, fileId, NOW), LIVE);
    store.putRecords(List.of(record(dataset, 2, p, LIVE))); // has indicators and attributes
    store.putMemberships(List.of(new FamilyMembership(family, p, "PARENT", dataset, LIVE)));
    ledger.begin(fileId, NOW, Duration.ofMinutes(15), LIVE);
    store
        .reviewQueue()
        .orElseThrow()
        .queue(
            List.of(
                new uk.familylink.domain.linkage.LinkReview(
                    uk.familylink.domain.linkage.LinkReview.idOf(p, q),
                    p,
                    q,
                    dataset,
                    "rec-2",
                    3.5,
                    "DATE_OF_BIRTH=EXACT",
                    "fs-v1-prior",
                    NOW,
                    uk.familylink.domain.linkage.LinkReview.Status.PENDING,
                    null,
                    null,
                    LIVE)),
            NOW);
    return new OneOfEachKind(p, q, k, family, dataset, fileId);
  }

  // ---- stored shape --------------------------------------------------------------------------

  @Test
  void everyItemStoresExpiresAtAsNumberWithItsExpiryPartition() {
    OneOfEachKind w = writeOneOfEachKind();
    PersonId p = w.p();
    PersonId q = w.q();
    IdentityKey k = w.k();
    FamilyKey family = w.family();
    String dataset = w.dataset();
    String fileId = w.fileId();

    List<Map<String, AttributeValue>> items =
        List.of(
            raw("ID#NHS_NUMBER#" + k.token(), "ID"),
            raw("PERSON#" + p.value(), "PERSON"),
            raw("PERSON#" + q.value(), "PERSON"),
            raw("PERSON#" + q.value(), "MERGE"),
            raw("REC#" + dataset + "#rec-2", "REC"),
            raw("FAMILY#HOUSEHOLD_REF#" + family.token(), "MEMBER#" + p.value()),
            raw("FILE#" + fileId, "FILE"),
            raw("REVIEW#" + uk.familylink.domain.linkage.LinkReview.idOf(p, q), "REVIEW"));
    assertThat(items)
        .allSatisfy(
            item -> {
              assertThat(item).isNotEmpty();
              assertThat(item.get("expiresAt").type()).isEqualTo(AttributeValue.Type.N);
              assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(LIVE));
              assertThat(item.get("expiryPk").s())
                  .isEqualTo(DynamoDbTables.expiryPk(item.get("pk").s(), LIVE))
                  .matches("2032-03#(0\\d|1[0-5])");
            });
    assertThat(items.get(4).get("indicators").type()).isEqualTo(AttributeValue.Type.SS);
    assertThat(items.get(4).get("attributes").type()).isEqualTo(AttributeValue.Type.M);
  }

  @Test
  void byKindIndexHoldsThePopulationItemsOnly() {
    OneOfEachKind w = writeOneOfEachKind();
    PersonId p = w.p();
    PersonId q = w.q();
    IdentityKey k = w.k();
    FamilyKey family = w.family();
    String dataset = w.dataset();
    String blockKey = "k-" + UUID.randomUUID();
    new DynamoDbCandidateIndex(ddb, table)
        .add(
            List.of(
                new uk.familylink.domain.linkage.CandidateIndex.Entry(
                    blockKey, p, new byte[] {1, 2, 3}, new long[] {7L}, 0L)),
            8,
            LIVE);
    assertThat(
            new DynamoDbCandidateIndex(ddb, table)
                .lookup(List.of(blockKey), 8, NOW)
                .get(blockKey)
                .entries())
        .hasSize(1);

    Map<String, String> kinds = new HashMap<>();
    for (String kind : List.of("PERSON", "MERGE", "REC", "FAMILY", "ID", "FILE", "BLOCK")) {
      for (String partition : DynamoDbTables.kindPartitions(kind)) {
        ddb.query(
                b ->
                    b.tableName(table)
                        .indexName("byKind")
                        .keyConditionExpression("kindPk = :k")
                        .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(partition))))
            .items()
            .forEach(i -> kinds.put(i.get("pk").s() + "|" + i.get("sk").s(), kind));
      }
    }

    assertThat(kinds)
        .containsEntry("PERSON#" + p.value() + "|PERSON", "PERSON")
        .containsEntry("PERSON#" + q.value() + "|PERSON", "PERSON")
        .containsEntry("PERSON#" + q.value() + "|MERGE", "MERGE")
        .containsEntry("REC#" + dataset + "#rec-2|REC", "REC")
        .containsEntry("FAMILY#HOUSEHOLD_REF#" + family.token() + "|MEMBER#" + p.value(), "FAMILY")
        .doesNotContainKey("ID#NHS_NUMBER#" + k.token() + "|ID")
        .allSatisfy(
            (key, kind) -> {
              assertThat(kind).isIn("PERSON", "MERGE", "REC", "FAMILY");
              assertThat(key).doesNotStartWith("BLOCK#").doesNotStartWith("ID#");
            });
    assertThat(raw("PERSON#" + q.value(), "MERGE").get("kindPk").s())
        .isEqualTo(DynamoDbTables.kindPk("MERGE", "PERSON#" + q.value()));
    // a pending review is indexed as REVIEW (the queue); a decided one leaves the index
    String reviewPk = "REVIEW#" + uk.familylink.domain.linkage.LinkReview.idOf(p, q);
    assertThat(raw(reviewPk, "REVIEW").get("kindPk").s())
        .isEqualTo(DynamoDbTables.kindPk("REVIEW", reviewPk));
    store
        .reviewQueue()
        .orElseThrow()
        .decide(
            uk.familylink.domain.linkage.LinkReview.idOf(p, q),
            uk.familylink.domain.linkage.LinkReview.Status.KEPT_APART,
            "analyst",
            NOW,
            NOW);
    assertThat(raw(reviewPk, "REVIEW")).doesNotContainKey("kindPk").containsKey("expiresAt");
  }

  @Test
  void aLinkedTableWithoutTheByKindIndexIsRefusedNotUsed() {
    String legacy = "familylink-legacy-" + UUID.randomUUID();
    DynamoDbTables.createAuditTable(ddb, legacy); // same keys, no byPerson/byKind indexes

    assertThatThrownBy(() -> DynamoDbTables.createTable(ddb, legacy))
        .isInstanceOf(AwsAdapterException.class)
        .hasMessageContaining("no byKind index")
        .hasMessageContaining("reset");
  }

  @Test
  void byExpiryIndexFindsExpiredItemsByMonthAndShard() {
    long expiry =
        Instant.parse("2019-07-15T00:00:00Z").getEpochSecond(); // a month nothing else uses
    PersonId p = newId();
    IdentityKey k = key(LinkKeyKind.ULN);
    store.claim(List.of(PersonEntry.created(p, NOW)), Map.of(k, p), expiry, NOW);

    List<String> found = new ArrayList<>();
    for (String partition : DynamoDbTables.expiryPartitions("2019-07")) {
      ddb.query(
              b ->
                  b.tableName(table)
                      .indexName("byExpiry")
                      .keyConditionExpression("expiryPk = :x AND expiresAt <= :now")
                      .expressionAttributeValues(
                          Map.of(
                              ":x",
                              AttributeValue.fromS(partition),
                              ":now",
                              AttributeValue.fromN(Long.toString(NOW.getEpochSecond())))))
          .items()
          .forEach(i -> found.add(i.get("pk").s()));
    }

    assertThat(found).containsExactlyInAnyOrder("PERSON#" + p.value(), "ID#ULN#" + k.token());
  }

  // ---- file ledger ---------------------------------------------------------------------------

  @Test
  void ledgerLeasesThenReportsHeldThenDone() {
    String fileId = "f-" + UUID.randomUUID();
    Duration lease = Duration.ofMinutes(2);

    Claim first = ledger.begin(fileId, NOW, lease, LIVE);
    assertThat(first).isInstanceOf(Owned.class);
    assertThat(((Owned) first).failures()).isZero();
    assertThat(((Owned) first).resumeFrom()).isEqualTo(Checkpoint.NONE);
    assertThat(ledger.begin(fileId, NOW.plusSeconds(60), lease, LIVE))
        .isEqualTo(new Held(NOW.plus(lease)));

    ledger.complete(fileId, ((Owned) first).attemptId(), "ACCEPTED", NOW.plusSeconds(90), LIVE);

    assertThat(ledger.begin(fileId, NOW.plusSeconds(180), lease, LIVE))
        .isEqualTo(new Done("ACCEPTED"));
    // a finished file stays done even long after any lease would have run out
    assertThat(ledger.begin(fileId, NOW.plus(Duration.ofDays(30)), lease, LIVE))
        .isEqualTo(new Done("ACCEPTED"));
    assertThat(raw("FILE#" + fileId, "FILE").get("outcome").s()).isEqualTo("ACCEPTED");
  }

  @Test
  void aLeaseThatRanOutIsTakenOverWithTheCheckpointAndCountedAsACrash() {
    String fileId = "f-" + UUID.randomUUID();
    Duration lease = Duration.ofMinutes(2);
    Owned crashed = (Owned) ledger.begin(fileId, NOW, lease, LIVE);
    Checkpoint checkpoint = new Checkpoint(500, Map.of("rowsLinked", 480L, "personsCreated", 7L));
    assertThat(
            ledger.renew(fileId, crashed.attemptId(), NOW.plusSeconds(40), lease, checkpoint, LIVE))
        .isTrue();

    // renewed until NOW + 160 s: still held at 150 s, taken over after
    assertThat(ledger.begin(fileId, NOW.plusSeconds(150), lease, LIVE)).isInstanceOf(Held.class);
    Claim retry = ledger.begin(fileId, NOW.plusSeconds(161), lease, LIVE);

    assertThat(retry).isInstanceOf(Owned.class);
    assertThat(((Owned) retry).failures()).isEqualTo(1);
    assertThat(((Owned) retry).resumeFrom()).isEqualTo(checkpoint);
    // the crashed attempt cannot renew or release its successor's lease
    assertThat(
            ledger.renew(
                fileId, crashed.attemptId(), NOW.plusSeconds(162), lease, checkpoint, LIVE))
        .isFalse();
    assertThat(
            ledger.release(
                fileId, crashed.attemptId(), NOW.plusSeconds(162), true, checkpoint, LIVE))
        .isZero();
    assertThat(ledger.begin(fileId, NOW.plusSeconds(163), lease, LIVE)).isInstanceOf(Held.class);
  }

  @Test
  void aFailedAttemptReleasesAtOnceCountingTheFailureAndAGivenUpFileStaysFailed() {
    String fileId = "f-" + UUID.randomUUID();
    Duration lease = Duration.ofMinutes(2);
    Owned first = (Owned) ledger.begin(fileId, NOW, lease, LIVE);
    assertThat(
            ledger.release(
                fileId, first.attemptId(), NOW.plusSeconds(1), true, Checkpoint.NONE, LIVE))
        .isEqualTo(1);

    Owned second = (Owned) ledger.begin(fileId, NOW.plusSeconds(2), lease, LIVE);
    assertThat(second.failures()).as("a released lease is no crash").isEqualTo(1);
    Checkpoint half = new Checkpoint(250, Map.of("rowsLinked", 250L));
    assertThat(ledger.release(fileId, second.attemptId(), NOW.plusSeconds(3), false, half, LIVE))
        .as("a pause for a continuation counts no failure")
        .isEqualTo(1);

    Owned third = (Owned) ledger.begin(fileId, NOW.plusSeconds(4), lease, LIVE);
    assertThat(third.resumeFrom())
        .as("the continuation resumes where the pause left")
        .isEqualTo(half);
    ledger.giveUp(fileId, third.attemptId(), NOW.plusSeconds(5), LIVE);
    assertThat(ledger.begin(fileId, NOW.plusSeconds(6), lease, LIVE)).isEqualTo(new Failed(1));
    assertThat(ledger.begin(fileId, NOW.plus(Duration.ofDays(1)), lease, LIVE))
        .isEqualTo(new Failed(1));
  }
}
