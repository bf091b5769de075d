package uk.familylink.domain.disclosure;

/**
 * Symbols that stand in for a number in a published table, after the DfE analysts' guide (current
 * conventions: {@code low} replaced the older {@code ~} and {@code k}). The confidential symbol is
 * the policy's: {@code c} (DfE) or {@code *} (NHS).
 */
public enum Symbol {
  /** Not applicable: the cell cannot exist (a structural zero). */
  NOT_APPLICABLE("z"),
  /** Not available: the data was not collected or the table is not yet produced. */
  UNAVAILABLE("x"),
  /** Confidential: suppressed to protect people (DfE; the NHS policy shows {@code *}). */
  CONFIDENTIAL("c"),
  /** Rounds to zero but is not zero. */
  LOW("low"),
  /** Low reliability: a share over too few to be meaningful. */
  LOW_RELIABILITY("u");

  private final String code;

  Symbol(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
