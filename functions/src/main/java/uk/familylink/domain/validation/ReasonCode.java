package uk.familylink.domain.validation;

/** Why a file or row was not accepted. Reports carry these codes, row numbers and column names only. */
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
    INVALID_REFERENCE,
    NO_LINKABLE_IDENTIFIER
}
