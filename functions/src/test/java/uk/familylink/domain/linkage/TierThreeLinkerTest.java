package uk.familylink.domain.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.DemographicEncoder;
import uk.familylink.domain.pseudonym.DemographicsSeal;
import uk.familylink.fakes.InMemoryCandidateIndex;
import uk.familylink.fakes.InMemoryLinkStoreWithIndex;
import uk.familylink.fakes.InMemoryLinkedData;

/** The linker with the tier-3 index: corroborated strong identifiers and probabilistic links. */
class TierThreeLinkerTest {

  private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();
  private static final LinkContext CONTEXT = new LinkContext("health", "health", "file-1", EXPIRES);

  private final InMemoryLinkedData data = new InMemoryLinkedData();
  private final InMemoryCandidateIndex index = new InMemoryCandidateIndex();
  private final LinkStore store = new InMemoryLinkStoreWithIndex(data, index);
  private final AtomicLong ids = new AtomicLong();
  private final Linker linker =
      new Linker(
          store,
          () -> new PersonId(String.format("P%06d", ids.incrementAndGet())),
          Clock.fixed(NOW, ZoneOffset.UTC),
          new DemographicsSeal(key()),
          new MatchScorer(MatchModel.prior()));
  private final DemographicEncoder encoder = new DemographicEncoder(key());

