package uk.familylink.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkStore;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.RecordPlacement;
import uk.familylink.domain.linkage.ReviewQueue;
import uk.familylink.domain.need.Need;

/**
 * What the linker and the population reads rely on from {@link LinkStore} and {@link
 * LinkedDataReader}, run unchanged against the in-memory fake and every DynamoDB endpoint, so the
 * fake cannot drift from the adapter (atomic claims, expiry, liveness of merges, upserts).
 *
 * <p>The store under test reads its time from a clock fixed at {@link #NOW}; every test uses fresh
 * random keys, so one store may serve the whole class.
 */
public abstract class LinkStoreContract {

  /** A store and its reader over the same data. */
  public record Stores(LinkStore store, LinkedDataReader reader) {}

  protected static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  protected static final long LIVE = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  /** The store under test, its clock at {@link #NOW}. */
  protected abstract Stores stores();

  private LinkStore store() {
    return stores().store();
  }

  private LinkedDataReader reader() {
    return stores().reader();
  }

  protected static IdentityKey key(LinkKeyKind kind) {
    return new IdentityKey(kind, UUID.randomUUID().toString());
  }

  protected static PersonId newId() {
    return new PersonId(UUID.randomUUID().toString());
  }

  // ---- claims --------------------------------------------------------------------------------

  @Test
  void claimCreatesPersonAndIdentities() {
    PersonId p = newId();
    IdentityKey nhs = key(LinkKeyKind.NHS_NUMBER);
    IdentityKey nameDob = key(LinkKeyKind.NAME_DOB);

    boolean claimed =
        store().claim(List.of(PersonEntry.created(p, NOW)), Map.of(nhs, p, nameDob, p), LIVE, NOW);

    assertThat(claimed).isTrue();
    assertThat(store().getIdentities(List.of(nhs, nameDob, key(LinkKeyKind.NINO)), NOW))
        .containsOnly(
            Map.entry(nhs, new IdentityEntry(nhs, p, false)),
            Map.entry(nameDob, new IdentityEntry(nameDob, p, false)));
    assertThat(store().getPersons(List.of(p, newId()), NOW))
        .containsOnly(Map.entry(p, PersonEntry.created(p, NOW)));
  }

  @Test
  void aClaimOfATakenKeyOrAnExistingPersonWritesNothing() {
    PersonId first = newId();
    IdentityKey shared = key(LinkKeyKind.NHS_NUMBER);
    assertThat(
            store()
                .claim(List.of(PersonEntry.created(first, NOW)), Map.of(shared, first), LIVE, NOW))
        .isTrue();

    PersonId second = newId();
    IdentityKey fresh = key(LinkKeyKind.NINO);
    assertThat(
            store()
                .claim(
                    List.of(PersonEntry.created(second, NOW)),
                    new LinkedHashMap<>(Map.of(fresh, second, shared, second)),
                    LIVE,
                    NOW))
        .isFalse();
    // all or nothing: neither the new person nor the free key was written
    assertThat(store().getPersons(List.of(second), NOW)).isEmpty();
    assertThat(store().getIdentities(List.of(fresh), NOW)).isEmpty();
    assertThat(store().getIdentities(List.of(shared), NOW).get(shared).person()).isEqualTo(first);

    // an existing live person cannot be created again either
    IdentityKey another = key(LinkKeyKind.UPN);
    assertThat(
            store()
                .claim(List.of(PersonEntry.created(first, NOW)), Map.of(another, first), LIVE, NOW))
        .isFalse();
    assertThat(store().getIdentities(List.of(another), NOW)).isEmpty();
  }

  @Test
  void expiredItemsAreInvisibleFromTheirExpiryAndDoNotBlockANewClaim() {
    PersonId old = newId();
    IdentityKey k = key(LinkKeyKind.UPN);
    long expiresAt = NOW.getEpochSecond() - 1;
    assertThat(
            store()
                .claim(
                    List.of(PersonEntry.created(old, NOW.minusSeconds(3600))),
                    Map.of(k, old),
                    expiresAt,
                    NOW.minusSeconds(3600)))
        .isTrue();

    assertThat(store().getIdentities(List.of(k), NOW)).isEmpty();
    assertThat(store().getPersons(List.of(old), NOW)).isEmpty();
    assertThat(store().getIdentities(List.of(k), Instant.ofEpochSecond(expiresAt))).isEmpty();
    assertThat(store().getIdentities(List.of(k), Instant.ofEpochSecond(expiresAt - 1)))
        .containsKey(k);

    PersonId next = newId();
    assertThat(store().claim(List.of(PersonEntry.created(next, NOW)), Map.of(k, next), LIVE, NOW))
        .isTrue();
    assertThat(store().getIdentities(List.of(k), NOW).get(k))
        .isEqualTo(new IdentityEntry(k, next, false));
  }

