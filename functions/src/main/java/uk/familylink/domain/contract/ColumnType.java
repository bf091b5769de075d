package uk.familylink.domain.contract;

/** The kind of value a contract column holds; decides how a cell is checked and normalised. */
public enum ColumnType {
  /**
   * A personal identifier of the column's {@link uk.familylink.domain.identifier.IdentifierKind};
   * only its pseudonym is kept.
   */
  IDENTIFIER,
  /** A date, ISO yyyy-MM-dd or UK dd/MM/yyyy. */
  DATE,
  /** A whole number, optionally bounded by {@code min}/{@code max}. */
  INTEGER,
  /** One code from the column's list, matched case-insensitively, normalised to upper case. */
  CODE,
  /** Zero or more codes from the column's list, separated by semicolons. */
  CODE_LIST,
  /** Y/N, YES/NO, TRUE/FALSE or 1/0 (case-insensitive). */
  BOOLEAN
}