  private static byte[] key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 3);
    return k;
  }

  private PseudonymisedRow row(
      String ref, String nhs, String given, String family, String dob, String postcode) {
    return row(ref, nhs, given, family, dob, postcode, null);
  }

  private PseudonymisedRow row(
      String ref,
      String nhs,
      String given,
      String family,
      String dob,
      String postcode,
      FamilyKey familyRef) {
    var encoded = encoder.encode(given, family, dob, postcode);
    return new PseudonymisedRow(
        1,
        nhs == null ? List.of() : List.of(new IdentityKey(LinkKeyKind.NHS_NUMBER, nhs)),
        List.of(
            new IdentityKey(LinkKeyKind.NAME_DOB_POSTCODE, given + family + dob + postcode),
            new IdentityKey(LinkKeyKind.NAME_DOB, given + family + dob)),
        ref,
        familyRef,
        null,
        Set.of(Need.HEALTH),
        LocalDate.of(2025, 1, 1),
        dob.substring(0, 7),
        false,
        Map.of(),
        encoded.demographics(),
        encoded.blockKeys());
  }

  private Map<String, LinkedRecord> records() {
    Map<String, LinkedRecord> out = new HashMap<>();
    data.forEachRecord(NOW, r -> out.put(r.recordToken(), r));
    return out;
  }

  private PersonId personOf(String ref) {
    Map<PersonId, PersonId> mergedInto = new HashMap<>();
    data.forEachPerson(
        NOW,
        p -> {
          if (!p.isActive()) {
            mergedInto.put(p.id(), p.mergedInto());
          }
        });
    PersonId p = records().get(ref).person();
    while (mergedInto.containsKey(p)) {
      p = mergedInto.get(p);
    }
    return p;
  }

  @Test
  void aRowWithATypoAndNoStrongIdentifierLinksAndKeepsItsExplanation() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(row("r1", "nhs-1", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB")), CONTEXT, stats);
    linker.link(
        List.of(row("r2", null, "OLIVRE", "SMITH", "2012-03-07", "HR1 2AB")), CONTEXT, stats);
    assertThat(personOf("r2")).isEqualTo(personOf("r1"));
    assertThat(stats.probabilisticLinks()).isEqualTo(1);
    assertThat(records().get("r2").attributes())
        .containsEntry("link_tier", "3")
        .containsEntry("link_model", "fs-v1.1-prior")
        .containsKey("link_weight")
        .containsEntry(
            "link_fields",
            "GIVEN_NAME=VARIANT;FAMILY_NAME=EXACT;DATE_OF_BIRTH=EXACT;POSTCODE=EXACT");
    assertThat(records().get("r1").attributes()).doesNotContainKey("link_tier");
  }

  @Test
  void aRelativesNhsNumberIsAnIdentifierConflictNotAMerge() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(row("parent", "nhs-parent", "GRACE", "SMITH", "1985-11-30", "HR1 2AB")),
        CONTEXT,
        stats);
    linker.link(
        List.of(row("child", "nhs-child", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB")),
        CONTEXT,
        stats);
    // the child's record carries the parent's (valid) NHS number
    linker.link(
        List.of(row("child-2", "nhs-parent", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB")),
        CONTEXT,
        stats);
    assertThat(stats.identifierConflicts()).isEqualTo(1);
    assertThat(stats.merges()).isZero();
    assertThat(personOf("child-2")).isEqualTo(personOf("child")).isNotEqualTo(personOf("parent"));
  }

  @Test
  void twinsStayTwoPersonsAndStrangersElsewhereAreNotLinked() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(
            row("t1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"),
            row("t2", null, "AMELIA", "SMITH", "2012-03-07", "HR1 2AB"),
            row("s1", null, "JACK", "JONES", "1980-01-15", "HR1 2AB")),
        CONTEXT,
        stats);
    linker.link(List.of(row("s2", null, "JACK", "JONES", "1980-01-15", "HR9 7XY")), CONTEXT, stats);
    assertThat(personOf("t1")).isNotEqualTo(personOf("t2"));
    assertThat(personOf("s1")).isNotEqualTo(personOf("s2"));
    assertThat(stats.possibleLinks()).isEqualTo(1);
    assertThat(stats.newPersons()).isEqualTo(4);
  }

  @Test
  void aPossibleLinkIsQueuedForReviewOnceWithItsBreakdownAndNoValue() {
    LinkStats stats = new LinkStats();
    linker.link(List.of(row("s1", null, "JACK", "JONES", "1980-01-15", "HR1 2AB")), CONTEXT, stats);
    linker.link(List.of(row("s2", null, "JACK", "JONES", "1980-01-15", "HR9 7XY")), CONTEXT, stats);

    List<LinkReview> pending = data.pending(NOW);
    assertThat(pending).hasSize(1);
    LinkReview review = pending.get(0);
    assertThat(review.person()).isEqualTo(personOf("s2"));
    assertThat(review.candidate()).isEqualTo(personOf("s1"));
    assertThat(review.id()).isEqualTo(LinkReview.idOf(personOf("s1"), personOf("s2")));
    assertThat(review.recordToken()).isEqualTo("s2");
    assertThat(review.dataset()).isEqualTo("health");
    assertThat(review.breakdown()).contains("DATE_OF_BIRTH=EXACT").doesNotContain("JACK", "HR9");
    assertThat(review.modelVersion()).isEqualTo(MatchModel.prior().version());
    assertThat(review.expiresAt()).isEqualTo(EXPIRES);
    assertThat(stats.reviewsQueued()).isEqualTo(1);

    // the same row again (a retried chunk, a re-delivered file) does not queue a second review
    data.decide(review.id(), LinkReview.Status.KEPT_APART, "analyst", NOW, NOW);
    linker.link(List.of(row("s2", null, "JACK", "JONES", "1980-01-15", "HR9 7XY")), CONTEXT, stats);
    assertThat(data.pending(NOW)).isEmpty();
    assertThat(data.review(review.id(), NOW).orElseThrow().status())
        .isEqualTo(LinkReview.Status.KEPT_APART);
  }

  @Test
  void aPersonWithAnotherValueOfTheSameStrongIdentifierIsNotLinkedByScore() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(row("a", "nhs-a", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB")), CONTEXT, stats);
    linker.link(
        List.of(row("b", "nhs-b", "OLIVER", "SMITH", "2012-03-07", "HR1 2AD")), CONTEXT, stats);
    // same names, birth date and sector would link, but each has its own NHS number
    assertThat(personOf("a")).isNotEqualTo(personOf("b"));
    assertThat(stats.probabilisticLinks()).isZero();
  }

  @Test
  void rowsOfOneChunkLinkToEachOtherAndLookupsAreByKey() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(
            row("c1", null, "WILLIAM", "PRICE", "1990-05-20", "HR4 9ZZ"),
            row("c2", null, "BILL", "PRICE", "1990-05-20", "HR4 9ZZ"),
            row("c3", null, "PRICE", "WILLIAM", "1990-05-20", "HR4 9ZZ")),
        CONTEXT,
        stats);
    assertThat(personOf("c2")).isEqualTo(personOf("c1"));
    assertThat(personOf("c3")).isEqualTo(personOf("c1"));
    assertThat(stats.newPersons()).isEqualTo(1);
    assertThat(index.lookups).isPositive();
  }

  @Test
  void aHouseholdThatMovedLinksWhereEachMemberAloneWouldOnlyBeAPossibleLink() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB"),
            row("c1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB")),
        CONTEXT,
        stats);
    // another partner holds the family at its new address (another district)
    linker.link(
        List.of(
            row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY"),
            row("c2", null, "OLIVER", "SMITH", "2012-03-07", "HR9 7XY")),
        CONTEXT,
        stats);
    assertThat(personOf("m2")).isEqualTo(personOf("m1"));
    assertThat(personOf("c2")).isEqualTo(personOf("c1"));
    assertThat(stats.householdLinks()).isEqualTo(2);
    assertThat(stats.possibleLinks()).isZero();
    assertThat(records().get("c2").attributes())
        .containsEntry("link_corroboration", "HOUSEHOLD")
        .containsEntry(
            "link_fields",
            "GIVEN_NAME=EXACT;FAMILY_NAME=EXACT;DATE_OF_BIRTH=EXACT;POSTCODE=DIFFERENT");
  }

  @Test
  void aHouseholdMemberWhoseMoveWasLinkedInAnEarlierFileCorroboratesTheNextMemberAlone() {
    LinkStats stats = new LinkStats();
    FamilyKey household = new FamilyKey("HOUSEHOLD_REF", "tok-h");
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB", household),
            row("c1", "nhs-c", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB", household)),
        CONTEXT,
        stats);
    // the child's new address arrives with its NHS number: the child is now seen at both
    linker.link(
        List.of(row("c2", "nhs-c", "OLIVER", "SMITH", "2012-03-07", "HR9 7XY")), CONTEXT, stats);
    // then the mother alone at the new address, in another file
    linker.link(
        List.of(row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY")), CONTEXT, stats);

    assertThat(personOf("m2")).isEqualTo(personOf("m1"));
    assertThat(stats.householdLinks()).isEqualTo(1);
    assertThat(stats.possibleLinks()).isZero();
    assertThat(records().get("m2").attributes()).containsEntry("link_corroboration", "HOUSEHOLD");
  }

  @Test
  void aHouseholdWhoseMembersEachArriveAloneAtTheNewAddressIsRecognisedByTheSecond() {
    LinkStats stats = new LinkStats();
    FamilyKey family = new FamilyKey("FAMILY_REF", "tok-f");
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB", family),
            row("c1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB", family)),
        CONTEXT,
        stats);
    // the school's file has the child at the new address, alone: only a possible link
    linker.link(
        List.of(row("c2", null, "OLIVER", "SMITH", "2012-03-07", "HR9 7XY")), CONTEXT, stats);
    assertThat(personOf("c2")).isNotEqualTo(personOf("c1"));
    // the benefits file has the mother there, alone: the child's record here, which matches her
    // former household member but for the place, makes the move two coincidences, so she links
    linker.link(
        List.of(row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY")), CONTEXT, stats);

    assertThat(personOf("m2")).isEqualTo(personOf("m1"));
    assertThat(records().get("m2").attributes()).containsEntry("link_corroboration", "HOUSEHOLD");
    // and the same evidence makes the child's record there the child: its person merges
    assertThat(personOf("c2")).isEqualTo(personOf("c1"));
    assertThat(stats.bridgingMerges()).isEqualTo(1);
    List<MergeRecord> merges = new java.util.ArrayList<>();
    data.forEachMerge(NOW, merges::add);
    assertThat(merges)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.probabilistic().household()).isTrue();
              assertThat(m.probabilistic().fields()).contains("POSTCODE=DIFFERENT");
              assertThat(m.probabilistic().survivorWeight()).isPositive();
            });
  }

  @Test
  void aRecordAtTheHomeOfThePersonsFamilyLinksThoughThePersonWasSeenElsewhere() {
    LinkStats stats = new LinkStats();
    FamilyKey family = new FamilyKey("FAMILY_REF", "tok-f");
    // Early Help has the father at his own flat and his children at their home, as one family
    linker.link(
        List.of(
            row("f1", null, "HENRY", "GRIFFITHS", "1979-01-10", "HR8 6FD", family),
            row("c1", null, "CHLOE", "GRIFFITHS", "2016-07-24", "HR7 1QR", family),
            row("s1", null, "SAMUEL", "GRIFFITHS", "2014-04-01", "HR7 1QR", family)),
        CONTEXT,
        stats);
    // the police record him alone at the children's home: same names and birth date elsewhere,
    // but where his family is
    linker.link(
        List.of(row("f2", null, "HENRY", "GRIFFITHS", "1979-01-10", "HR7 1QR")), CONTEXT, stats);

    assertThat(personOf("f2")).isEqualTo(personOf("f1"));
    assertThat(stats.householdLinks()).isEqualTo(1);
    assertThat(stats.possibleLinks()).isZero();
    assertThat(records().get("f2").attributes()).containsEntry("link_corroboration", "HOUSEHOLD");
  }

  @Test
  void aRecordAwayFromHomeLinksWhenItsFamilyInTheSameFileIsWhereThePersonWasSeen() {
    LinkStats stats = new LinkStats();
    // the school has the girl at home
    linker.link(
        List.of(row("g1", null, "FREYA", "WILSONJONES", "2009-02-07", "HR1 2TN")), CONTEXT, stats);
    // Early Help has her at another address, and her parents, under the same family, at home
    FamilyKey family = new FamilyKey("FAMILY_REF", "tok-f");
    linker.link(
        List.of(
            row("g2", null, "FREYA", "WILSONJONES", "2009-02-07", "HR7 9AR", family),
            row("m2", null, "NIAMH", "WILSONJONES", "1968-11-05", "HR1 2TN", family),
            row("f2", null, "HENRY", "WILSONJONES", "1962-06-01", "HR1 2TN", family)),
        CONTEXT,
        stats);

    assertThat(personOf("g2")).isEqualTo(personOf("g1"));
    assertThat(stats.householdLinks()).isEqualTo(1);
    assertThat(stats.possibleLinks()).isZero();
  }

  @Test
  void aFamilyReferenceOnRowsAtManyPlacesSaysNothingAboutWhereAFamilyLives() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(row("g1", null, "FREYA", "WILSONJONES", "2009-02-07", "HR1 2TN")), CONTEXT, stats);
    // one reference on unrelated people at four places (a placeholder): no household
    FamilyKey placeholder = new FamilyKey("FAMILY_REF", "tok-unknown");
    linker.link(
        List.of(
            row("g2", null, "FREYA", "WILSONJONES", "2009-02-07", "HR7 9AR", placeholder),
            row("a2", null, "NIAMH", "JONES", "1968-11-05", "HR1 2TN", placeholder),
            row("b2", null, "JACK", "PRICE", "1971-03-02", "HR4 0XR", placeholder),
            row("c2", null, "ISLA", "KHAN", "1990-05-12", "HR6 1GS", placeholder)),
        CONTEXT,
        stats);

    assertThat(personOf("g2")).isNotEqualTo(personOf("g1"));
    assertThat(stats.householdLinks()).isZero();
  }

  @Test
  void aRecordAwayFromHomeWhoseFamilyIsElsewhereStillOnlyPossiblyLinks() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(row("g1", null, "FREYA", "WILSONJONES", "2009-02-07", "HR1 2TN")), CONTEXT, stats);
    FamilyKey family = new FamilyKey("FAMILY_REF", "tok-f");
    linker.link(
        List.of(
            row("g2", null, "FREYA", "WILSONJONES", "2009-02-07", "HR7 9AR", family),
            row("m2", null, "NIAMH", "WILSONJONES", "1968-11-05", "HR4 0XR", family)),
        CONTEXT,
        stats);

    assertThat(personOf("g2")).isNotEqualTo(personOf("g1"));
    assertThat(stats.householdLinks()).isZero();
    assertThat(stats.possibleLinks()).isEqualTo(1);
  }

  @Test
  void aNamesakeWhereNobodyOfThePersonsFamilyIsSeenIsStillOnlyAPossibleLink() {
    LinkStats stats = new LinkStats();
    FamilyKey family = new FamilyKey("FAMILY_REF", "tok-f");
    FamilyKey others = new FamilyKey("FAMILY_REF", "tok-o");
    linker.link(
        List.of(
            row("f1", null, "HENRY", "GRIFFITHS", "1979-01-10", "HR8 6FD", family),
            row("c1", null, "CHLOE", "GRIFFITHS", "2016-07-24", "HR1 2AB", family),
            // another family lives at HR7 1QR
            row("x1", null, "JACK", "JONES", "1980-01-15", "HR7 1QR", others)),
        CONTEXT,
        stats);
    linker.link(
        List.of(row("f2", null, "HENRY", "GRIFFITHS", "1979-01-10", "HR7 1QR")), CONTEXT, stats);

    assertThat(personOf("f2")).isNotEqualTo(personOf("f1"));
    assertThat(stats.householdLinks()).isZero();
    assertThat(stats.possibleLinks()).isEqualTo(1);
  }

  @Test
  void aMovedMemberKeptApartOnReviewIsNeitherMergedNorEvidenceOfTheMove() {
    LinkStats stats = new LinkStats();
    FamilyKey family = new FamilyKey("FAMILY_REF", "tok-f");
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB", family),
            row("c1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB", family)),
        CONTEXT,
        stats);
    linker.link(
        List.of(row("c2", null, "OLIVER", "SMITH", "2012-03-07", "HR9 7XY")), CONTEXT, stats);
    // the data team looked at the child's possible link and decided they are different people
    List<LinkReview> pending = data.pending(NOW);
    assertThat(pending).hasSize(1);
    assertThat(data.decide(pending.get(0).id(), LinkReview.Status.KEPT_APART, "analyst", NOW, NOW))
        .isTrue();

    linker.link(
        List.of(row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY")), CONTEXT, stats);

    assertThat(personOf("c2")).as("kept apart stays apart").isNotEqualTo(personOf("c1"));
    assertThat(stats.bridgingMerges()).isZero();
    // and without that member there is no evidence the household moved: the mother's row here is
    // only a possible link too
    assertThat(personOf("m2")).isNotEqualTo(personOf("m1"));
    assertThat(stats.householdLinks()).isZero();
  }

  @Test
  void aStrangerAtTheNewAddressWhoMatchesNoFormerHouseholdMemberCorroboratesNothing() {
    LinkStats stats = new LinkStats();
    FamilyKey family = new FamilyKey("FAMILY_REF", "tok-f");
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB", family),
            row("c1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB", family)),
        CONTEXT,
        stats);
    // a child of another name lives at HR9 7XY, and so does a Grace Smith of the same birth date
    linker.link(
        List.of(row("x2", null, "HARRY", "SMITH", "2012-03-07", "HR9 7XY")), CONTEXT, stats);
    linker.link(
        List.of(row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY")), CONTEXT, stats);

    assertThat(personOf("m2")).isNotEqualTo(personOf("m1"));
    assertThat(stats.householdLinks()).isZero();
  }

  @Test
  void aNeighbourFromTheOldPostcodeSeenHereDoesNotCorroborateANamesake() {
    LinkStats stats = new LinkStats();
    FamilyKey graces = new FamilyKey("HOUSEHOLD_REF", "tok-g");
    FamilyKey jacks = new FamilyKey("HOUSEHOLD_REF", "tok-j");
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB", graces),
            row("c1", "nhs-c", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB", graces),
            // a neighbour: same postcode unit, another household
            row("n1", "nhs-n", "JACK", "JONES", "1980-01-15", "HR1 2AB", jacks)),
        CONTEXT,
        stats);
    // the neighbour has moved to HR9 7XY; so has a Grace Smith of the same birth date
    linker.link(
        List.of(row("n2", "nhs-n", "JACK", "JONES", "1980-01-15", "HR9 7XY")), CONTEXT, stats);
    linker.link(
        List.of(row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY")), CONTEXT, stats);

    assertThat(personOf("m2")).isNotEqualTo(personOf("m1"));
    assertThat(stats.householdLinks()).isZero();
    assertThat(stats.possibleLinks()).isEqualTo(1);
  }

  @Test
  void aNamesakeLivingWithPeopleOfAnotherHouseholdIsStillOnlyAPossibleLink() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB"),
            row("c1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"),
            row("x1", null, "JACK", "JONES", "1980-01-15", "HR4 9ZZ")),
        CONTEXT,
        stats);
    // a stranger named like the mother lives with someone who matches a person of another home
    linker.link(
        List.of(
            row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY"),
            row("x2", null, "JACK", "JONES", "1980-01-15", "HR9 7XY")),
        CONTEXT,
        stats);
    assertThat(personOf("m2")).isNotEqualTo(personOf("m1"));
    assertThat(personOf("x2")).isNotEqualTo(personOf("x1"));
    assertThat(stats.householdLinks()).isZero();
    assertThat(stats.possibleLinks()).isEqualTo(2);
  }

  @Test
  void twinsWhoMovedStayTwoPersons() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(
            row("t1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"),
            row("u1", null, "AMELIA", "SMITH", "2012-03-07", "HR1 2AB")),
        CONTEXT,
        stats);
    linker.link(
        List.of(
            row("t2", null, "OLIVER", "SMITH", "2012-03-07", "HR9 7XY"),
            row("u2", null, "AMELIA", "SMITH", "2012-03-07", "HR9 7XY")),
        CONTEXT,
        stats);
    assertThat(personOf("t2")).isEqualTo(personOf("t1"));
    assertThat(personOf("u2")).isEqualTo(personOf("u1"));
    assertThat(personOf("t1")).isNotEqualTo(personOf("u1"));
  }

  @Test
  void aFamilyReferenceMakesAHouseholdWhenOneMembersPostcodeIsStale() {
    LinkStats stats = new LinkStats();
    linker.link(
        List.of(
            row("m1", null, "GRACE", "SMITH", "1985-11-30", "HR1 2AB"),
            row("c1", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB")),
        CONTEXT,
        stats);
    FamilyKey household = new FamilyKey("HOUSEHOLD_REF", "tok-1");
    LinkContext housing = new LinkContext("housing", "housing", "file-2", EXPIRES);
    linker.link(
        List.of(
            row("m2", null, "GRACE", "SMITH", "1985-11-30", "HR9 7XY", household),
            row("c2", null, "OLIVER", "SMITH", "2012-03-07", "HR1 2AB", household)),
        housing,
        stats);
    assertThat(personOf("m2")).isEqualTo(personOf("m1"));
    assertThat(personOf("c2")).isEqualTo(personOf("c1"));
    assertThat(records().get("m2").attributes()).containsEntry("link_corroboration", "HOUSEHOLD");
    assertThat(records().get("c2").attributes()).doesNotContainKey("link_corroboration");
  }
}