  @Test
  void largeClaimsAreReadBackWhole() {
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

    assertThat(store().claim(persons, claims, LIVE, NOW)).isTrue();

    List<IdentityKey> lookup = new ArrayList<>(claims.keySet());
    lookup.add(key(LinkKeyKind.PNC_ID)); // unclaimed: must be absent
    Map<IdentityKey, IdentityEntry> found = store().getIdentities(lookup, NOW);
    assertThat(found).hasSize(160);
    claims.forEach((k, p) -> assertThat(found.get(k).person()).isEqualTo(p));
    assertThat(store().getPersons(persons.stream().map(PersonEntry::id).toList(), NOW)).hasSize(40);
  }

  @Test
  void markAmbiguousFlagsAnExistingKeyWithTheNewExpiryAndCreatesNothingForAMissingOne() {
    PersonId p = newId();
    IdentityKey composite = key(LinkKeyKind.NAME_DOB_POSTCODE);
    store().claim(List.of(PersonEntry.created(p, NOW)), Map.of(composite, p), LIVE, NOW);

    store().markAmbiguous(composite, LIVE + 10);
    store().markAmbiguous(composite, LIVE + 10); // idempotent

    assertThat(store().getIdentities(List.of(composite), NOW).get(composite))
        .isEqualTo(new IdentityEntry(composite, p, true));
    // the flag lives as long as the newest evidence for it, not the first claim
    assertThat(store().getIdentities(List.of(composite), Instant.ofEpochSecond(LIVE + 5)))
        .containsKey(composite);
    assertThat(store().getIdentities(List.of(composite), Instant.ofEpochSecond(LIVE + 10)))
        .isEmpty();

    IdentityKey missing = key(LinkKeyKind.NAME_DOB);
    store().markAmbiguous(missing, LIVE);
    assertThat(store().getIdentities(List.of(missing), NOW)).isEmpty();
  }

  // ---- merges --------------------------------------------------------------------------------

  @Test
  void aMergeSucceedsOnceAndLaterConflictingMergesLose() {
    PersonId survivor = newId();
    PersonId loser = newId();
    PersonId third = newId();
    store()
        .claim(
            List.of(
                PersonEntry.created(survivor, NOW.minusSeconds(60)),
                PersonEntry.created(loser, NOW),
                PersonEntry.created(third, NOW.plusSeconds(1))),
            Map.of(),
            LIVE,
            NOW);

    MergeRecord merge = new MergeRecord(survivor, loser, LinkKeyKind.NHS_NUMBER, "file-1", NOW);
    assertThat(store().merge(merge, LIVE + 20)).isTrue();
    assertThat(store().merge(new MergeRecord(third, loser, LinkKeyKind.NINO, "file-2", NOW), LIVE))
        .as("the loser is merged already")
        .isFalse();
    assertThat(store().merge(new MergeRecord(loser, third, LinkKeyKind.NINO, "file-2", NOW), LIVE))
        .as("nobody merges into a merged person")
        .isFalse();

    Map<PersonId, PersonEntry> persons = store().getPersons(List.of(survivor, loser, third), NOW);
    assertThat(persons.get(loser).mergedInto()).isEqualTo(survivor);
    assertThat(persons.get(survivor).isActive()).isTrue();
    assertThat(persons.get(third).isActive()).isTrue();
    // the merged person's pointer lives as long as the merge evidence
    assertThat(store().getPersons(List.of(loser), Instant.ofEpochSecond(LIVE + 10)))
        .containsKey(loser);

    List<MergeRecord> merges = new ArrayList<>();
    reader()
        .forEachMerge(
            NOW,
            m -> {
              if (Set.of(survivor, loser, third).contains(m.merged())) {
                merges.add(m);
              }
            });
    assertThat(merges).containsExactly(merge);
  }

