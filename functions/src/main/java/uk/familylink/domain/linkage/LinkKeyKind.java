package uk.familylink.domain.linkage;

/**
 * The kinds of keyed token used to find a person. Strong kinds link and merge; composites only
 * link.
 */
public enum LinkKeyKind {
  NHS_NUMBER(true),
  NINO(true),
  UPN(true),
  ULN(true),
  PNC_ID(true),
  /** normalised given name + family name + date of birth (tier 2). */
  NAME_DOB(false),
  /** NAME_DOB + postcode (tier 2, preferred over NAME_DOB). */
  NAME_DOB_POSTCODE(false);

  private final boolean strong;

  LinkKeyKind(boolean strong) {
    this.strong = strong;
  }

  public boolean isStrong() {
    return strong;
  }
}
