package uk.familylink.domain.validation;

/**
 * Why a file or row was not accepted. Reports carry these codes, row numbers and column names only.
 */
public enum ReasonCode {
  // routing / authorisation (whole file)
  UNKNOWN_PARTNER,
  UNKNOWN_DATASET,
  DATASET_NOT_FOR_PARTNER,
  UPLOADER_NOT_PARTNER,
  BAD_OBJECT_KEY,
  // structure (whole file)
  EMPTY_FILE,
  FILE_TOO_LARGE,
  TOO_MANY_ROWS,
  NOT_UTF8,
  BINARY_CONTENT,
  MISSING_HEADER,
  HEADER_MISSING_COLUMN,
  HEADER_UNEXPECTED_COLUMN,
  HEADER_DUPLICATE_COLUMN,
  UNTERMINATED_QUOTE,
  MALFORMED_CSV,
  /** A line has far more cells than the header allows (a streaming limit; the file stops). */
  TOO_MANY_FIELDS,
  /** A line is far longer than any valid row (a streaming limit; the file stops). */
  ROW_TOO_LONG,
  TOO_MANY_INVALID_ROWS,
  // row level
  WRONG_FIELD_COUNT,
  FIELD_TOO_LONG,
  REQUIRED_MISSING,
  INVALID_DATE,
  FUTURE_DATE,
  INVALID_INTEGER,
  INVALID_BOOLEAN,
  INVALID_CODE,
  FORMULA_LIKE_VALUE,
  INVALID_NAME,
  INVALID_NHS_NUMBER,
  INVALID_NINO,
  INVALID_UPN,
  INVALID_ULN,
  INVALID_PNC_ID,
  INVALID_POSTCODE,
  INVALID_ADDRESS,
  INVALID_REFERENCE,
  /**
   * A name that stands for "no name" (NULL, N/A, UNKNOWN, NONE, -, ...): left out, never linked.
   */
  PLACEHOLDER_VALUE,
  /**
   * The cell holds an invisible or control character (zero-width, bidirectional override, soft
   * hyphen, C0/C1 control): left out rather than silently cleaned.
   */
  INVISIBLE_CHARACTER,
  /** An earlier loaded row of the same file has the same record_ref: this row is left out. */
  DUPLICATE_RECORD_REF,
  NO_LINKABLE_IDENTIFIER
}
