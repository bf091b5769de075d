package uk.familylink.domain.review;

/**
 * A review decision refused. The message says why; it names the review (a hash of pseudonymous ids)
 * and never a value from a partner file.
 */
public final class LinkReviewException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the decision was refused. */
  public enum Reason {
    INVALID_REQUEST,
    NOT_FOUND,
    ALREADY_DECIDED,
    PERSON_GONE
  }

  private final Reason reason;

  public LinkReviewException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
