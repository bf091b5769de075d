package uk.familylink.domain.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.DemographicEncoder;
import uk.familylink.domain.pseudonym.DemographicsSeal;
import uk.familylink.fakes.InMemoryCandidateIndex;
import uk.familylink.fakes.InMemoryLinkStoreWithIndex;
import uk.familylink.fakes.InMemoryLinkedData;

/**
 * Tier-3 bridges: a row that links to two persons merges them when the two are compatible, so the
 * persons found do not depend on the order files arrive in.
 */
class TierThreeBridgeTest {

  private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private final DemographicEncoder encoder = new DemographicEncoder(key());

  private static byte[] key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 5);
    return k;
  }

  /** One store, index and linker; a new one per upload order. */
  private static final class World {
    final InMemoryLinkedData data = new InMemoryLinkedData();
    final InMemoryCandidateIndex index = new InMemoryCandidateIndex();
    final AtomicLong ids = new AtomicLong();
    final LinkStats stats = new LinkStats();
    final Linker linker =
        new Linker(
            new InMemoryLinkStoreWithIndex(data, index),
            () -> new PersonId(String.format("P%06d", ids.incrementAndGet())),
            Clock.fixed(NOW, ZoneOffset.UTC),
            new DemographicsSeal(key()),
            new MatchScorer(MatchModel.prior()));

    void file(String fileId, PseudonymisedRow... rows) {
      linker.link(List.of(rows), new LinkContext("police", "police", fileId, EXPIRES), stats);
    }

    PersonId personOf(String ref) {
      Map<PersonId, PersonId> mergedInto = new HashMap<>();
      data.forEachPerson(
          NOW,
          p -> {
            if (!p.isActive()) {
              mergedInto.put(p.id(), p.mergedInto());
            }
          });
      PersonId[] found = new PersonId[1];
      data.forEachRecord(
          NOW,
          r -> {
            if (r.recordToken().equals(ref)) {
              found[0] = r.person();
            }
          });
      PersonId p = found[0];
      while (mergedInto.containsKey(p)) {
        p = mergedInto.get(p);
      }
      return p;
    }

    /** The records grouped by person, as sorted sets of refs (independent of person IDs). */
    Set<Set<String>> partition() {
      Map<PersonId, Set<String>> byPerson = new HashMap<>();
      List<String> refs = new ArrayList<>();
      data.forEachRecord(NOW, r -> refs.add(r.recordToken()));
      for (String ref : refs) {
        byPerson.computeIfAbsent(personOf(ref), p -> new TreeSet<>()).add(ref);
      }
      return new HashSet<>(byPerson.values());
    }

    List<MergeRecord> merges() {
      List<MergeRecord> out = new ArrayList<>();
      data.forEachMerge(NOW, out::add);
      return out;
    }
  }

  /** A row without strong identifiers; a null field is absent from the extract. */
  private PseudonymisedRow row(
      String ref, String given, String family, String dob, String postcode) {
    var encoded = encoder.encode(given, family, dob, postcode);
    List<IdentityKey> composites = new ArrayList<>();
    if (given != null && family != null && dob != null) {
      if (postcode != null) {
        composites.add(
            new IdentityKey(LinkKeyKind.NAME_DOB_POSTCODE, given + family + dob + postcode));
      }
      composites.add(new IdentityKey(LinkKeyKind.NAME_DOB, given + family + dob));
    }
    return new PseudonymisedRow(
        1,
        List.of(),
        composites,
        ref,
        null,
        null,
        Set.of(Need.CRIME),
        LocalDate.of(2025, 1, 1),
        dob == null ? null : dob.substring(0, 7),
        false,
        Map.of(),
        encoded.demographics(),
        encoded.blockKeys());
  }

  /** The row with one strong identifier (its keyed value stands in for the token). */
  private static PseudonymisedRow holding(PseudonymisedRow r, LinkKeyKind kind, String value) {
    return copy(r, List.of(new IdentityKey(kind, value)), r.family());
  }

  /** The row with these strong identifiers, under this family or household reference. */
  private static PseudonymisedRow copy(
      PseudonymisedRow r, List<IdentityKey> strongKeys, FamilyKey family) {
    return new PseudonymisedRow(
        r.rowNumber(),
        strongKeys,
        r.compositeKeys(),
        r.recordToken(),
        family,
        r.familyRole(),
        r.indicators(),
        r.eventDate(),
        r.birthYearMonth(),
        r.expectantParent(),
        r.attributes(),
        r.demographics(),
        r.blockKeys());
  }

  // Oliver Smith seen once without a postcode and once without a date of birth: the two score
  // names only (a possible link), so they stay two persons until a full record links to both.
  private PseudonymisedRow noPostcode() {
    return row("A", "OLIVER", "SMITH", "2012-03-07", null);
  }

  private PseudonymisedRow noDob() {
    return row("B", "OLIVER", "SMITH", null, "HR1 2AB");
  }

  private PseudonymisedRow full() {
    return row("C", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB");
  }

  @Test
  void aThirdRecordThatLinksToTwoCompatiblePersonsMergesThemWithItsEvidence() {
    World w = new World();
    w.file("file-1", noPostcode());
    w.file("file-2", noDob());
    PersonId first = w.personOf("A");
    PersonId second = w.personOf("B");
    assertThat(second).isNotEqualTo(first);
    List<LinkReview> pending = w.data.pending(NOW);
    assertThat(pending).as("names alone are a possible link").hasSize(1);
    String reviewId = pending.get(0).id();

    w.file("file-3", full());

    assertThat(w.personOf("A")).isEqualTo(first);
    assertThat(w.personOf("B")).as("the older survives and keeps its ID").isEqualTo(first);
    assertThat(w.personOf("C")).isEqualTo(first);
    assertThat(w.stats.bridgingMerges()).isEqualTo(1);
    assertThat(w.stats.merges()).isEqualTo(1);
    List<MergeRecord> merges = w.merges();
    assertThat(merges).hasSize(1);
    MergeRecord merge = merges.get(0);
    assertThat(merge.survivor()).isEqualTo(first);
    assertThat(merge.merged()).isEqualTo(second);
    assertThat(merge.fileId()).isEqualTo("file-3");
    assertThat(merge.bridgedBy()).isNull();
    assertThat(merge.reviewId()).isNull();
    MergeRecord.ProbabilisticBridge evidence = merge.probabilistic();
    assertThat(evidence).isNotNull();
    double link = MatchModel.prior().linkThreshold();
    assertThat(evidence.survivorWeight()).isGreaterThanOrEqualTo(link);
    assertThat(evidence.mergedWeight()).isGreaterThanOrEqualTo(link);
    assertThat(evidence.personsWeight())
        .isGreaterThanOrEqualTo(MatchModel.prior().possibleThreshold())
        .isLessThan(link);
    assertThat(evidence.modelVersion()).isEqualTo(MatchModel.prior().version());
    assertThat(evidence.fields())
        .contains("GIVEN_NAME=EXACT", "DATE_OF_BIRTH=MISSING")
        .doesNotContain("OLIVER", "SMITH", "HR1", "2012");

    // the pending review of the pair has nothing left to decide
    assertThat(w.data.pending(NOW)).isEmpty();
    LinkReview resolved = w.data.review(reviewId, NOW).orElseThrow();
    assertThat(resolved.status()).isEqualTo(LinkReview.Status.BRIDGED);
    assertThat(resolved.decidedBy()).isEqualTo(LinkReview.BRIDGED_BY);
    assertThat(w.stats.reviewsBridged()).isEqualTo(1);
  }

  @Test
  void twinsAreNotBridgedByARecordWithoutAGivenName() {
    World w = new World();
    w.file("file-1", row("T1", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"));
    w.file("file-2", row("T2", "AMELIA", "SMITH", "2012-03-07", "HR1 2AB"));
    // family name, birth date and postcode: a link to each twin by weight
    w.file("file-3", row("X", null, "SMITH", "2012-03-07", "HR1 2AB"));

    assertThat(w.personOf("T1")).isNotEqualTo(w.personOf("T2"));
    assertThat(w.personOf("X")).isIn(w.personOf("T1"), w.personOf("T2"));
    assertThat(w.stats.bridgesRefused()).isEqualTo(1);
    assertThat(w.stats.merges()).isZero();
    assertThat(w.merges()).isEmpty();
  }

  @Test
  void aRecordWithoutADateOfBirthDoesNotBridgeAFatherAndSonOfOneNameAndAddress() {
    World w = new World();
    w.file("file-1", row("F", "JOHN", "SMITH", "1960-02-11", "HR1 2AB"));
    w.file("file-2", row("S", "JOHN", "SMITH", "1990-05-01", "HR1 2AB"));
    assertThat(w.personOf("F")).isNotEqualTo(w.personOf("S"));

    w.file("file-3", row("X", "JOHN", "SMITH", null, "HR1 2AB"));

    assertThat(w.personOf("F")).isNotEqualTo(w.personOf("S"));
    assertThat(w.stats.bridgesRefused()).isEqualTo(1);
    assertThat(w.merges()).isEmpty();
  }

  @Test
  void aRecordWithoutAPostcodeDoesNotBridgeNamesakesInDifferentPlaces() {
    World w = new World();
    w.file("file-1", row("N1", "JACK", "JONES", "1980-01-15", "HR1 2AB"));
    w.file("file-2", row("N2", "JACK", "JONES", "1980-01-15", "HR9 7XY"));
    w.file("file-3", row("X", "JACK", "JONES", "1980-01-15", null));

    assertThat(w.personOf("N1")).isNotEqualTo(w.personOf("N2"));
    assertThat(w.stats.bridgesRefused()).isEqualTo(1);
    assertThat(w.merges()).isEmpty();
  }

  @Test
  void aPairKeptApartOnReviewIsNotBridged() {
    World w = new World();
    w.file("file-1", noPostcode());
    w.file("file-2", noDob());
    LinkReview review = w.data.pending(NOW).get(0);
    assertThat(review.id()).isEqualTo(LinkReview.idOf(w.personOf("A"), w.personOf("B")));
    assertThat(w.data.decide(review.id(), LinkReview.Status.KEPT_APART, "analyst", NOW, NOW))
        .isTrue();

    w.file("file-3", full());

    assertThat(w.personOf("A")).isNotEqualTo(w.personOf("B"));
    assertThat(w.personOf("C")).isIn(w.personOf("A"), w.personOf("B"));
    assertThat(w.stats.bridgesRefused()).isEqualTo(1);
    assertThat(w.merges()).isEmpty();
    assertThat(w.data.review(review.id(), NOW).orElseThrow().status())
        .isEqualTo(LinkReview.Status.KEPT_APART);
  }

  @Test
  void rowsOfOneChunkBridgeThePersonsTheChunkCreatedWithoutAMergeRecord() {
    World w = new World();
    w.file("file-1", noPostcode(), noDob(), full());

    assertThat(w.personOf("B")).isEqualTo(w.personOf("A"));
    assertThat(w.personOf("C")).isEqualTo(w.personOf("A"));
    assertThat(w.stats.newPersons()).isEqualTo(1);
    assertThat(w.merges()).as("a person never stored needs no merge").isEmpty();
    assertThat(w.data.pending(NOW)).as("the pair became one before its review").isEmpty();
  }

  // Logan Clarke known to Early Help by NHS number at home; the police know him by PNC ID, first
  // at an address he has since left (the same names and birth date elsewhere: only possible),
  // then at home. The record at home holds the police's identifier and links by score to Early
  // Help's person: it is evidence that the two are one.
  private PseudonymisedRow earlyHelpAtHome() {
    return holding(
        row("EH", "LOGAN", "CLARKE", "1997-03-28", "HR5 7YN"), LinkKeyKind.NHS_NUMBER, "nhs-1");
  }

  private PseudonymisedRow policeElsewhere() {
    return holding(
        row("PI1", "LOGAN", "CLARKE", "1997-03-28", "HR1 7UN"), LinkKeyKind.PNC_ID, "pnc-1");
  }

  private PseudonymisedRow policeAt(String postcode) {
    return holding(
        row("PI2", "LOGAN", "CLARKE", "1997-03-28", postcode), LinkKeyKind.PNC_ID, "pnc-1");
  }

  @Test
  void aRecordPlacedByItsIdentifierBridgesThePersonItLinksToByScore() {
    World w = new World();
    w.file("file-1", earlyHelpAtHome());
    w.file("file-2", policeElsewhere());
    PersonId earlyHelp = w.personOf("EH");
    PersonId police = w.personOf("PI1");
    assertThat(police).as("same names and birth date elsewhere").isNotEqualTo(earlyHelp);
    assertThat(w.data.pending(NOW)).hasSize(1);

    w.file("file-3", policeAt("HR5 7YN"));

    assertThat(w.partition()).isEqualTo(Set.of(Set.of("EH", "PI1", "PI2")));
    assertThat(w.personOf("PI1")).as("the older survives").isEqualTo(earlyHelp);
    List<MergeRecord> merges = w.merges();
    assertThat(merges).hasSize(1);
    MergeRecord merge = merges.get(0);
    assertThat(merge.survivor()).isEqualTo(earlyHelp);
    assertThat(merge.merged()).isEqualTo(police);
    assertThat(merge.fileId()).isEqualTo("file-3");
    assertThat(merge.probabilistic()).as("a tier-3 bridge, with its weights").isNotNull();
    double link = MatchModel.prior().linkThreshold();
    assertThat(merge.probabilistic().survivorWeight())
        .as("the row against Early Help's record")
        .isGreaterThanOrEqualTo(link);
    assertThat(merge.probabilistic().mergedWeight())
        .as("the row against the police's own record elsewhere (a possible link by rule)")
        .isPositive();
    assertThat(w.data.pending(NOW)).as("the possible link is resolved").isEmpty();

    // the same file again: the evidence still holds
    long splitBefore = w.stats.mergesSplit();
    w.file("file-3", policeAt("HR5 7YN"));
    assertThat(w.stats.mergesSplit()).isEqualTo(splitBefore);
    assertThat(w.partition()).isEqualTo(Set.of(Set.of("EH", "PI1", "PI2")));

    // corrected: the police's record was not at that address after all
    w.file("file-3", policeAt("HR6 7ER"));
    assertThat(w.stats.mergesSplit()).isEqualTo(splitBefore + 1);
    assertThat(w.personOf("PI1")).isEqualTo(police);
    assertThat(w.personOf("PI2")).isEqualTo(police);
    assertThat(w.personOf("EH")).isEqualTo(earlyHelp);
  }

  @Test
  void recordsPlacedByTheirIdentifiersAreRankedOnTheChunksLookupsNotOneARow() {
    assertThat(lookupsForNewRecords(5))
        .as("index lookups for a chunk of 5 identifier-placed rows, as for 1")
        .isEqualTo(lookupsForNewRecords(1));
  }

  /**
   * Index lookups made linking a chunk of {@code people} rows, each placed by a police identifier
   * with a person whose own record is somewhere else (so each row is ranked for a bridge).
   */
  private int lookupsForNewRecords(int people) {
    World w = new World();
    String[] given = {"LOGAN", "MAISIE", "REUBEN", "ISLA", "TOBIAS"};
    PseudonymisedRow[] first = new PseudonymisedRow[people];
    PseudonymisedRow[] moved = new PseudonymisedRow[people];
    for (int i = 0; i < people; i++) {
      String dob = "199" + i + "-0" + (i + 1) + "-1" + i;
      first[i] =
          holding(row("A" + i, given[i], "CLARKE", dob, "HR1 7UN"), LinkKeyKind.PNC_ID, "pnc" + i);
      moved[i] =
          holding(row("B" + i, given[i], "CLARKE", dob, "HR5 7YN"), LinkKeyKind.PNC_ID, "pnc" + i);
    }
    w.file("file-1", first);
    int before = w.index.calls;
    w.file("file-2", moved);
    for (int i = 0; i < people; i++) {
      assertThat(w.personOf("B" + i)).isEqualTo(w.personOf("A" + i));
    }
    return w.index.calls - before;
  }

  @Test
  void aRecordPlacedByItsIdentifierDoesNotBridgeANamesakeItOnlyPossiblyMatches() {
    World w = new World();
    w.file("file-1", earlyHelpAtHome());
    w.file("file-2", policeElsewhere());
    w.file("file-3", policeAt("HR1 7UN"), policeAt("HR9 1AA"));

    assertThat(w.personOf("PI2")).isEqualTo(w.personOf("PI1")).isNotEqualTo(w.personOf("EH"));
    assertThat(w.merges()).isEmpty();
  }

  @Test
  void aRecordPlacedByItsIdentifierDoesNotBridgeTwins() {
    World w = new World();
    // Amelia and her twin Olivia at home; the police know Olivia, elsewhere and then at home
    w.file(
        "file-1",
        holding(
            row("TW", "AMELIA", "CLARKE", "1997-03-28", "HR5 7YN"), LinkKeyKind.NHS_NUMBER, "n-2"));
    w.file(
        "file-2",
        holding(row("O1", "OLIVIA", "CLARKE", "1997-03-28", "HR1 7UN"), LinkKeyKind.PNC_ID, "p-2"));
    // a record at home with the twin's identifier but no given name links to Amelia by score
    w.file(
        "file-3",
        holding(row("O2", null, "CLARKE", "1997-03-28", "HR5 7YN"), LinkKeyKind.PNC_ID, "p-2"));

    assertThat(w.personOf("O2")).isEqualTo(w.personOf("O1")).isNotEqualTo(w.personOf("TW"));
    assertThat(w.merges()).isEmpty();
  }

  /** The row under a family or household reference. */
  private static PseudonymisedRow under(PseudonymisedRow r, FamilyKey family) {
    return copy(r, r.strongKeys(), family);
  }

  @Test
  void familiesWhoseMembersLiveApartLinkTheSameInBothUploadOrders() {
    FamilyKey griffiths = new FamilyKey("FAMILY_REF", "tok-g");
    FamilyKey wilsons = new FamilyKey("FAMILY_REF", "tok-w");
    // Early Help: a father at his own flat, his children at home; a girl at another address, her
    // parents at home. Each family's other agency has the person away from Early Help's address.
    List<PseudonymisedRow> earlyHelp =
        List.of(
            under(row("EF", "HENRY", "GRIFFITHS", "1979-01-10", "HR8 6FD"), griffiths),
            under(row("EC", "CHLOE", "GRIFFITHS", "2016-07-24", "HR7 1QR"), griffiths),
            under(row("ES", "SAMUEL", "GRIFFITHS", "2014-04-01", "HR7 1QR"), griffiths),
            under(row("EG", "FREYA", "WILSON", "2009-02-07", "HR7 9AR"), wilsons),
            under(row("EM", "NIAMH", "WILSON", "1968-11-05", "HR1 2TN"), wilsons));
    List<PseudonymisedRow> others =
        List.of(
            row("PF", "HENRY", "GRIFFITHS", "1979-01-10", "HR7 1QR"),
            row("SG", "FREYA", "WILSON", "2009-02-07", "HR1 2TN"));
    Set<Set<String>> expected =
        Set.of(Set.of("EF", "PF"), Set.of("EC"), Set.of("ES"), Set.of("EG", "SG"), Set.of("EM"));
    for (boolean earlyHelpFirst : new boolean[] {true, false}) {
      World w = new World();
      List<List<PseudonymisedRow>> files =
          earlyHelpFirst ? List.of(earlyHelp, others) : List.of(others, earlyHelp);
      for (int f = 0; f < files.size(); f++) {
        w.file("file-" + f, files.get(f).toArray(PseudonymisedRow[]::new));
      }
      assertThat(w.partition())
          .as(earlyHelpFirst ? "Early Help first" : "Early Help last")
          .isEqualTo(expected);
      assertThat(w.stats.householdLinks()).isEqualTo(2);
    }
  }

  @Test
  void aSmallPopulationLinksTheSameInEveryUploadOrder() {
    // three files; each person's records are spread over them
    List<List<PseudonymisedRow>> files =
        List.of(
            List.of(
                noPostcode(),
                row("T1", "OLIVIA", "BROWN", "2014-06-02", "HR2 7QT"),
                row("F", "JOHN", "PRICE", "1960-02-11", "HR3 1AA"),
                row("N1", "JACK", "JONES", "1980-01-15", "HR1 2AB"),
                row("W1", "BILL", "EVANS", "1991-09-23", null)),
            List.of(
                noDob(),
                row("T2", "AMELIA", "BROWN", "2014-06-02", "HR2 7QT"),
                row("S", "JOHN", "PRICE", "1990-05-01", "HR3 1AA"),
                row("N2", "JACK", "JONES", "1980-01-15", "HR9 7XY"),
                row("W2", "WILLIAM", "EVANS", null, "HR4 4PL")),
            List.of(
                full(),
                row("T1b", "OLIVIA", "BROWN", "2014-06-02", "HR2 7QT"),
                row("Sb", "JOHN", "PRICE", "1990-05-01", "HR3 1AA"),
                row("W3", "WILLIAM", "EVANS", "1991-09-23", "HR4 4PL")));
    Set<Set<String>> expected =
        Set.of(
            Set.of("A", "B", "C"),
            Set.of("T1", "T1b"),
            Set.of("T2"),
            Set.of("F"),
            Set.of("S", "Sb"),
            Set.of("N1"),
            Set.of("N2"),
            Set.of("W1", "W2", "W3"));
    int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    long bridges = 0;
    for (int[] order : orders) {
      World w = new World();
      for (int f : order) {
        w.file("file-" + f, files.get(f).toArray(PseudonymisedRow[]::new));
      }
      assertThat(w.partition()).as("order %s", Arrays.toString(order)).isEqualTo(expected);
      bridges += w.stats.bridgingMerges();
    }
    assertThat(bridges).as("some orders need a bridge to reach the same persons").isPositive();
  }
}
