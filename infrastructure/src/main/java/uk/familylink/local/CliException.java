package uk.familylink.local;

/**
 * A usage or input error the user can correct (exit status 2); the message says what is wrong and
 * what to do, and never holds a value from a partner file.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }
}
