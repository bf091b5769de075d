package uk.familylink.domain.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchScore;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.review.LinkReviewException.Reason;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryLinkedData;

class LinkReviewsTest {

  private static final Instant NOW = Instant.parse("2026-02-01T09:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final InMemoryLinkedData data = new InMemoryLinkedData(clock);
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final LinkReviews reviews =
      new LinkReviews(data, data, data, audit, clock, () -> EXPIRES);

  private final PersonId older = new PersonId("P-older");
  private final PersonId newer = new PersonId("P-newer");

  private LinkReview queued() {
    data.claim(
        List.of(
            PersonEntry.created(older, NOW.minusSeconds(3600)),
            PersonEntry.created(newer, NOW.minusSeconds(60))),
        Map.of(),
        EXPIRES,
        NOW);
    EnumMap<MatchModel.Field, MatchModel.Level> levels = new EnumMap<>(MatchModel.Field.class);
    levels.put(MatchModel.Field.DATE_OF_BIRTH, MatchModel.Level.EXACT);
    MatchScore score =
        new MatchScore(levels, false, 4.5, MatchScore.Decision.POSSIBLE, "fs-v1-prior");
    LinkReview review = LinkReview.pending(newer, older, "education", "rec-1", score, NOW, EXPIRES);
    data.queue(List.of(review), NOW);
    return review;
  }

  @Test
  void linkMergesTheNewerIntoTheOlderCitingTheReviewAndIsAudited() {
    LinkReview review = queued();
    assertThat(reviews.pending()).extracting(LinkReview::id).containsExactly(review.id());

    LinkReviews.Outcome outcome =
        reviews.decide(review.id(), LinkReviews.Decision.LINK, "analyst A");

    assertThat(outcome.merged()).isTrue();
    assertThat(outcome.survivor()).isEqualTo(older);
    assertThat(data.getPersons(List.of(newer), NOW).get(newer).mergedInto()).isEqualTo(older);
    List<MergeRecord> merges = new java.util.ArrayList<>();
    data.forEachMerge(NOW, merges::add);
    assertThat(merges)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.reviewId()).isEqualTo(review.id());
              assertThat(m.survivor()).isEqualTo(older);
              assertThat(m.bridgedBy()).isNull();
            });
    assertThat(reviews.pending()).isEmpty();
    assertThat(data.review(review.id(), NOW).orElseThrow().status())
        .isEqualTo(LinkReview.Status.LINKED);
    AuditEntry entry = audit.entries().get(0);
    assertThat(entry.kind()).isEqualTo("LINK_REVIEW");
    assertThat(entry.details())
        .containsEntry("reviewId", review.id())
        .containsEntry("decision", "LINK")
        .containsEntry("decidedBy", "analyst A")
        .containsEntry("merges", 1);
    assertThat(entry.details().toString()).doesNotContain("P-older", "P-newer", "rec-1");
  }

  @Test
  void theFirstDecisionStands() {
    LinkReview review = queued();
    reviews.decide(review.id(), LinkReviews.Decision.KEEP_APART, "analyst A");

    assertThatThrownBy(() -> reviews.decide(review.id(), LinkReviews.Decision.LINK, "analyst B"))
        .isInstanceOfSatisfying(
            LinkReviewException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_DECIDED))
        .hasMessageContaining("already decided (KEPT_APART")
        .hasMessageContaining("the first decision stands");
    assertThat(data.getPersons(List.of(newer), NOW).get(newer).isActive()).isTrue();
    assertThat(audit.entries()).hasSize(1);
    assertThat(audit.entries().get(0).details()).containsEntry("merges", 0);

    // found again by a later ingest: not queued again
    data.queue(
        List.of(
            new LinkReview(
                review.id(),
                newer,
                older,
                "education",
                "rec-2",
                4.5,
                "x",
                "m",
                NOW,
                LinkReview.Status.PENDING,
                null,
                null,
                EXPIRES)),
        NOW);
    assertThat(reviews.pending()).isEmpty();
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    LinkReview review = queued();
    assertThatThrownBy(() -> reviews.decide("nope", LinkReviews.Decision.LINK, "a"))
        .hasMessageContaining("32 hex digits");
    assertThatThrownBy(() -> reviews.decide(review.id(), null, "a"))
        .hasMessageContaining("link or keep-apart");
    assertThatThrownBy(() -> reviews.decide(review.id(), LinkReviews.Decision.LINK, " "))
        .hasMessageContaining("decidedBy is required");
    assertThatThrownBy(
            () ->
                reviews.decide("0123456789abcdef0123456789abcdef", LinkReviews.Decision.LINK, "a"))
        .isInstanceOfSatisfying(
            LinkReviewException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    assertThat(audit.entries()).isEmpty();
    assertThat(LinkReviews.Decision.parse("keep-apart")).isEqualTo(LinkReviews.Decision.KEEP_APART);
    assertThat(LinkReviews.Decision.parse("Link")).isEqualTo(LinkReviews.Decision.LINK);
    assertThat(LinkReviews.Decision.parse("merge")).isNull();
  }

  @Test
  void theReviewIdIsThePairWhicheverWayRound() {
    assertThat(LinkReview.idOf(older, newer))
        .isEqualTo(LinkReview.idOf(newer, older))
        .matches("[0-9a-f]{32}")
        .isNotEqualTo(LinkReview.idOf(older, new PersonId("P-other")));
  }
}
