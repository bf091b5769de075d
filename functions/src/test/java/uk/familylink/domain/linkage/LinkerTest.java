package uk.familylink.domain.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.need.Need;
import uk.familylink.fakes.InMemoryLinkedData;

class LinkerTest {

  private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();
  private static final LinkContext CONTEXT =
      new LinkContext("police", "police-incidents", "file-1", EXPIRES);

  private final InMemoryLinkedData store = new InMemoryLinkedData();
  private final AtomicLong ids = new AtomicLong();
  private final Linker linker =
      new Linker(
          store,
          () -> new PersonId(String.format("P%06d", ids.incrementAndGet())),
          Clock.fixed(NOW, ZoneOffset.UTC));

  private static IdentityKey nhs(String t) {
    return new IdentityKey(LinkKeyKind.NHS_NUMBER, t);
  }

  private static IdentityKey nino(String t) {
    return new IdentityKey(LinkKeyKind.NINO, t);
  }

  private static IdentityKey nameDob(String t) {
    return new IdentityKey(LinkKeyKind.NAME_DOB, t);
  }

  private static IdentityKey nameDobPc(String t) {
    return new IdentityKey(LinkKeyKind.NAME_DOB_POSTCODE, t);
  }

  private static PseudonymisedRow row(
      String recordToken, List<IdentityKey> strong, List<IdentityKey> composite) {
    return row(recordToken, strong, composite, null);
  }

  private static PseudonymisedRow row(
      String recordToken, List<IdentityKey> strong, List<IdentityKey> composite, FamilyKey family) {
    return new PseudonymisedRow(
        1,
        strong,
        composite,
        recordToken,
        family,
        family == null ? null : "CHILD",
        Set.of(Need.CRIME),
        null,
        "2012-04",
        false,
        Map.of());
  }

  private Map<String, PersonId> personByRecord() {
    Map<String, PersonId> result = new java.util.HashMap<>();
    Map<PersonId, PersonId> mergedInto = new java.util.HashMap<>();
    store.forEachPerson(
        NOW,
        p -> {
          if (!p.isActive()) mergedInto.put(p.id(), p.mergedInto());
        });
    store.forEachRecord(
        NOW,
        r -> {
          PersonId p = r.person();
          while (mergedInto.containsKey(p)) {
            p = mergedInto.get(p);
          }
          result.put(r.recordToken(), p);
        });
    return result;
  }

  private long activePersons() {
    long[] n = {0};
    store.forEachPerson(
        NOW,
        p -> {
          if (p.isActive()) n[0]++;
        });
    return n[0];
  }

  @Test
  void rowsSharingAStrongIdentifierBecomeOnePerson() {
    LinkStats stats = new LinkStats();
    linker.link(List.of(row("r1", List.of(nhs("a")), List.of())), CONTEXT, stats);
    linker.link(List.of(row("r2", List.of(nhs("a")), List.of())), CONTEXT, stats);

    assertThat(personByRecord().get("r1")).isEqualTo(personByRecord().get("r2"));
    assertThat(activePersons()).isEqualTo(1);
    assertThat(stats.newPersons()).isEqualTo(1);
    assertThat(stats.linkedToExisting()).isEqualTo(1);
  }

