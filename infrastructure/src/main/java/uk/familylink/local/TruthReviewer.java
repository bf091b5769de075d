package uk.familylink.local;

import java.util.Map;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.review.LinkReviewException;
import uk.familylink.domain.review.LinkReviews;

/**
 * Works the possible-link review queue as a reviewer who could see the ground truth would: links
 * the two persons of a review when most of each one's records belong to the same true person, and
 * keeps them apart otherwise. A stand-in for the data team in {@code linkage-quality --review}, to
 * measure what working the queue is worth and what it costs; never part of the service. Decisions
 * go through the real {@link LinkReviews} (merges with their evidence, audit entries).
 */
final class TruthReviewer {

  /** Who the decisions are recorded as made by. */
  static final String DECIDED_BY = "linkage-quality (ground truth as reviewer; simulated)";

  /**
   * What working the queue did.
   *
   * @param pending reviews pending before
   * @param linked decided LINK
   * @param keptApart decided KEEP_APART
   * @param refused decisions the service refused (decided meanwhile, persons gone)
   */
  record Worked(int pending, int linked, int keptApart, int refused) {}

  private TruthReviewer() {}

  /**
   * Decides every pending review.
   *
   * @param truePersonOf each current person's true person ({@link LinkageQuality#truePersonOf})
   * @param mergedInto where each merged person went ({@link LinkageQuality#mergedInto}), so a
   *     review queued before a merge is judged on the person its side is now
   */
  static Worked work(
      LinkReviews reviews, Map<PersonId, String> truePersonOf, Map<PersonId, PersonId> mergedInto) {
    int linked = 0;
    int keptApart = 0;
    int refused = 0;
    var pending = reviews.pending();
    for (LinkReview review : pending) {
      String a = truePersonOf.get(LinkageQuality.survivor(review.person(), mergedInto));
      String b = truePersonOf.get(LinkageQuality.survivor(review.candidate(), mergedInto));
      LinkReviews.Decision decision =
          a != null && a.equals(b) ? LinkReviews.Decision.LINK : LinkReviews.Decision.KEEP_APART;
      try {
        reviews.decide(review.id(), decision, DECIDED_BY);
        if (decision == LinkReviews.Decision.LINK) {
          linked++;
        } else {
          keptApart++;
        }
      } catch (LinkReviewException e) {
        refused++;
      }
    }
    return new Worked(pending.size(), linked, keptApart, refused);
  }
}
