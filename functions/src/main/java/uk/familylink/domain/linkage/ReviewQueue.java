package uk.familylink.domain.linkage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Port to the possible-link review queue kept beside the link store. Reads ignore reviews whose
 * expiresAt is not after {@code now}.
 */
public interface ReviewQueue {

  /**
   * Files each review unless one with its id is already stored (pending or decided): conditional,
   * so a retried chunk or a re-ingest neither duplicates a review nor re-queues a decided pair.
   */
  void queue(Collection<LinkReview> reviews, Instant now);

  /** Pending reviews, oldest first (then by id). */
  List<LinkReview> pending(Instant now);

  /** One review, pending or decided. */
  Optional<LinkReview> review(String id, Instant now);

  /**
   * Records the decision on a review only if it is still pending; false when it was decided already
   * (or is gone). The first decision stands.
   */
  boolean decide(String id, LinkReview.Status decision, String decidedBy, Instant at, Instant now);

  /**
   * Stores a review whatever is held under its id (ADR 0146: a split overrides an earlier LINKED
   * review of the same pair; a correction that splits a bridge puts its BRIDGED review back in the
   * queue, pending). Idempotent.
   */
  void record(LinkReview review);
}
