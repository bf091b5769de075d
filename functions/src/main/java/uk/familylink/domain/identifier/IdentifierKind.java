package uk.familylink.domain.identifier;

/**
 * Every kind of personal identifier a partner extract may carry. The kind is part of each token
 * (kind separation), so the same digits as an NHS number and as a ULN give different tokens. None
 * of these values is ever stored, logged or reported: only their keyed pseudonyms.
 */
public enum IdentifierKind {
  NHS_NUMBER(true),
  NINO(true),
  UPN(true),
  ULN(true),
  PNC_ID(true),
  GIVEN_NAME(false),
  FAMILY_NAME(false),
  DATE_OF_BIRTH(false),
  POSTCODE(false),
  /**
   * The first line of an address (house number or name and street), optional in contracts; used
   * only for tier-3 comparison and blocking, never as a deterministic key.
   */
  ADDRESS_LINE(false),
  /** Council-issued family reference (Early Help / Supporting Families case). */
  FAMILY_REF(false),
  /** Housing household reference. */
  HOUSEHOLD_REF(false),
  /** The partner's own reference for the row's subject/record; pseudonymised per dataset. */
  RECORD_REF(false);

  private final boolean strong;

  IdentifierKind(boolean strong) {
    this.strong = strong;
  }

  /** Strong identifiers link exactly on their own (tier 1). */
  public boolean isStrong() {
    return strong;
  }
}
