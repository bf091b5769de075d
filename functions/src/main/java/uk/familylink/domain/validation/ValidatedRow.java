package uk.familylink.domain.validation;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.need.Need;

/**
 * A row that passed validation. {@code identifiers} hold NORMALISED plaintext identifiers and live
 * only in memory until pseudonymised; nothing here may be logged. DATE_OF_BIRTH is yyyy-MM-dd.
 *
 * @param rowNumber 1-based data row number (the header is row 0)
 * @param identifiers normalised identifiers present in the row, by kind
 * @param indicators headline needs this row evidences, from the contract's rules
 * @param eventDate the contract's event date column (may be null)
 * @param familyRole the contract's family-role code column (may be null)
 * @param expectantParent the contract's expectant-parent flag (false when absent)
 * @param attributes non-identifying columns the contract marks {@code keep: true}, normalised
 */
public record ValidatedRow(
    long rowNumber,
    Map<IdentifierKind, String> identifiers,
    Set<Need> indicators,
    LocalDate eventDate,
    String familyRole,
    boolean expectantParent,
    Map<String, String> attributes) {}
