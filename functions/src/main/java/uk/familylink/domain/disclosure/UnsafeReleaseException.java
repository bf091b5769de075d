package uk.familylink.domain.disclosure;

/**
 * A release that must not be published: some suppressed cell can be narrowed down by an attacker
 * more than the policy allows. The message names cells by their table ids (never a person's data).
 */
public final class UnsafeReleaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient AttackReport report;

  public UnsafeReleaseException(String message, AttackReport report) {
    super(message);
    this.report = report;
  }

  public AttackReport report() {
    return report;
  }
}
