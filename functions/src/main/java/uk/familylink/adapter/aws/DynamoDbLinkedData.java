package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_SK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;
import static uk.familylink.adapter.aws.LinkedItems.base;
import static uk.familylink.adapter.aws.LinkedItems.familyOf;
import static uk.familylink.adapter.aws.LinkedItems.identityItem;
import static uk.familylink.adapter.aws.LinkedItems.membershipItem;
import static uk.familylink.adapter.aws.LinkedItems.n;
import static uk.familylink.adapter.aws.LinkedItems.personItem;
import static uk.familylink.adapter.aws.LinkedItems.putIfPresent;
import static uk.familylink.adapter.aws.LinkedItems.recordItem;
import static uk.familylink.adapter.aws.LinkedItems.s;
import static uk.familylink.adapter.aws.LinkedItems.toPerson;
import static uk.familylink.adapter.aws.LinkedTable.MERGED_PREFIX;
import static uk.familylink.adapter.aws.LinkedTable.RELEASED_PK;
import static uk.familylink.adapter.aws.LinkedTable.SK_ID;
import static uk.familylink.adapter.aws.LinkedTable.SK_MERGE;
import static uk.familylink.adapter.aws.LinkedTable.SK_PERSON;
import static uk.familylink.adapter.aws.LinkedTable.SK_REC;
import static uk.familylink.adapter.aws.LinkedTable.identityPk;
import static uk.familylink.adapter.aws.LinkedTable.personPk;
import static uk.familylink.adapter.aws.LinkedTable.recordPk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.RecordPlacement;
import uk.familylink.domain.linkage.ReleasedLink;

/**
 * The link store: identity claims, persons, merges, records and memberships in the linked table
 * (the file ledger and the candidate index share it; keys in {@link LinkedTable}, item attributes
 * in {@link LinkedItems}). Whole-population reads are {@link DynamoDbPopulationReader}'s.
 *
 * <p>Item shapes (pk / sk):
 *
 * <ul>
 *   <li>identity {@code ID#<LinkKeyKind>#<token>} / {@code ID}: person, ambiguous (BOOL); gsi1pk
 *       {@code PERSON#<id>}, gsi1sk = pk (so a person's claims can be removed without a scan)
 *   <li>person {@code PERSON#<id>} / {@code PERSON}: createdAt (ISO), mergedInto (absent when
 *       active)
 *   <li>merge {@code PERSON#<merged>} / {@code MERGE}: survivor, bridgedBy and fileId (a merge by
 *       ingest) or reviewId (a merge decided on review) or fileId and the tier-3 bridge's weights,
 *       field levels and model ({@code t3*}, no value), at
 *   <li>record {@code REC#<dataset>#<recordToken>} / {@code REC}: person, partner, dataset,
 *       recordToken, indicators (SS), eventDate, birthYearMonth, expectantParent, attributes (M),
 *       fileId, familyKind + familyToken (when the row named a family); gsi1pk {@code PERSON#<id>},
 *       gsi1sk = pk
 *   <li>membership {@code FAMILY#<kind>#<token>} / {@code MEMBER#<personId>}: familyKind,
 *       familyToken, person, role, dataset; gsi1pk {@code PERSON#<id>}, gsi1sk = pk
 *   <li>file ledger {@code FILE#<fileId>} / {@code FILE}: written by {@link DynamoDbFileLedger}
 *   <li>released link {@code RELEASED} / {@code PERSON#<id>}: families (SS of {@link
 *       FamilyKey#asString()}), version (N, bumped by every note); a person or membership a
 *       correction stopped backing, checked by the retention sweep (one partition: corrections are
 *       rare, and the sweep reads it by Query)
 * </ul>
 *
 * Every item has expiresAt (N, epoch seconds) and expiryPk.
 *
 * <p>Expiry in conditional writes: {@code claim} takes the caller's "now"; the operations whose
 * port signature carries none (merges, ambiguity marks) use this adapter's {@link Clock}. A claim
 * succeeds over an identity/person item that still exists but has expired ({@code expiresAt <=
 * now}): TTL deletes lazily (days), and such an item is invisible to reads, so it must not block a
 * new claim either. The same clock guards merges (an expired person is not active).
 *
 * <p>Large claims: TransactWriteItems takes at most 100 actions. Bigger claims are split into
 * groups, each holding a new person together with all of its claims (claims for already existing
 * persons are units of one), packed greedily. Each group is atomic; the groups together are not. If
 * a later group loses a race the method returns false with the earlier groups committed. That is
 * safe because every committed group is self-contained: its persons exist with all their claims, so
 * the caller's re-resolution simply finds them. A single person with more than 99 claims is
 * rejected.
 */
