package uk.familylink.domain.contract;

/**
 * What a column means to linkage and reporting, beyond its type. At most one column per meaning in
 * a contract.
 */
public enum ColumnMeaning {
  /** The date the row is about (a DATE column); becomes {@code ValidatedRow.eventDate}. */
  EVENT_DATE(ColumnType.DATE),
  /** The person's role in the family (a CODE column); becomes {@code ValidatedRow.familyRole}. */
  FAMILY_ROLE(ColumnType.CODE),
  /**
   * The person is an expectant parent (a BOOLEAN column); becomes {@code
   * ValidatedRow.expectantParent}.
   */
  EXPECTANT_PARENT(ColumnType.BOOLEAN),
  /** A referral date, kept as the attribute {@code referral_date} (ISO date). */
  REFERRAL_DATE(ColumnType.DATE),
  /** A case closure date, kept as the attribute {@code closure_date} (ISO date). */
  CLOSURE_DATE(ColumnType.DATE);

  private final ColumnType requiredType;

  ColumnMeaning(ColumnType requiredType) {
    this.requiredType = requiredType;
  }

  /** The column type this meaning needs. */
  public ColumnType requiredType() {
    return requiredType;
  }

  /**
   * The attribute name under which the value is kept whatever the column is called, or null when
   * the meaning maps to a dedicated {@code ValidatedRow} field instead.
   */
  public String attributeKey() {
    return switch (this) {
      case REFERRAL_DATE -> "referral_date";
      case CLOSURE_DATE -> "closure_date";
      default -> null;
    };
  }
}
