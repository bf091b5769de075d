package uk.familylink.domain.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkContext;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkStats;
import uk.familylink.domain.linkage.Linker;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchScorer;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.DemographicEncoder;
import uk.familylink.domain.pseudonym.DemographicsSeal;
import uk.familylink.domain.review.LinkReviewException.Reason;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryCandidateIndex;
import uk.familylink.fakes.InMemoryLinkStoreWithIndex;
import uk.familylink.fakes.InMemoryLinkedData;

/**
 * Splits (ADR 0146): a merge the data team finds wrong is undone through {@link LinkReviews#split},
 * whatever made it, and no later ingest joins the pair again, not even the same file sent again.
 * Through the real {@link Linker} over the in-memory store the adapters are held to.
 */
class MergeSplitTest {

  private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final InMemoryLinkedData data = new InMemoryLinkedData(clock);
  private final InMemoryCandidateIndex index = new InMemoryCandidateIndex();
  private final AtomicLong ids = new AtomicLong();
  private final LinkStats stats = new LinkStats();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final LinkReviews reviews =
      new LinkReviews(data, data, data, audit, clock, () -> EXPIRES);
  private final DemographicEncoder encoder = new DemographicEncoder(key());

  private static byte[] key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 7);
    return k;
  }

  private Linker deterministic() {
    return new Linker(
        data, () -> new PersonId(String.format("P%06d", ids.incrementAndGet())), clock);
  }

  private Linker withTierThree() {
    return new Linker(
        new InMemoryLinkStoreWithIndex(data, index),
        () -> new PersonId(String.format("P%06d", ids.incrementAndGet())),
        clock,
        new DemographicsSeal(key()),
        new MatchScorer(MatchModel.prior()));
  }

  private void file(Linker linker, String fileId, PseudonymisedRow... rows) {
    linker.link(List.of(rows), new LinkContext("police", "police", fileId, EXPIRES), stats);
  }

  private static PseudonymisedRow identified(String ref, IdentityKey... strong) {
    return new PseudonymisedRow(
        1,
        List.of(strong),
        List.of(),
        ref,
        null,
        null,
        Set.of(Need.CRIME),
        null,
        "2012-04",
        false,
        Map.of());
  }

  private PseudonymisedRow described(
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

  private static IdentityKey nhs(String t) {
    return new IdentityKey(LinkKeyKind.NHS_NUMBER, t);
  }

  private static IdentityKey nino(String t) {
    return new IdentityKey(LinkKeyKind.NINO, t);
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

  /** The records grouped by person (independent of person IDs). */
  private Set<Set<String>> partition() {
    Map<PersonId, Set<String>> byPerson = new HashMap<>();
    List<String> refs = new ArrayList<>();
    data.forEachRecord(NOW, r -> refs.add(r.recordToken()));
    for (String ref : refs) {
      byPerson.computeIfAbsent(personOf(ref), p -> new TreeSet<>()).add(ref);
    }
    return new HashSet<>(byPerson.values());
  }

  @Test
  void anIdentifierMergeSplitOnReviewIsUndoneAndNotRedoneByTheSameFileOrANewRow() {
    Linker linker = deterministic();
    file(linker, "f1", identified("r1", nhs("a")));
    file(linker, "f2", identified("r2", nino("b")));
    PersonId first = personOf("r1");
    PersonId second = personOf("r2");
    // a row holding both identifiers (a relative's, say) joined them
    file(linker, "f3", identified("r3", nhs("a"), nino("b")));
    assertThat(personOf("r2")).isEqualTo(first);

    List<MergeRecord> merges = reviews.merges(null);
    assertThat(merges)
        .singleElement()
        .satisfies(m -> assertThat(m.how()).isEqualTo(MergeRecord.How.IDENTIFIER));
    String mergeId = merges.get(0).id();
    assertThat(mergeId).matches("[0-9a-f]{32}").doesNotContain(first.value(), second.value());

    LinkReviews.SplitOutcome outcome = reviews.split(mergeId, "analyst B");

    assertThat(outcome.merge().inForce()).isFalse();
    assertThat(outcome.merge().split().by()).isEqualTo("analyst B");
    assertThat(personOf("r1")).isEqualTo(first);
    assertThat(personOf("r2")).as("the merged person is itself again").isEqualTo(second);
    assertThat(personOf("r3")).as("the bridging row stays where it was placed").isEqualTo(first);
    assertThat(reviews.merges(null))
        .singleElement()
        .satisfies(m -> assertThat(m.split()).isNotNull());
    assertThat(data.review(mergeId, NOW).orElseThrow().status()).isEqualTo(LinkReview.Status.SPLIT);
    AuditEntry entry = audit.entries().get(audit.entries().size() - 1);
    assertThat(entry.kind()).isEqualTo("MERGE_SPLIT");
    assertThat(entry.details())
        .containsEntry("mergeId", mergeId)
        .containsEntry("how", "IDENTIFIER")
        .containsEntry("decidedBy", "analyst B");
    assertThat(entry.details().toString()).doesNotContain(first.value(), second.value());

    // the same file sent again, and a new row with both identifiers: refused, not merged
    file(linker, "f3", identified("r3", nhs("a"), nino("b")));
    file(linker, "f4", identified("r4", nhs("a"), nino("b")));
    assertThat(stats.bridgesRefused()).isEqualTo(2);
    assertThat(partition()).containsExactlyInAnyOrder(Set.of("r1", "r3", "r4"), Set.of("r2"));
    // each person's own identifier still finds it
    file(linker, "f5", identified("r5", nino("b")));
    assertThat(personOf("r5")).isEqualTo(second);
  }

  @Test
  void aTierThreeBridgeSplitOnReviewIsNotBridgedAgain() {
    Linker linker = withTierThree();
    // Oliver Smith seen without a postcode, then without a date of birth: a possible link
    file(linker, "f1", described("A", "OLIVER", "SMITH", "2012-03-07", null));
    file(linker, "f2", described("B", "OLIVER", "SMITH", null, "HR1 2AB"));
    // a full record links to both and bridges them
    file(linker, "f3", described("C", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"));
    assertThat(partition()).containsExactly(Set.of("A", "B", "C"));
    MergeRecord merge = reviews.merges(MergeRecord.How.TIER_3).get(0);
    assertThat(reviews.merges(MergeRecord.How.IDENTIFIER)).isEmpty();

    reviews.split(merge.id(), "analyst B");

    assertThat(partition()).containsExactlyInAnyOrder(Set.of("A", "C"), Set.of("B"));
    // the bridging file sent again, a new full record, and one like B's: none joins them again
    file(linker, "f3", described("C", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"));
    file(linker, "f4", described("D", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"));
    file(linker, "f5", described("E", "OLIVER", "SMITH", null, "HR1 2AB"));
    // (E links to one of the two, whichever scores higher; never to both)
    assertThat(partition())
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("A", "C", "D").doesNotContain("B"))
        .anySatisfy(p -> assertThat(p).contains("B"));
    assertThat(stats.bridgesRefused())
        .as("E linked to both; the split pair was not bridged")
        .isPositive();
    assertThat(reviews.merges(null))
        .singleElement()
        .satisfies(m -> assertThat(m.inForce()).isFalse());
  }

  @Test
  void aMergeDecidedOnReviewCanBeSplitAndItsReviewSaysSo() {
    Linker linker = deterministic();
    file(linker, "f1", identified("r1", nhs("a")));
    file(linker, "f2", identified("r2", nino("b")));
    PersonId first = personOf("r1");
    PersonId second = personOf("r2");
    assertThat(
            data.merge(
                new MergeRecord(first, second, null, null, NOW, LinkReview.idOf(first, second)),
                EXPIRES))
        .isTrue();

    MergeRecord merge = reviews.merges(MergeRecord.How.REVIEW).get(0);
    reviews.split(merge.id(), "analyst C");

    assertThat(personOf("r2")).isEqualTo(second);
    assertThat(data.review(merge.id(), NOW).orElseThrow().keepsApart()).isTrue();
  }

  @Test
  void aSplitIsRefusedWhenTheIdIsMalformedUnknownOrAlreadySplitOrNobodyIsNamed() {
    Linker linker = deterministic();
    file(linker, "f1", identified("r1", nhs("a")));
    file(linker, "f2", identified("r2", nino("b")));
    file(linker, "f3", identified("r3", nhs("a"), nino("b")));
    String mergeId = reviews.merges(null).get(0).id();

    assertThatThrownBy(() -> reviews.split("P000001", "analyst"))
        .isInstanceOfSatisfying(
            LinkReviewException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST));
    assertThatThrownBy(() -> reviews.split("0".repeat(32), "analyst"))
        .isInstanceOfSatisfying(
            LinkReviewException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThatThrownBy(() -> reviews.split(mergeId, " "))
        .isInstanceOfSatisfying(
            LinkReviewException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST));
    assertThat(reviews.merges(null).get(0).inForce()).as("nothing split by a refusal").isTrue();

    reviews.split(mergeId, "analyst");
    int audited = audit.entries().size();
    assertThatThrownBy(() -> reviews.split(mergeId, "analyst"))
        .isInstanceOfSatisfying(
            LinkReviewException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.ALREADY_DECIDED);
              assertThat(e.getMessage()).contains("already split");
            });
    assertThat(audit.entries()).hasSize(audited);
  }

  @Test
  void aCorrectionThatWithdrawsTheIdentifiersThatJoinedTwoPersonsSplitsThem() {
    Linker linker = deterministic();
    file(linker, "f1", identified("r1", nhs("a")));
    file(linker, "f2", identified("r2", nino("b")));
    PersonId first = personOf("r1");
    PersonId second = personOf("r2");
    file(linker, "f3", identified("r3", nhs("a"), nino("b")));
    assertThat(personOf("r2")).isEqualTo(first);
    // the same row sent again unchanged: still the evidence, nothing split
    file(linker, "f3-again", identified("r3", nhs("a"), nino("b")));
    assertThat(stats.mergesSplit()).isZero();
    assertThat(personOf("r2")).isEqualTo(first);

    // the partner corrects the row: the NINO was a relative's
    file(linker, "f3-corrected", identified("r3", nhs("a")));

    assertThat(stats.mergesSplit()).isEqualTo(1);
    assertThat(partition()).containsExactlyInAnyOrder(Set.of("r1", "r3"), Set.of("r2"));
    assertThat(personOf("r2")).isEqualTo(second);
    MergeRecord merge = reviews.merges(null).get(0);
    assertThat(merge.inForce()).isFalse();
    assertThat(merge.split().by()).isEqualTo(Linker.CORRECTION_SPLIT_BY);
    assertThat(data.review(merge.id(), NOW))
        .as("not a data-team decision: the pair is not kept apart")
        .isEmpty();

    // so a later row that does hold both identifiers joins them again
    file(linker, "f4", identified("r4", nhs("a"), nino("b")));
    assertThat(partition()).containsExactly(Set.of("r1", "r2", "r3", "r4"));
    assertThat(reviews.merges(null))
        .singleElement()
        .satisfies(m -> assertThat(m.inForce()).isTrue());
  }

  @Test
  void aCorrectionThatKeepsOnlyTheMergedPersonsIdentifierAlsoSplitsAndOneAlreadySplitIsLeft() {
    Linker linker = deterministic();
    file(linker, "f1", identified("r1", nhs("a")));
    file(linker, "f2", identified("r2", nino("b")));
    file(linker, "f3", identified("r3", nhs("a"), nino("b")));
    file(linker, "f3-corrected", identified("r3", nino("b")));
    assertThat(stats.mergesSplit()).isEqualTo(1);
    assertThat(partition()).containsExactlyInAnyOrder(Set.of("r1"), Set.of("r2", "r3"));

    // a merge split on review first, then its row corrected: nothing more to split
    file(linker, "f5", identified("r5", nhs("c")));
    file(linker, "f6", identified("r6", nino("d")));
    file(linker, "f7", identified("r7", nhs("c"), nino("d")));
    MergeRecord second =
        reviews.merges(MergeRecord.How.IDENTIFIER).stream()
            .filter(MergeRecord::inForce)
            .findFirst()
            .orElseThrow();
    reviews.split(second.id(), "analyst B");
    file(linker, "f7-corrected", identified("r7", nhs("c")));
    assertThat(stats.mergesSplit()).isEqualTo(1);
    assertThat(partition())
        .containsExactlyInAnyOrder(
            Set.of("r1"), Set.of("r2", "r3"), Set.of("r5", "r7"), Set.of("r6"));
  }

  @Test
  void aCorrectionAfterWhichTheBridgingRowNoLongerLinksToTheMergedPersonSplitsATierThreeBridge() {
    Linker linker = withTierThree();
    file(linker, "f1", described("A", "OLIVER", "SMITH", "2012-03-07", null));
    file(linker, "f2", described("B", "OLIVER", "SMITH", null, "HR1 2AB"));
    file(linker, "f3", described("C", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"));
    assertThat(partition()).containsExactly(Set.of("A", "B", "C"));
    // sent again unchanged: still links to both, nothing split
    file(linker, "f3-again", described("C", "OLIVER", "SMITH", "2012-03-07", "HR1 2AB"));
    assertThat(stats.mergesSplit()).isZero();
    assertThat(partition()).containsExactly(Set.of("A", "B", "C"));

    // the partner corrects the row: another address, so it no longer links to B's record
    file(linker, "f3-corrected", described("C", "OLIVER", "SMITH", "2012-03-07", "WR9 9ZZ"));

    assertThat(stats.mergesSplit()).isEqualTo(1);
    assertThat(partition()).hasSize(2).anySatisfy(p -> assertThat(p).containsExactly("B"));
    MergeRecord merge = reviews.merges(MergeRecord.How.TIER_3).get(0);
    assertThat(merge.inForce()).isFalse();
    assertThat(merge.split().by()).isEqualTo(Linker.CORRECTION_SPLIT_BY);
    assertThat(data.review(merge.id(), NOW).orElseThrow().status())
        .as("the possible link the bridge had resolved is back in the queue")
        .isEqualTo(LinkReview.Status.PENDING);
    assertThat(reviews.pending()).extracting(LinkReview::id).contains(merge.id());
  }
}
