package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import uk.familylink.domain.ingest.FileLedger.Checkpoint;
import uk.familylink.domain.ingest.FileLedger.Claim;
import uk.familylink.domain.ingest.FileLedger.Done;
import uk.familylink.domain.ingest.FileLedger.Failed;
import uk.familylink.domain.ingest.FileLedger.Held;
import uk.familylink.domain.ingest.FileLedger.Owned;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.RecordPlacement;
import uk.familylink.domain.linkage.ReleasedLink;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.retention.UnbackedLinkStore;

/**
 * Behaviour every DynamoDB endpoint must show through {@link DynamoDbLinkedData}; subclasses supply
 * the endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DynamoDbLinkedDataConformance {

  protected abstract AwsEndpoint endpoint();

  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  private static final long LIVE = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private final MutableClock clock = new MutableClock(NOW);
  private DynamoDbClient ddb;
  private String table;
  private DynamoDbLinkedData store;
  private DynamoDbFileLedger ledger;

  @BeforeAll
  void createTable() {
    ddb = endpoint().dynamoDb();
    table = "familylink-linked-" + UUID.randomUUID();
    DynamoDbTables.createTable(ddb, table);
    store = new DynamoDbLinkedData(ddb, table, clock, 5, Duration.ofMillis(10), 1);
    ledger = new DynamoDbFileLedger(ddb, table);
  }

  @AfterAll
  void closeClient() {
    if (ddb != null) {
      ddb.close();
    }
  }

  private static IdentityKey key(LinkKeyKind kind) {
    return new IdentityKey(kind, UUID.randomUUID().toString());
  }

  private static PersonId newId() {
    return new PersonId(UUID.randomUUID().toString());
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
    assertThat(gsis).containsOnlyKeys("byExpiry", "byPerson");
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
  void claimCreatesPersonAndIdentities() {
    PersonId p = newId();
    IdentityKey nhs = key(LinkKeyKind.NHS_NUMBER);
    IdentityKey nameDob = key(LinkKeyKind.NAME_DOB);

    boolean claimed =
        store.claim(List.of(PersonEntry.created(p, NOW)), Map.of(nhs, p, nameDob, p), LIVE, NOW);

    assertThat(claimed).isTrue();
    assertThat(store.getIdentities(List.of(nhs, nameDob, key(LinkKeyKind.NINO)), NOW))
        .containsOnly(
            Map.entry(nhs, new IdentityEntry(nhs, p, false)),
            Map.entry(nameDob, new IdentityEntry(nameDob, p, false)));
    assertThat(store.getPersons(List.of(p, newId()), NOW))
        .containsOnly(Map.entry(p, PersonEntry.created(p, NOW)));
  }

  @Test
  void conflictingClaimReturnsFalseAndWritesNothing() {
    PersonId first = newId();
    IdentityKey shared = key(LinkKeyKind.NHS_NUMBER);
    assertThat(
            store.claim(List.of(PersonEntry.created(first, NOW)), Map.of(shared, first), LIVE, NOW))
        .isTrue();

    PersonId second = newId();
    IdentityKey fresh = key(LinkKeyKind.NINO);
    boolean claimed =
        store.claim(
            List.of(PersonEntry.created(second, NOW)),
            new LinkedHashMap<>(Map.of(fresh, second, shared, second)),
            LIVE,
            NOW);

    assertThat(claimed).isFalse();
    // all or nothing: neither the new person nor the free key was written
    assertThat(store.getPersons(List.of(second), NOW)).isEmpty();
    assertThat(raw("PERSON#" + second.value(), "PERSON")).isEmpty();
    assertThat(store.getIdentities(List.of(fresh), NOW)).isEmpty();
    assertThat(store.getIdentities(List.of(shared), NOW).get(shared).person()).isEqualTo(first);
  }

  @Test
  void expiredItemsAreIgnoredByReadsAndDoNotBlockANewClaim() {
    PersonId old = newId();
    IdentityKey k = key(LinkKeyKind.UPN);
    long alreadyExpired = NOW.getEpochSecond() - 1;
    assertThat(
            store.claim(
                List.of(PersonEntry.created(old, NOW.minusSeconds(3600))),
                Map.of(k, old),
                alreadyExpired,
                NOW))
        .isTrue();
    // the items are still physically there (no TTL deletion has happened) ...
    assertThat(raw("ID#UPN#" + k.token(), "ID")).isNotEmpty();

    // ... but invisible, exactly at and after expiry
    assertThat(store.getIdentities(List.of(k), NOW)).isEmpty();
    assertThat(store.getPersons(List.of(old), NOW)).isEmpty();
    assertThat(store.getIdentities(List.of(k), Instant.ofEpochSecond(alreadyExpired))).isEmpty();
    assertThat(store.getIdentities(List.of(k), Instant.ofEpochSecond(alreadyExpired - 1)))
        .containsKey(k);

    PersonId next = newId();
    assertThat(store.claim(List.of(PersonEntry.created(next, NOW)), Map.of(k, next), LIVE, NOW))
        .isTrue();
    assertThat(store.getIdentities(List.of(k), NOW).get(k))
        .isEqualTo(new IdentityEntry(k, next, false));
  }

  @Test
  void largeClaimsSplitIntoSelfContainedGroupsAndBatchGetReadsThemAll() {
    // 40 persons x (1 person put + 4 claims) = 200 transaction actions: two or more groups
    List<PersonEntry> persons = new ArrayList<>();
    Map<IdentityKey, PersonId> claims = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      PersonId p = newId();
      persons.add(PersonEntry.created(p, NOW));
      for (LinkKeyKind kind :
          List.of(
              LinkKeyKind.NHS_NUMBER,
              LinkKeyKind.NINO,
              LinkKeyKind.NAME_DOB,
              LinkKeyKind.NAME_DOB_POSTCODE)) {
        claims.put(key(kind), p);
      }
    }

    assertThat(store.claim(persons, claims, LIVE, NOW)).isTrue();

    List<IdentityKey> lookup = new ArrayList<>(claims.keySet());
    lookup.add(key(LinkKeyKind.PNC_ID)); // unclaimed: must be absent
    Map<IdentityKey, IdentityEntry> found =
        store.getIdentities(lookup, NOW); // 161 keys: two BatchGetItem calls
    assertThat(found).hasSize(160);
    claims.forEach((k, p) -> assertThat(found.get(k).person()).isEqualTo(p));
    assertThat(store.getPersons(persons.stream().map(PersonEntry::id).toList(), NOW)).hasSize(40);
  }

  @Test
  void markAmbiguousFlagsAnExistingKeyAndCreatesNothingForAMissingOne() {
    PersonId p = newId();
    IdentityKey composite = key(LinkKeyKind.NAME_DOB_POSTCODE);
    store.claim(List.of(PersonEntry.created(p, NOW)), Map.of(composite, p), LIVE, NOW);

    store.markAmbiguous(composite, LIVE + 10);
    store.markAmbiguous(composite, LIVE + 10); // idempotent

    assertThat(store.getIdentities(List.of(composite), NOW).get(composite))
        .isEqualTo(new IdentityEntry(composite, p, true));
    assertThat(raw("ID#NAME_DOB_POSTCODE#" + composite.token(), "ID").get("expiresAt").n())
        .isEqualTo(Long.toString(LIVE + 10));

    IdentityKey missing = key(LinkKeyKind.NAME_DOB);
    store.markAmbiguous(missing, LIVE);
    assertThat(raw("ID#NAME_DOB#" + missing.token(), "ID")).isEmpty();
  }

  // ---- merges --------------------------------------------------------------------------------

  @Test
  void mergeSucceedsOnceAndALaterConflictingMergeLoses() {
    PersonId survivor = newId();
    PersonId loser = newId();
    PersonId third = newId();
    store.claim(
        List.of(
            PersonEntry.created(survivor, NOW.minusSeconds(60)),
            PersonEntry.created(loser, NOW),
            PersonEntry.created(third, NOW.plusSeconds(1))),
        Map.of(),
        LIVE,
        NOW);

    MergeRecord merge = new MergeRecord(survivor, loser, LinkKeyKind.NHS_NUMBER, "file-1", NOW);
    assertThat(store.merge(merge, LIVE)).isTrue();

    // the loser is no longer active: a second merge of it (a lost race) must fail
    assertThat(store.merge(new MergeRecord(third, loser, LinkKeyKind.NINO, "file-2", NOW), LIVE))
        .isFalse();
    // nor may anyone merge into a merged person
    assertThat(store.merge(new MergeRecord(loser, third, LinkKeyKind.NINO, "file-2", NOW), LIVE))
        .isFalse();

    Map<PersonId, PersonEntry> persons = store.getPersons(List.of(survivor, loser, third), NOW);
    assertThat(persons.get(loser).mergedInto()).isEqualTo(survivor);
    assertThat(persons.get(survivor).isActive()).isTrue();
    assertThat(persons.get(third).isActive()).isTrue();

    List<MergeRecord> merges = new ArrayList<>();
    store.forEachMerge(
        NOW,
        m -> {
          if (Set.of(survivor, loser, third).contains(m.merged())) {
            merges.add(m);
          }
        });
    assertThat(merges).containsExactly(merge);
  }

  @Test
  void mergeOfUnknownPersonLoses() {
    PersonId survivor = newId();
    store.claim(List.of(PersonEntry.created(survivor, NOW)), Map.of(), LIVE, NOW);

    assertThat(store.merge(new MergeRecord(survivor, newId(), LinkKeyKind.UPN, "f", NOW), LIVE))
        .isFalse();
  }

  // ---- records and memberships ---------------------------------------------------------------

  private static LinkedRecord record(String dataset, int i, PersonId person, long expiresAt) {
    return new LinkedRecord(
        dataset,
        "north-agency",
        "rec-" + i,
        person,
        i % 4 == 0 ? null : new FamilyKey("FAMILY_REF", "fam-" + (i % 7)),
        i % 2 == 0 ? EnumSet.of(Need.EDUCATION, Need.HOUSING) : Set.of(),
        i % 3 == 0 ? null : LocalDate.of(2025, 1 + i % 12, 1 + i % 28),
        i % 5 == 0 ? null : "2011-0" + (1 + i % 9),
        i % 7 == 0,
        i % 4 == 0 ? Map.of() : Map.of("attendanceBand", "B" + i % 3, "schoolPhase", "primary"),
        "file-" + i,
        expiresAt);
  }

  @Test
  void putRecordsWritesMoreThanOneBatchAndReaderReadsThemBack() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    List<LinkedRecord> records =
        IntStream.range(0, 60).mapToObj(i -> record(dataset, i, person, LIVE)).toList();
    LinkedRecord expired = record(dataset, 999, person, NOW.getEpochSecond());
    List<LinkedRecord> all = new ArrayList<>(records);
    all.add(expired);

    store.putRecords(all);

    List<LinkedRecord> read = new ArrayList<>();
    store.forEachRecord(
        NOW,
        r -> {
          if (r.dataset().equals(dataset)) {
            read.add(r);
          }
        });
    assertThat(read).containsExactlyInAnyOrderElementsOf(records);
    // all records are also found through the person index
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
  void putRecordsUpsertsByDatasetAndRecordTokenEvenWithinOneBatch() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    LinkedRecord v1 = record(dataset, 1, person, LIVE);
    LinkedRecord v2 = record(dataset, 2, person, LIVE);
    LinkedRecord v2AsToken1 =
        new LinkedRecord(
            v2.dataset(),
            v2.partner(),
            v1.recordToken(),
            v2.person(),
            v2.family(),
            v2.indicators(),
            v2.eventDate(),
            v2.birthYearMonth(),
            v2.expectantParent(),
            v2.attributes(),
            v2.fileId(),
            v2.expiresAt());

    store.putRecords(List.of(v1, v2AsToken1));
    store.putRecords(List.of(v2AsToken1));

    List<LinkedRecord> read = new ArrayList<>();
    store.forEachRecord(
        NOW,
        r -> {
          if (r.dataset().equals(dataset)) {
            read.add(r);
          }
        });
    assertThat(read).containsExactly(v2AsToken1);
  }

  @Test
  void placementsTellWhereStoredRecordsPointAndSkipNewAndExpiredOnes() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    LinkedRecord withFamily = record(dataset, 1, person, LIVE); // i % 4 != 0: names a family
    LinkedRecord withoutFamily = record(dataset, 4, person, LIVE);
    LinkedRecord expired = record(dataset, 5, person, NOW.getEpochSecond());
    store.putRecords(List.of(withFamily, withoutFamily, expired));

    Map<String, RecordPlacement> placements =
        store.placements(
            dataset,
            List.of(
                withFamily.recordToken(),
                withoutFamily.recordToken(),
                expired.recordToken(),
                "never-stored"),
            NOW);

    assertThat(placements).containsOnlyKeys(withFamily.recordToken(), withoutFamily.recordToken());
    assertThat(placements.get(withFamily.recordToken()))
        .isEqualTo(new RecordPlacement(person, withFamily.family()));
    assertThat(withFamily.family()).isNotNull();
    assertThat(placements.get(withoutFamily.recordToken()))
        .isEqualTo(new RecordPlacement(person, null));
  }

  @Test
  void releasedNotesAccumulateFamiliesAndAreClearedOnlyAtTheVersionRead() {
    PersonId person = newId();
    FamilyKey f1 = new FamilyKey("FAMILY_REF", UUID.randomUUID().toString());
    FamilyKey f2 = new FamilyKey("HOUSEHOLD_REF", UUID.randomUUID().toString());
    DynamoDbUnbackedLinks links = new DynamoDbUnbackedLinks(ddb, table, table);

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
    assertThat(raw(DynamoDbLinkedData.RELEASED_PK, "PERSON#" + person.value())).isEmpty();
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
  void membershipsUpsertAndAreReadableByFamilyAndByPerson() {
    FamilyKey family = new FamilyKey("FAMILY_REF", UUID.randomUUID().toString());
    PersonId parent = newId();
    PersonId child = newId();
    FamilyMembership m1 = new FamilyMembership(family, parent, "PARENT", "housing", LIVE);
    FamilyMembership m2 = new FamilyMembership(family, child, "CHILD", "education", LIVE);
    FamilyMembership gone =
        new FamilyMembership(family, newId(), "CHILD", "education", NOW.getEpochSecond() - 5);

    store.putMemberships(List.of(m1, m2, m1, gone));

    List<FamilyMembership> read = new ArrayList<>();
    store.forEachMembership(
        NOW,
        m -> {
          if (m.family().equals(family)) {
            read.add(m);
          }
        });
    assertThat(read).containsExactlyInAnyOrder(m1, m2);
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
  void readerSkipsExpiredPersons() {
    PersonId live = newId();
    PersonId expired = newId();
    store.claim(List.of(PersonEntry.created(live, NOW)), Map.of(), LIVE, NOW);
    store.claim(List.of(PersonEntry.created(expired, NOW)), Map.of(), NOW.getEpochSecond(), NOW);

    List<PersonId> seen = new ArrayList<>();
    store.forEachPerson(NOW, p -> seen.add(p.id()));

    assertThat(seen).contains(live).doesNotContain(expired);
  }

  @Test
  void parallelScanReadsTheSameAsSequential() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    List<LinkedRecord> records =
        IntStream.range(0, 30).mapToObj(i -> record(dataset, i, person, LIVE)).toList();
    store.putRecords(records);
    DynamoDbLinkedData parallel =
        new DynamoDbLinkedData(ddb, table, clock, 5, Duration.ofMillis(10), 4);

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

  // ---- stored shape --------------------------------------------------------------------------

  @Test
  void everyItemStoresExpiresAtAsNumberWithItsExpiryPartition() {
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

    List<Map<String, AttributeValue>> items =
        List.of(
            raw("ID#NHS_NUMBER#" + k.token(), "ID"),
            raw("PERSON#" + p.value(), "PERSON"),
            raw("PERSON#" + q.value(), "PERSON"),
            raw("PERSON#" + q.value(), "MERGE"),
            raw("REC#" + dataset + "#rec-2", "REC"),
            raw("FAMILY#HOUSEHOLD_REF#" + family.token(), "MEMBER#" + p.value()),
            raw("FILE#" + fileId, "FILE"));
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