  @Test
  void aTierThreeBridgeMergeKeepsItsScoresAndReadsBackAsStored() {
    PersonId survivor = newId();
    PersonId loser = newId();
    store()
        .claim(
            List.of(
                PersonEntry.created(survivor, NOW.minusSeconds(60)),
                PersonEntry.created(loser, NOW)),
            Map.of(),
            LIVE,
            NOW);
    MergeRecord bridge =
        MergeRecord.bridge(
            survivor,
            loser,
            "file-3",
            NOW,
            new MergeRecord.ProbabilisticBridge(
                25.5, 21.75, 13.875, "GIVEN_NAME=EXACT;POSTCODE=MISSING", "fs-v1.1-prior"));

    assertThat(store().merge(bridge, LIVE)).isTrue();

    assertThat(store().getPersons(List.of(loser), NOW).get(loser).mergedInto()).isEqualTo(survivor);
    List<MergeRecord> merges = new ArrayList<>();
    reader()
        .forEachMerge(
            NOW,
            m -> {
              if (m.merged().equals(loser)) {
                merges.add(m);
              }
            });
    assertThat(merges).containsExactly(bridge);
    assertThat(merges.get(0).bridgedBy()).isNull();
    assertThat(merges.get(0).reviewId()).isNull();
    assertThat(merges.get(0).probabilistic().household()).isFalse();

    // a household bridge (ADR 0144) keeps its kind
    PersonId member = newId();
    store().claim(List.of(PersonEntry.created(member, NOW)), Map.of(), LIVE, NOW);
    MergeRecord household =
        MergeRecord.bridge(
            survivor,
            member,
            "file-4",
            NOW,
            new MergeRecord.ProbabilisticBridge(
                19.0, 14.5, 14.5, "GIVEN_NAME=EXACT;POSTCODE=DIFFERENT", "fs-v1.1-prior", true));
    assertThat(store().merge(household, LIVE)).isTrue();
    List<MergeRecord> read = new ArrayList<>();
    reader()
        .forEachMerge(
            NOW,
            m -> {
              if (m.merged().equals(member)) {
                read.add(m);
              }
            });
    assertThat(read).containsExactly(household);
  }

  @Test
  void aMergeOfAnUnknownOrExpiredPersonLoses() {
    PersonId survivor = newId();
    PersonId expired = newId();
    store().claim(List.of(PersonEntry.created(survivor, NOW)), Map.of(), LIVE, NOW);
    store()
        .claim(
            List.of(PersonEntry.created(expired, NOW.minusSeconds(7200))),
            Map.of(),
            NOW.getEpochSecond(),
            NOW.minusSeconds(7200));

    assertThat(store().merge(new MergeRecord(survivor, newId(), LinkKeyKind.UPN, "f", NOW), LIVE))
        .isFalse();
    assertThat(store().merge(new MergeRecord(survivor, expired, LinkKeyKind.UPN, "f", NOW), LIVE))
        .as("an expired person awaiting deletion is not merged")
        .isFalse();
    assertThat(store().merge(new MergeRecord(expired, survivor, LinkKeyKind.UPN, "f", NOW), LIVE))
        .as("nor merged into")
        .isFalse();
    assertThat(store().getPersons(List.of(survivor), NOW).get(survivor).isActive()).isTrue();
  }

  // ---- records and memberships ---------------------------------------------------------------

  protected static LinkedRecord record(String dataset, int i, PersonId person, long expiresAt) {
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

  private List<LinkedRecord> recordsOf(String dataset) {
    List<LinkedRecord> read = new ArrayList<>();
    reader()
        .forEachRecord(
            NOW,
            r -> {
              if (r.dataset().equals(dataset)) {
                read.add(r);
              }
            });
    return read;
  }

  @Test
  void recordsAreReadBackLiveOnly() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    List<LinkedRecord> records =
        IntStream.range(0, 60).mapToObj(i -> record(dataset, i, person, LIVE)).toList();
    List<LinkedRecord> all = new ArrayList<>(records);
    all.add(record(dataset, 999, person, NOW.getEpochSecond()));

    store().putRecords(all);

    assertThat(recordsOf(dataset)).containsExactlyInAnyOrderElementsOf(records);
  }

  @Test
  void recordsUpsertByDatasetAndRecordTokenEvenWithinOneBatch() {
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

    store().putRecords(List.of(v1, v2AsToken1));
    store().putRecords(List.of(v2AsToken1));

    assertThat(recordsOf(dataset)).containsExactly(v2AsToken1);
  }