public final class DynamoDbLinkedData implements LinkStore {

  /** Calls of one step in flight at once (a 250-row chunk has up to ~10 pages a step). */
  public static final int DEFAULT_CONCURRENCY = 16;

  static final int MAX_TRANSACT_ITEMS = 100;
  static final int MAX_BATCH_GET = 100;
  static final int MAX_BATCH_WRITE = 25;

  private final DynamoDbClient ddb;
  private final String table;
  private final Clock clock;
  private final DynamoDbRetry retry;
  private final DynamoDbBatches batches;
  private final DynamoDbCandidateIndex candidateIndex;
  private final DynamoDbReviewQueue reviewQueue;

  public DynamoDbLinkedData(DynamoDbClient ddb, String tableName, Clock clock) {
    this(ddb, tableName, clock, 8, Duration.ofMillis(50));
  }

  /**
   * @param maxAttempts sends per call while throttled and per batch while items stay unprocessed
   * @param baseBackoff first backoff; doubles per attempt, capped at 5 s ({@link DynamoDbRetry})
   */
  public DynamoDbLinkedData(
      DynamoDbClient ddb, String tableName, Clock clock, int maxAttempts, Duration baseBackoff) {
    this(ddb, tableName, clock, maxAttempts, baseBackoff, DEFAULT_CONCURRENCY);
  }

  /**
   * @param concurrency DynamoDB calls of one step (pages, claim groups) issued at once; 1 = one
   *     after another
   */
  public DynamoDbLinkedData(
      DynamoDbClient ddb,
      String tableName,
      Clock clock,
      int maxAttempts,
      Duration baseBackoff,
      int concurrency) {
    this.ddb = Objects.requireNonNull(ddb, "ddb");
    this.table = Objects.requireNonNull(tableName, "tableName");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retry = new DynamoDbRetry(maxAttempts, baseBackoff);
    this.batches = new DynamoDbBatches(concurrency);
    this.candidateIndex = new DynamoDbCandidateIndex(ddb, tableName, batches, retry);
    this.reviewQueue = new DynamoDbReviewQueue(ddb, tableName, retry);
  }

  /** The possible-link review queue, kept in the same table ({@link DynamoDbReviewQueue}). */
  @Override
  public java.util.Optional<uk.familylink.domain.linkage.ReviewQueue> reviewQueue() {
    return java.util.Optional.of(reviewQueue);
  }

  /** Tier 3's candidate index, kept in the same table ({@link DynamoDbCandidateIndex}). */
  @Override
  public java.util.Optional<uk.familylink.domain.linkage.CandidateIndex> candidateIndex() {
    return java.util.Optional.of(candidateIndex);
  }

