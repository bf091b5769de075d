package uk.familylink.local.population;

import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;

/**
 * Unique, valid, obviously fictional identifiers made from a person's slot number (a unique
 * integer), so no two synthetic people ever share one and a run is reproducible. Check digits come
 * from {@link CheckDigits}; every identifier is confirmed with {@link Identifiers#normalise}, the
 * same rule ingest applies, so a generated identifier can never be rejected by accident.
 */
final class SyntheticIdentifiers {

  /** Herefordshire's local-authority code, as in real UPNs issued there. */
  static final int LA_CODE = 884;

  private SyntheticIdentifiers() {}

  /**
   * NHS number in the 9xx range (not issued to patients in England, Wales or Northern Ireland). Of
   * three neighbouring 9-digit stems at most one has no valid check digit, so each slot owns three.
   */
  static String nhsNumber(long slot) {
    long base = 900_000_000L + slot * 3;
    if (base + 2 > 999_999_999L) {
      throw new IllegalArgumentException("Population too large for synthetic NHS numbers");
    }
    for (long stem = base; stem < base + 3; stem++) {
      String nhs = CheckDigits.nhsNumber(stem);
      if (nhs != null) {
        return checked(IdentifierKind.NHS_NUMBER, nhs);
      }
    }
    throw new IllegalStateException("no valid NHS check digit among three neighbouring stems");
  }

  /** The same number with a wrong check digit (a deliberately invalid row). */
  static String nhsNumberWithBadCheckDigit(String valid) {
    int check = valid.charAt(9) - '0';
    return valid.substring(0, 9) + (check + 1) % 10;
  }

  static String nino(long slot, int suffixChoice) {
    String nino =
        CheckDigits.nino(
            (int) (slot / 1_000_000),
            (int) (slot % 1_000_000),
            "ABCD".charAt(Math.floorMod(suffixChoice, 4)));
    return checked(IdentifierKind.NINO, nino);
  }

  /** UPN: check letter, LA code, establishment (from the slot), 2-digit year, 3-digit serial. */
  static String upn(long slot, int yearOfAllocation) {
    int establishment = (int) (2000 + (slot / 1000) % 8000);
    return checked(
        IdentifierKind.UPN,
        CheckDigits.upn(LA_CODE, establishment, yearOfAllocation % 100, (int) (slot % 1000)));
  }

  /** ULN: two candidate stems per slot, at most one of which has no valid last digit. */
  static String uln(long slot) {
    long base = 100_000_000L + slot * 2;
    for (long stem = base; stem < base + 2; stem++) {
      String uln = CheckDigits.uln(stem);
      if (uln != null) {
        return checked(IdentifierKind.ULN, uln);
      }
    }
    throw new IllegalStateException("no valid ULN last digit among two neighbouring stems");
  }

  /** PNC ID in the normalised short form YY/NNNNNNNA. */
  static String pncId(long slot, int year) {
    return checked(IdentifierKind.PNC_ID, CheckDigits.pncId(year, (int) (slot % 10_000_000)));
  }

  /** The identifier, which must be exactly what ingest's normalisation makes of it. */
  private static String checked(IdentifierKind kind, String value) {
    if (value == null || !value.equals(Identifiers.normalise(kind, value))) {
      // generator arithmetic, not partner data: the synthetic value may be named
      throw new IllegalStateException(
          "generated " + kind + " " + value + " is not a valid normalised identifier");
    }
    return value;
  }
}
