package uk.familylink.domain.access;

/**
 * A subject access request that cannot be answered as asked. The message names the field and the
 * problem, never a value from the request.
 */
public final class SubjectAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the request was refused. */
  public enum Reason {
    MISSING_REQUESTER,
    MISSING_PURPOSE,
    INVALID_TEXT,
    NO_IDENTIFIER,
    INVALID_IDENTIFIER,
    INCOMPLETE_IDENTIFIERS,
    UNKNOWN_FIELD
  }

  private final Reason reason;
  private final String field;

  public SubjectAccessException(Reason reason, String field, String message) {
    super(message);
    this.reason = reason;
    this.field = field;
  }

  public Reason reason() {
    return reason;
  }

  /** The request field at fault (null when the request as a whole is at fault). */
  public String field() {
    return field;
  }
}
