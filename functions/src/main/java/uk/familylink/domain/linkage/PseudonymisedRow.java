package uk.familylink.domain.linkage;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.familylink.domain.need.Need;

/**
 * A validated row after pseudonymisation: keyed tokens and coarse values only, ready to link.
 *
 * @param rowNumber data row number in its file (for diagnostics)
 * @param strongKeys tier-1 keys (NHS number, NINO, UPN, ULN, PNC ID)
 * @param compositeKeys tier-2 keys, most specific first (NAME_DOB_POSTCODE, NAME_DOB)
 * @param recordToken pseudonym of the partner's record reference, scoped to the dataset
 * @param family family or household the row places the person in (may be null)
 * @param demographics keyed comparison encodings for tier 3 (null when the row has none)
 * @param blockKeys keyed blocking keys for tier 3 (empty when none)
 */
public record PseudonymisedRow(
    long rowNumber,
    List<IdentityKey> strongKeys,
    List<IdentityKey> compositeKeys,
    String recordToken,
    FamilyKey family,
    String familyRole,
    Set<Need> indicators,
    LocalDate eventDate,
    String birthYearMonth,
    boolean expectantParent,
    Map<String, String> attributes,
    Demographics demographics,
    List<String> blockKeys) {

  public PseudonymisedRow {
    blockKeys = blockKeys == null ? List.of() : List.copyOf(blockKeys);
  }

  /** A row without tier-3 encodings (deterministic tiers only). */
  public PseudonymisedRow(
      long rowNumber,
      List<IdentityKey> strongKeys,
      List<IdentityKey> compositeKeys,
      String recordToken,
      FamilyKey family,
      String familyRole,
      Set<Need> indicators,
      LocalDate eventDate,
      String birthYearMonth,
      boolean expectantParent,
      Map<String, String> attributes) {
    this(
        rowNumber,
        strongKeys,
        compositeKeys,
        recordToken,
        family,
        familyRole,
        indicators,
        eventDate,
        birthYearMonth,
        expectantParent,
        attributes,
        null,
        List.of());
  }
}