  @Test
  void placementsTellWhereStoredRecordsPointAndSkipNewAndExpiredOnes() {
    String dataset = "ds-" + UUID.randomUUID();
    PersonId person = newId();
    LinkedRecord withFamily = record(dataset, 1, person, LIVE);
    LinkedRecord withoutFamily = record(dataset, 4, person, LIVE);
    LinkedRecord expired = record(dataset, 5, person, NOW.getEpochSecond());
    store().putRecords(List.of(withFamily, withoutFamily, expired));

    Map<String, RecordPlacement> placements =
        store()
            .placements(
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
  void membershipsUpsertByFamilyAndPersonAndAreReadLiveOnly() {
    FamilyKey family = new FamilyKey("FAMILY_REF", UUID.randomUUID().toString());
    FamilyMembership m1 = new FamilyMembership(family, newId(), "PARENT", "housing", LIVE);
    FamilyMembership m2 = new FamilyMembership(family, newId(), "CHILD", "education", LIVE);
    FamilyMembership gone =
        new FamilyMembership(family, newId(), "CHILD", "education", NOW.getEpochSecond() - 5);

    store().putMemberships(List.of(m1, m2, m1, gone));

    List<FamilyMembership> read = new ArrayList<>();
    reader()
        .forEachMembership(
            NOW,
            m -> {
              if (m.family().equals(family)) {
                read.add(m);
              }
            });
    assertThat(read).containsExactlyInAnyOrder(m1, m2);
  }

  @Test
  void theReaderSkipsExpiredPersons() {
    PersonId live = newId();
    PersonId expired = newId();
    store().claim(List.of(PersonEntry.created(live, NOW)), Map.of(), LIVE, NOW);
    store().claim(List.of(PersonEntry.created(expired, NOW)), Map.of(), NOW.getEpochSecond(), NOW);

    List<PersonId> seen = new ArrayList<>();
    reader().forEachPerson(NOW, p -> seen.add(p.id()));

    assertThat(seen).contains(live).doesNotContain(expired);
  }

  // ---- review queue --------------------------------------------------------------------------

  private static LinkReview review(PersonId person, PersonId candidate, Instant at, long expires) {
    return new LinkReview(
        LinkReview.idOf(person, candidate),
        person,
        candidate,
        "education",
        "rec-" + UUID.randomUUID(),
        4.25,
        "GIVEN_NAME=EXACT;FAMILY_NAME=EXACT;DATE_OF_BIRTH=EXACT;POSTCODE=DIFFERENT",
        "fs-v1-prior",
        at,
        LinkReview.Status.PENDING,
        null,
        null,
        expires);
  }

  private List<String> pendingIds(ReviewQueue queue, List<String> among) {
    return queue.pending(NOW).stream().map(LinkReview::id).filter(among::contains).toList();
  }

  @Test
  void reviewsAreQueuedOncePerPairListedOldestFirstAndLeaveTheQueueWhenDecided() {
    ReviewQueue queue = store().reviewQueue().orElseThrow();
    LinkReview first = review(newId(), newId(), NOW.minusSeconds(20), LIVE);
    LinkReview second = review(newId(), newId(), NOW.minusSeconds(10), LIVE);
    LinkReview expired = review(newId(), newId(), NOW.minusSeconds(30), NOW.getEpochSecond());
    queue.queue(List.of(second, first, expired), NOW);
    List<String> ids = List.of(first.id(), second.id(), expired.id());

    assertThat(pendingIds(queue, ids)).containsExactly(first.id(), second.id());
    assertThat(queue.review(first.id(), NOW)).contains(first);
    assertThat(queue.review(expired.id(), NOW)).isEmpty();

    // the pair found again (other way round, another record): the stored review stands
    LinkReview again =
        review(/* person= */ first.candidate(), /* candidate= */ first.person(), NOW, LIVE);
    assertThat(again.id()).isEqualTo(first.id());
    queue.queue(List.of(again), NOW);
    assertThat(queue.review(first.id(), NOW)).contains(first);

    assertThat(queue.decide(first.id(), LinkReview.Status.KEPT_APART, "analyst", NOW, NOW))
        .isTrue();
    assertThat(queue.decide(first.id(), LinkReview.Status.LINKED, "other", NOW, NOW))
        .as("the first decision stands")
        .isFalse();
    assertThat(queue.decide(expired.id(), LinkReview.Status.LINKED, "other", NOW, NOW)).isFalse();
    assertThat(pendingIds(queue, ids)).containsExactly(second.id());
    assertThat(queue.review(first.id(), NOW).orElseThrow())
        .isEqualTo(first.decided(LinkReview.Status.KEPT_APART, "analyst", NOW));

    // a decided pair found again is not queued again
    queue.queue(List.of(again), NOW);
    assertThat(pendingIds(queue, ids)).containsExactly(second.id());
    assertThat(queue.review(first.id(), NOW).orElseThrow().status())
        .isEqualTo(LinkReview.Status.KEPT_APART);
  }

  @Test
  void aMergeDecidedOnReviewKeepsTheReviewAsItsEvidence() {
    PersonId survivor = newId();
    PersonId loser = newId();
    store()
        .claim(
            List.of(
                PersonEntry.created(survivor, NOW.minusSeconds(5)),
                PersonEntry.created(loser, NOW)),
            Map.of(),
            LIVE,
            NOW);
    String reviewId = LinkReview.idOf(survivor, loser);

    assertThat(store().merge(new MergeRecord(survivor, loser, null, null, NOW, reviewId), LIVE))
        .isTrue();

    List<MergeRecord> read = new ArrayList<>();
    reader()
        .forEachMerge(
            NOW,
            m -> {
              if (m.merged().equals(loser)) {
                read.add(m);
              }
            });
    assertThat(read).containsExactly(new MergeRecord(survivor, loser, null, null, NOW, reviewId));
    assertThat(store().getPersons(List.of(loser), NOW).get(loser).mergedInto()).isEqualTo(survivor);
  }

  @Test
  void aSplitReactivatesTheMergedPersonOnceAndKeepsTheMergeAsEvidence() {
    PersonId survivor = newId();
    PersonId loser = newId();
    PersonId other = newId();
    store()
        .claim(
            List.of(
                PersonEntry.created(survivor, NOW.minusSeconds(60)),
                PersonEntry.created(loser, NOW),
                PersonEntry.created(other, NOW.plusSeconds(1))),
            Map.of(),
            LIVE,
            NOW);
    MergeRecord merge = new MergeRecord(survivor, loser, LinkKeyKind.NHS_NUMBER, "file-1", NOW);
    assertThat(store().merge(merge, LIVE)).isTrue();
    MergeRecord.Split split = new MergeRecord.Split(NOW.plusSeconds(5), "analyst B");

    assertThat(
            store()
                .split(
                    new MergeRecord(other, loser, LinkKeyKind.NHS_NUMBER, "file-1", NOW)
                        .splitAs(split),
                    LIVE))
        .as("the loser is not merged into that person")
        .isFalse();
    assertThat(store().getPersons(List.of(loser), NOW).get(loser).mergedInto()).isEqualTo(survivor);

    assertThat(store().split(merge.splitAs(split), LIVE + 30)).isTrue();
    assertThat(store().split(merge.splitAs(split), LIVE + 30)).as("split once").isFalse();

    Map<PersonId, PersonEntry> persons = store().getPersons(List.of(survivor, loser), NOW);
    assertThat(persons.get(loser).isActive()).isTrue();
    assertThat(persons.get(loser).createdAt()).isEqualTo(NOW);
    assertThat(persons.get(survivor).isActive()).isTrue();
    assertThat(mergesOf(loser)).containsExactly(merge.splitAs(split));

    // the data team may join them again later: a new merge replaces the split one
    MergeRecord again = new MergeRecord(survivor, loser, null, null, NOW.plusSeconds(9), "r-2");
    assertThat(store().merge(again, LIVE)).isTrue();
    assertThat(mergesOf(loser)).containsExactly(again);
  }

  @Test
  void aSplitOfAMergeThatWasNeverMadeOrOfAnActivePersonWritesNothing() {
    PersonId a = newId();
    PersonId b = newId();
    store()
        .claim(
            List.of(PersonEntry.created(a, NOW.minusSeconds(1)), PersonEntry.created(b, NOW)),
            Map.of(),
            LIVE,
            NOW);
    MergeRecord never =
        new MergeRecord(a, b, LinkKeyKind.NHS_NUMBER, "f", NOW)
            .splitAs(new MergeRecord.Split(NOW, "analyst"));

    assertThat(store().split(never, LIVE)).isFalse();
    assertThat(store().getPersons(List.of(b), NOW).get(b).isActive()).isTrue();
    assertThat(mergesOf(b)).isEmpty();
  }

  @Test
  void aRecordedSplitOverridesAnEarlierDecisionOfThePairAndIsNotPending() {
    ReviewQueue queue = store().reviewQueue().orElseThrow();
    LinkReview linked = review(newId(), newId(), NOW.minusSeconds(20), LIVE);
    queue.queue(List.of(linked), NOW);
    assertThat(queue.decide(linked.id(), LinkReview.Status.LINKED, "analyst", NOW, NOW)).isTrue();
    MergeRecord merge =
        new MergeRecord(linked.candidate(), linked.person(), null, null, NOW, linked.id());

    LinkReview split = LinkReview.split(merge, "analyst B", NOW.plusSeconds(3), LIVE);
    queue.record(split);
    queue.record(split);

    assertThat(split.id()).isEqualTo(linked.id());
    assertThat(queue.review(linked.id(), NOW)).contains(split);
    assertThat(queue.review(linked.id(), NOW).orElseThrow().keepsApart()).isTrue();
    assertThat(pendingIds(queue, List.of(linked.id()))).isEmpty();

    // a bridged review reopened is pending again, listed in the queue
    LinkReview bridged = review(newId(), newId(), NOW.minusSeconds(5), LIVE);
    queue.queue(List.of(bridged), NOW);
    queue.decide(bridged.id(), LinkReview.Status.BRIDGED, LinkReview.BRIDGED_BY, NOW, NOW);
    assertThat(pendingIds(queue, List.of(bridged.id()))).isEmpty();
    queue.record(queue.review(bridged.id(), NOW).orElseThrow().reopened());
    assertThat(pendingIds(queue, List.of(bridged.id()))).containsExactly(bridged.id());
    assertThat(queue.review(bridged.id(), NOW)).contains(bridged);
  }

  private List<MergeRecord> mergesOf(PersonId merged) {
    List<MergeRecord> read = new ArrayList<>();
    reader()
        .forEachMerge(
            NOW,
            m -> {
              if (m.merged().equals(merged)) {
                read.add(m);
              }
            });
    return read;
  }

  @Test
  void aRecordNamesThePersonsItsRowBridgedAndItsPlacementSaysSo() {
    PersonId person = newId();
    PersonId merged = newId();
    String token = "rec-" + UUID.randomUUID();
    store()
        .putRecords(
            List.of(
                new LinkedRecord(
                    "police",
                    "police",
                    token,
                    person,
                    null,
                    Set.of(Need.CRIME),
                    null,
                    "2012-04",
                    false,
                    Map.of(),
                    "file-1",
                    LIVE,
                    Set.of(merged))));

    assertThat(store().placements("police", List.of(token), NOW).get(token))
        .isEqualTo(new RecordPlacement(person, null, Set.of(merged)));
    List<LinkedRecord> read = new ArrayList<>();
    reader()
        .forEachRecord(
            NOW,
            r -> {
              if (r.recordToken().equals(token)) {
                read.add(r);
              }
            });
    assertThat(read)
        .singleElement()
        .satisfies(r -> assertThat(r.bridged()).containsExactly(merged));
  }

  @Test
  void aSplitOfAnIngestsMergeDoesNotTouchAMergeDecidedOnReview() {
    PersonId survivor = newId();
    PersonId loser = newId();
    store()
        .claim(
            List.of(
                PersonEntry.created(survivor, NOW.minusSeconds(5)),
                PersonEntry.created(loser, NOW)),
            Map.of(),
            LIVE,
            NOW);
    assertThat(store().merge(new MergeRecord(survivor, loser, null, null, NOW, "r-1"), LIVE))
        .isTrue();
    MergeRecord.Split split = new MergeRecord.Split(NOW, "ingest");

    assertThat(
            store()
                .split(new MergeRecord(survivor, loser, null, "file-9", NOW).splitAs(split), LIVE))
        .isFalse();
    assertThat(store().getPersons(List.of(loser), NOW).get(loser).mergedInto()).isEqualTo(survivor);
  }
}