  @Test
  void aRecordBridgingTwoPersonsMergesThemAndTheOlderKeepsItsId() {
    LinkStats stats = new LinkStats();
    linker.link(List.of(row("r1", List.of(nhs("a")), List.of())), CONTEXT, stats);
    linker.link(List.of(row("r2", List.of(nino("b")), List.of())), CONTEXT, stats);
    PersonId first = personByRecord().get("r1");

    linker.link(List.of(row("r3", List.of(nhs("a"), nino("b")), List.of())), CONTEXT, stats);

    Map<String, PersonId> persons = personByRecord();
    assertThat(persons.get("r2")).isEqualTo(first);
    assertThat(persons.get("r3")).isEqualTo(first);
    assertThat(activePersons()).isEqualTo(1);
    List<MergeRecord> merges = new ArrayList<>();
    store.forEachMerge(NOW, merges::add);
    assertThat(merges)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.survivor()).isEqualTo(first);
              assertThat(m.bridgedBy()).isEqualTo(LinkKeyKind.NINO);
              assertThat(m.fileId()).isEqualTo("file-1");
            });
  }

  @Test
  void bridgingWithinOneChunkCollapsesNewPersonsWithoutAMergeRecord() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(
            row("r1", List.of(nhs("a")), List.of()),
            row("r2", List.of(nino("b")), List.of()),
            row("r3", List.of(nhs("a"), nino("b")), List.of())),
        CONTEXT,
        stats);

    assertThat(new HashSet<>(personByRecord().values())).hasSize(1);
    assertThat(activePersons()).isEqualTo(1);
    assertThat(stats.newPersons()).isEqualTo(1);
  }

  @Test
  void nameDobAndPostcodeLinksARowWithoutStrongIdentifiers() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(row("r1", List.of(nhs("a")), List.of(nameDobPc("x"), nameDob("y")))),
        CONTEXT,
        stats);
    linker.link(
        List.of(row("r2", List.of(), List.of(nameDobPc("x"), nameDob("y")))), CONTEXT, stats);
    linker.link(
        List.of(row("r3", List.of(), List.of(nameDobPc("moved"), nameDob("y")))), CONTEXT, stats);

    Map<String, PersonId> persons = personByRecord();
    assertThat(persons.get("r2")).isEqualTo(persons.get("r1"));
    assertThat(persons.get("r3"))
        .as("name + DOB alone links a row with no strong identifier")
        .isEqualTo(persons.get("r1"));
  }

  @Test
  void nameDobAloneDoesNotJoinRowsThatHaveTheirOwnStrongIdentifiers() {
    LinkStats stats = new LinkStats();
    linker.link(List.of(row("r1", List.of(nhs("a")), List.of(nameDob("y")))), CONTEXT, stats);
    linker.link(List.of(row("r2", List.of(nino("b")), List.of(nameDob("y")))), CONTEXT, stats);

    Map<String, PersonId> persons = personByRecord();
    assertThat(persons.get("r2")).isNotEqualTo(persons.get("r1"));
    assertThat(stats.ambiguousComposites()).isEqualTo(1);
    // the shared composite is now ambiguous, so a weak row cannot pick either person
    linker.link(List.of(row("r3", List.of(), List.of(nameDob("y")))), CONTEXT, stats);
    Map<String, PersonId> after = personByRecord();
    assertThat(after.get("r3")).isNotIn(after.get("r1"), after.get("r2"));
  }

  @Test
  void relinkingTheSameRowsIsIdempotent() {
    List<PseudonymisedRow> rows =
        List.of(
            row("r1", List.of(nhs("a")), List.of(nameDob("y")), new FamilyKey("FAMILY_REF", "f1")),
            row("r2", List.of(nhs("b")), List.of(), new FamilyKey("FAMILY_REF", "f1")));
    linker.link(rows, CONTEXT, new LinkStats());
    Map<String, PersonId> before = personByRecord();
    LinkStats second = new LinkStats();
    linker.link(rows, CONTEXT, second);

    assertThat(personByRecord()).isEqualTo(before);
    assertThat(second.newPersons()).isZero();
    assertThat(second.identitiesClaimed()).isZero();
    List<FamilyMembership> members = new ArrayList<>();
    store.forEachMembership(NOW, members::add);
    assertThat(members).hasSize(2);
  }

  @Test
  void aCorrectionThatMovesARecordNotesThePersonAndFamilyItLeftAndARepeatNotesNothing() {
    FamilyKey f1 = new FamilyKey("FAMILY_REF", "f1");
    FamilyKey f2 = new FamilyKey("FAMILY_REF", "f2");
    linker.link(
        List.of(
            row("r1", List.of(nhs("wrong")), List.of(), f1),
            row("r2", List.of(nhs("b")), List.of(), f1)),
        CONTEXT,
        new LinkStats());
    PersonId wrong = personByRecord().get("r1");
    PersonId stays = personByRecord().get("r2");
    LinkStats repeat = new LinkStats();
    linker.link(List.of(row("r2", List.of(nhs("b")), List.of(), f1)), CONTEXT, repeat);
    assertThat(store.released).as("re-sending an unchanged row releases nothing").isEmpty();
    assertThat(repeat.linksReleased()).isZero();

    LinkStats correction = new LinkStats();
    linker.link(
        List.of(
            row("r1", List.of(nhs("right")), List.of(), f1),
            row("r2", List.of(nhs("b")), List.of(), f2)),
        CONTEXT,
        correction);

    assertThat(store.released)
        .containsExactlyInAnyOrder(
            new ReleasedLink(wrong, f1), // r1 moved to another person
            new ReleasedLink(stays, f1)); // r2 kept its person but moved family
    assertThat(correction.linksReleased()).isEqualTo(2);
    assertThat(personByRecord().get("r1")).isNotEqualTo(wrong);
  }

  @Test
  void aLostRaceIsRetriedRowByRowAndStillLinksCorrectly() {
    store.failClaimsRemaining = 1;
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(row("r1", List.of(nhs("a")), List.of()), row("r2", List.of(nhs("a")), List.of())),
        CONTEXT,
        stats);

    assertThat(stats.retries()).isGreaterThanOrEqualTo(1);
    assertThat(activePersons()).isEqualTo(1);
    assertThat(personByRecord().get("r1")).isEqualTo(personByRecord().get("r2"));
  }

  @Test
  void expiredIdentitiesAndPersonsAreIgnoredAndCanBeClaimedAgain() {
    LinkContext expired =
        new LinkContext("police", "police-incidents", "f", NOW.getEpochSecond() - 1);
    linker.link(List.of(row("old", List.of(nhs("a")), List.of())), expired, new LinkStats());
    LinkStats stats = new LinkStats();

    linker.link(List.of(row("new", List.of(nhs("a")), List.of())), CONTEXT, stats);

    assertThat(stats.newPersons()).as("an expired person is never linked to").isEqualTo(1);
    assertThat(personByRecord()).containsOnlyKeys("new");
    assertThat(store.getIdentities(List.of(nhs("a")), NOW)).hasSize(1);
  }

  @Test
  void concurrentIngestsAboutTheSamePeopleCreateNoDuplicates() throws Exception {
    int people = 300;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int worker = 0; worker < 4; worker++) {
      int w = worker;
      futures.add(
          pool.submit(
              () -> {
                start.await();
                List<PseudonymisedRow> chunk = new ArrayList<>();
                for (int i = 0; i < people; i++) {
                  // every worker sees every person, each through a different mix of identifiers
                  List<IdentityKey> strong =
                      (i + w) % 2 == 0
                          ? List.of(nhs("n" + i))
                          : List.of(nhs("n" + i), nino("i" + i));
                  chunk.add(row("w" + w + "-" + i, strong, List.of(nameDob("d" + i))));
                  if (chunk.size() == 50) {
                    linker.link(chunk, CONTEXT, new LinkStats());
                    chunk = new ArrayList<>();
                  }
                }
                linker.link(chunk, CONTEXT, new LinkStats());
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();

    assertThat(activePersons()).isEqualTo(people);
    Map<String, PersonId> persons = personByRecord();
    for (int i = 0; i < people; i++) {
      PersonId p = persons.get("w0-" + i);
      for (int w = 1; w < 4; w++) {
        assertThat(persons.get("w" + w + "-" + i)).isEqualTo(p);
      }
    }
  }
}