  // ---- keys (LinkedTable) --------------------------------------------------------------------

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, s(pk), SK, s(sk));
  }

  // ---- LinkStore: reads ----------------------------------------------------------------------

  @Override
  public Map<IdentityKey, IdentityEntry> getIdentities(Collection<IdentityKey> keys, Instant now) {
    Map<String, IdentityKey> byPk = new LinkedHashMap<>();
    for (IdentityKey k : keys) {
      byPk.put(identityPk(k), k);
    }
    Map<IdentityKey, IdentityEntry> out = new HashMap<>();
    for (Map<String, AttributeValue> item : batchGet(byPk.keySet(), SK_ID, now)) {
      IdentityKey k = byPk.get(item.get(PK).s());
      AttributeValue amb = item.get("ambiguous");
      out.put(
          k,
          new IdentityEntry(
              k,
              new PersonId(item.get("person").s()),
              amb != null && Boolean.TRUE.equals(amb.bool())));
    }
    return out;
  }

  @Override
  public Map<PersonId, PersonEntry> getPersons(Collection<PersonId> ids, Instant now) {
    Set<String> pks = new LinkedHashSet<>();
    for (PersonId id : ids) {
      pks.add(personPk(id));
    }
    Map<PersonId, PersonEntry> out = new HashMap<>();
    for (Map<String, AttributeValue> item : batchGet(pks, SK_PERSON, now)) {
      PersonEntry p = toPerson(item);
      out.put(p.id(), p);
    }
    return out;
  }

  /**
   * BatchGetItem in chunks of 100, retrying UnprocessedKeys; drops items expired at {@code now}.
   */
  private List<Map<String, AttributeValue>> batchGet(
      Collection<String> pks, String sk, Instant now) {
    return batchGet(pks, sk, now, null);
  }

  /**
   * As above, reading only {@code projection} (which must name #pk and #exp) when not null. The
   * pages of 100 keys are read at once ({@link DynamoDbBatches}).
   */
  private List<Map<String, AttributeValue>> batchGet(
      Collection<String> pks, String sk, Instant now, String projection) {
    List<String> all = new ArrayList<>(pks);
    List<java.util.function.Supplier<List<Map<String, AttributeValue>>>> pages = new ArrayList<>();
    for (int from = 0; from < all.size(); from += MAX_BATCH_GET) {
      List<Map<String, AttributeValue>> keys = new ArrayList<>();
      for (String pk : all.subList(from, Math.min(all.size(), from + MAX_BATCH_GET))) {
        keys.add(key(pk, sk));
      }
      // Consistent reads: a claim's loser re-resolves right after the winner's write.
      KeysAndAttributes.Builder wanted =
          KeysAndAttributes.builder().keys(keys).consistentRead(true);
      if (projection != null) {
        wanted
            .projectionExpression(projection)
            .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT));
      }
      KeysAndAttributes page = wanted.build();
      pages.add(() -> batchGetPage(page, now));
    }
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    batches.all(pages).forEach(found::addAll);
    return found;
  }

  /** One BatchGetItem page ({@link DynamoDbRetry} resends unprocessed keys); live items only. */
  private List<Map<String, AttributeValue>> batchGetPage(KeysAndAttributes page, Instant now) {
    List<Map<String, AttributeValue>> found = new ArrayList<>();
    for (Map<String, AttributeValue> item : retry.batchGet(ddb, "BatchGetItem", table, page)) {
      if (isLive(item, now)) {
        found.add(item);
      }
    }
    return found;
  }

  private static boolean isLive(Map<String, AttributeValue> item, Instant now) {
    AttributeValue exp = item.get(EXPIRES_AT);
    return exp != null && exp.n() != null && Long.parseLong(exp.n()) > now.getEpochSecond();
  }

  // ---- LinkStore: writes ---------------------------------------------------------------------

  @Override
  public boolean claim(
      List<PersonEntry> newPersons,
      Map<IdentityKey, PersonId> claims,
      long expiresAt,
      Instant asOf) {
    long now = asOf.getEpochSecond();
    // Build self-contained units: a new person with all its claims; other claims alone.
    Map<PersonId, List<TransactWriteItem>> unitsByPerson = new LinkedHashMap<>();
    for (PersonEntry p : newPersons) {
      List<TransactWriteItem> unit = new ArrayList<>();
      unit.add(conditionalPut(personItem(p, expiresAt), now));
      unitsByPerson.put(p.id(), unit);
    }
    List<List<TransactWriteItem>> units = new ArrayList<>(unitsByPerson.values());
    for (Map.Entry<IdentityKey, PersonId> c : claims.entrySet()) {
      TransactWriteItem put =
          conditionalPut(identityItem(c.getKey(), c.getValue(), false, expiresAt), now);
      List<TransactWriteItem> unit = unitsByPerson.get(c.getValue());
      if (unit != null) {
        unit.add(put);
      } else {
        units.add(List.of(put));
      }
    }
    List<List<TransactWriteItem>> groups = new ArrayList<>();
    List<TransactWriteItem> current = new ArrayList<>();
    for (List<TransactWriteItem> unit : units) {
      if (unit.size() > MAX_TRANSACT_ITEMS) {
        throw new IllegalArgumentException(
            "one person carries "
                + (unit.size() - 1)
                + " claims; at most "
                + (MAX_TRANSACT_ITEMS - 1)
                + " fit one transaction");
      }
      if (current.size() + unit.size() > MAX_TRANSACT_ITEMS) {
        groups.add(current);
        current = new ArrayList<>();
      }
      current.addAll(unit);
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    // Groups are self-contained (see the class comment), so they are written at once.
    List<java.util.function.Supplier<Boolean>> writes = new ArrayList<>();
    for (List<TransactWriteItem> group : groups) {
      writes.add(() -> transact("TransactWriteItems(claim)", group));
    }
    return batches.all(writes).stream().allMatch(Boolean::booleanValue);
  }

  /** Put only if the item is absent or expired (expired items are invisible to reads). */
  private TransactWriteItem conditionalPut(Map<String, AttributeValue> item, long now) {
    return TransactWriteItem.builder()
        .put(
            p ->
                p.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now")
                    .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", n(now))))
        .build();
  }

  @Override
  public void markAmbiguous(IdentityKey key, long expiresAt) {
    String pk = identityPk(key);
    try {
      ddb.updateItem(
          b ->
              b.tableName(table)
                  .key(key(pk, SK_ID))
                  .updateExpression("SET ambiguous = :t, #exp = :exp, #xpk = :xpk")
                  .conditionExpression("attribute_exists(#pk)")
                  .expressionAttributeNames(
                      Map.of("#pk", PK, "#exp", EXPIRES_AT, "#xpk", EXPIRY_PK))
                  .expressionAttributeValues(
                      Map.of(
                          ":t",
                          AttributeValue.fromBool(true),
                          ":exp",
                          n(expiresAt),
                          ":xpk",
                          s(DynamoDbTables.expiryPk(pk, expiresAt)))));
    } catch (ConditionalCheckFailedException gone) {
      // The claim no longer exists (swept after expiry): there is nothing left to stop linking.
    } catch (SdkException e) {
      throw AwsAdapterException.of("UpdateItem(markAmbiguous)", e);
    }
  }

  @Override
  public boolean merge(MergeRecord merge, long expiresAt) {
    long now = clock.instant().getEpochSecond();
    String loserPk = personPk(merge.merged());
    String survivorPk = personPk(merge.survivor());
    String activeAndLive =
        "attribute_exists(#pk) AND attribute_not_exists(mergedInto) AND #exp > :now";
    Map<String, String> names = Map.of("#pk", PK, "#exp", EXPIRES_AT);
    TransactWriteItem markLoser =
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName(table)
                        .key(key(loserPk, SK_PERSON))
                        .updateExpression("SET mergedInto = :s, #exp = :newExp, #xpk = :xpk")
                        .conditionExpression(activeAndLive)
                        .expressionAttributeNames(
                            Map.of("#pk", PK, "#exp", EXPIRES_AT, "#xpk", EXPIRY_PK))
                        .expressionAttributeValues(
                            Map.of(
                                ":s",
                                s(merge.survivor().value()),
                                ":now",
                                n(now),
                                ":newExp",
                                n(expiresAt),
                                ":xpk",
                                s(DynamoDbTables.expiryPk(loserPk, expiresAt)))))
            .build();
    TransactWriteItem survivorActive =
        TransactWriteItem.builder()
            .conditionCheck(
                c ->
                    c.tableName(table)
                        .key(key(survivorPk, SK_PERSON))
                        .conditionExpression(activeAndLive)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":now", n(now))))
            .build();
    Map<String, AttributeValue> record = base(loserPk, SK_MERGE, expiresAt);
    record.put("survivor", s(merge.survivor().value()));
    record.put("merged", s(merge.merged().value()));
    // Indexed under the survivor, so subject access finds every person merged into it by query.
    record.put(GSI1_PK, s(personPk(merge.survivor())));
    record.put(GSI1_SK, s(MERGED_PREFIX + merge.merged().value()));
    if (merge.bridgedBy() != null) {
      record.put("bridgedBy", s(merge.bridgedBy().name()));
    }
    putIfPresent(record, "fileId", merge.fileId());
    putIfPresent(record, "reviewId", merge.reviewId());
    LinkedItems.putBridge(record, merge.probabilistic());
    record.put("at", s(merge.at().toString()));
    TransactWriteItem putRecord =
        TransactWriteItem.builder().put(p -> p.tableName(table).item(record)).build();
    return transact("TransactWriteItems(merge)", List.of(markLoser, survivorActive, putRecord));
  }

  @Override
  public boolean split(MergeRecord merge, long expiresAt) {
    if (merge.inForce()) {
      throw new IllegalArgumentException("split takes the merge record as split");
    }
    long now = clock.instant().getEpochSecond();
    String loserPk = personPk(merge.merged());
    TransactWriteItem reactivate =
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName(table)
                        .key(key(loserPk, SK_PERSON))
                        .updateExpression("SET #exp = :newExp, #xpk = :xpk REMOVE mergedInto")
                        .conditionExpression("mergedInto = :s AND #exp > :now")
                        .expressionAttributeNames(Map.of("#exp", EXPIRES_AT, "#xpk", EXPIRY_PK))
                        .expressionAttributeValues(
                            Map.of(
                                ":s",
                                s(merge.survivor().value()),
                                ":now",
                                n(now),
                                ":newExp",
                                n(expiresAt),
                                ":xpk",
                                s(DynamoDbTables.expiryPk(loserPk, expiresAt)))))
            .build();
    // The merge item stays as evidence, marked split, and leaves the survivor's byPerson index:
    // subject access and the sweep no longer count the merged person as part of the survivor.
    TransactWriteItem markSplit =
        TransactWriteItem.builder()
            .update(
                u ->
                    u.tableName(table)
                        .key(key(loserPk, SK_MERGE))
                        .updateExpression(
                            "SET splitAt = :at, splitBy = :by, #exp = :newExp, #xpk = :xpk"
                                + " REMOVE #g1pk, #g1sk")
                        .conditionExpression(
                            "survivor = :s AND attribute_not_exists(splitAt) AND #exp > :now AND "
                                + (merge.reviewId() == null
                                    ? "attribute_not_exists(reviewId)"
                                    : "reviewId = :rid"))
                        .expressionAttributeNames(
                            Map.of(
                                "#exp",
                                EXPIRES_AT,
                                "#xpk",
                                EXPIRY_PK,
                                "#g1pk",
                                GSI1_PK,
                                "#g1sk",
                                GSI1_SK))
                        .expressionAttributeValues(splitValues(merge, now, expiresAt, loserPk)))
            .build();
    return transact("TransactWriteItems(split)", List.of(reactivate, markSplit));
  }

  private static Map<String, AttributeValue> splitValues(
      MergeRecord merge, long now, long expiresAt, String loserPk) {
    Map<String, AttributeValue> values =
        new HashMap<>(
            Map.of(
                ":s",
                s(merge.survivor().value()),
                ":at",
                s(merge.split().at().toString()),
                ":by",
                s(merge.split().by()),
                ":now",
                n(now),
                ":newExp",
                n(expiresAt),
                ":xpk",
                s(DynamoDbTables.expiryPk(loserPk, expiresAt))));
    if (merge.reviewId() != null) {
      values.put(":rid", s(merge.reviewId()));
    }
    return values;
  }

  /** Runs one transaction; false when it was cancelled by a failed condition (a lost race). */
  private boolean transact(String operation, List<TransactWriteItem> items) {
    for (int attempt = 1; ; attempt++) {
      try {
        ddb.transactWriteItems(b -> b.transactItems(items));
        return true;
      } catch (TransactionCanceledException e) {
        if (!throttledOnly(e) || attempt >= retry.maxAttempts()) {
          return cancelled(operation, e);
        }
      } catch (SdkException e) {
        if (!(e instanceof AwsServiceException service)
            || !DynamoDbRetry.isThrottling(service)
            || attempt >= retry.maxAttempts()) {
          throw AwsAdapterException.of(operation, e);
        }
      }
      retry.backOff(operation, attempt);
    }
  }

  /** A cancellation caused by throttling alone (no failed condition): worth a retry. */
  private static boolean throttledOnly(TransactionCanceledException e) {
    if (!e.hasCancellationReasons()) {
      return false;
    }
    boolean throttled = false;
    for (CancellationReason r : e.cancellationReasons()) {
      if ("ConditionalCheckFailed".equals(r.code())) {
        return false;
      }
      throttled |=
          "ThrottlingError".equals(r.code()) || "ProvisionedThroughputExceeded".equals(r.code());
    }
    return throttled;
  }

  /** False when a failed condition cancelled the transaction (a lost race); else throws. */
  private static boolean cancelled(String operation, TransactionCanceledException e) {
    if (e.hasCancellationReasons()) {
      for (CancellationReason r : e.cancellationReasons()) {
        if ("ConditionalCheckFailed".equals(r.code())) {
          return false;
        }
      }
    }
    throw AwsAdapterException.of(operation, e);
  }

  @Override
  public Map<String, RecordPlacement> placements(
      String dataset, Collection<String> recordTokens, Instant now) {
    Map<String, String> tokenByPk = new LinkedHashMap<>();
    for (String token : recordTokens) {
      tokenByPk.put(recordPk(dataset, token), token);
    }
    Map<String, RecordPlacement> out = new HashMap<>();
    for (Map<String, AttributeValue> item :
        batchGet(
            tokenByPk.keySet(),
            SK_REC,
            now,
            "#pk, person, familyKind, familyToken, bridged, #exp")) {
      out.put(
          tokenByPk.get(item.get(PK).s()),
          new RecordPlacement(
              new PersonId(item.get("person").s()), familyOf(item), LinkedItems.bridgedOf(item)));
    }
    return out;
  }

  @Override
  public void noteReleased(Collection<ReleasedLink> released, long expiresAt) {
    Map<PersonId, Set<String>> families = new LinkedHashMap<>();
    for (ReleasedLink link : released) {
      Set<String> set = families.computeIfAbsent(link.person(), p -> new LinkedHashSet<>());
      if (link.family() != null) {
        set.add(link.family().asString());
      }
    }
    for (Map.Entry<PersonId, Set<String>> e : families.entrySet()) {
      Map<String, String> names = new HashMap<>(Map.of("#exp", EXPIRES_AT, "#xpk", EXPIRY_PK));
      Map<String, AttributeValue> values =
          new HashMap<>(
              Map.of(
                  ":one",
                  n(1),
                  ":exp",
                  n(expiresAt),
                  ":xpk",
                  s(DynamoDbTables.expiryPk(RELEASED_PK, expiresAt))));
      String add = "ADD version :one";
      if (!e.getValue().isEmpty()) {
        add += ", families :f";
        values.put(":f", AttributeValue.fromSs(List.copyOf(e.getValue())));
      }
      String update = add + " SET #exp = :exp, #xpk = :xpk";
      call(
          "UpdateItem(noteReleased)",
          () ->
              ddb.updateItem(
                  b ->
                      b.tableName(table)
                          .key(key(RELEASED_PK, personPk(e.getKey())))
                          .updateExpression(update)
                          .expressionAttributeNames(names)
                          .expressionAttributeValues(values)));
    }
  }

  @Override
  public void putRecords(List<LinkedRecord> records) {
    Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
    for (LinkedRecord r : records) {
      Map<String, AttributeValue> item = recordItem(r);
      items.put(item.get(PK).s(), item); // last wins: BatchWriteItem rejects duplicate keys
    }
    batchWrite(items.values());
  }

  @Override
  public void putMemberships(List<FamilyMembership> memberships) {
    Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
    for (FamilyMembership m : memberships) {
      Map<String, AttributeValue> item = membershipItem(m);
      items.put(item.get(PK).s() + "\u0000" + item.get(SK).s(), item);
    }
    batchWrite(items.values());
  }

  /**
   * BatchWriteItem in pages of 25, written at once ({@link DynamoDbBatches}), each resending its
   * UnprocessedItems and throttled calls ({@link DynamoDbRetry}).
   */
  private void batchWrite(Collection<Map<String, AttributeValue>> items) {
    List<WriteRequest> all = new ArrayList<>(items.size());
    for (Map<String, AttributeValue> item : items) {
      all.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    List<java.util.function.Supplier<Void>> pages = new ArrayList<>();
    for (int from = 0; from < all.size(); from += MAX_BATCH_WRITE) {
      List<WriteRequest> page = all.subList(from, Math.min(all.size(), from + MAX_BATCH_WRITE));
      pages.add(
          () -> {
            batchWritePage(page);
            return null;
          });
    }
    batches.all(pages);
  }

  private void batchWritePage(List<WriteRequest> page) {
    retry.batchWrite(ddb, "BatchWriteItem", table, page);
  }

  private <T> T call(String operation, java.util.function.Supplier<T> body) {
    return retry.call(operation, body);
  }
}
