package uk.familylink.local.population;

/**
 * Unique, valid, obviously fictional identifiers made from a person's slot number (a unique
 * integer), so no two synthetic people ever share one and a run is reproducible.
 */
final class SyntheticIdentifiers {

    /** Prefixes that pass every NINO rule; the six digits come from the slot. */
    private static final String[] NINO_PREFIXES = {"AB", "CE", "JG", "KL", "PA", "RE", "SW", "TY", "WL", "YH", "HP", "ML"};
    /** Herefordshire's local-authority code, as in real UPNs issued there. */
    static final String LA_CODE = "884";

    private SyntheticIdentifiers() {
    }

    /**
     * NHS number in the 9xx range (not issued to patients in England, Wales or Northern Ireland).
     * Of three neighbouring 9-digit stems at most one has no valid check digit, so each slot owns three.
     */
    static String nhsNumber(long slot) {
        long base = 900_000_000L + slot * 3;
        if (base + 2 > 999_999_999L) {
            throw new IllegalArgumentException("Population too large for synthetic NHS numbers");
        }
        for (long stem = base; stem < base + 3; stem++) {
            String nine = Long.toString(stem);
            int check = SyntheticCheckDigits.nhsCheckDigit(nine);
            if (check >= 0) {
                return nine + check;
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
        String prefix = NINO_PREFIXES[(int) ((slot / 1_000_000) % NINO_PREFIXES.length)];
        return prefix + String.format("%06d", slot % 1_000_000) + "ABCD".charAt(Math.floorMod(suffixChoice, 4));
    }

    /** UPN: check letter, LA code, establishment (from the slot), 2-digit year, 3-digit serial. */
    static String upn(long slot, int yearOfAllocation) {
        String establishment = String.format("%04d", 2000 + (slot / 1000) % 8000);
        String rest = LA_CODE + establishment + String.format("%02d", yearOfAllocation % 100) + String.format("%03d", slot % 1000);
        return SyntheticCheckDigits.upnCheckLetter(rest) + rest;
    }

    /** ULN: two candidate stems per slot, at most one of which has no valid last digit. */
    static String uln(long slot) {
        long base = 100_000_000L + slot * 2;
        for (long stem = base; stem < base + 2; stem++) {
            String nine = Long.toString(stem);
            int last = SyntheticCheckDigits.ulnLastDigit(nine);
            if (last >= 0) {
                return nine + last;
            }
        }
        throw new IllegalStateException("no valid ULN last digit among two neighbouring stems");
    }

    /** PNC ID in the long form YYYY/NNNNNNNA. */
    static String pncId(long slot, int year) {
        int serial = (int) (slot % 10_000_000);
        return String.format("%04d/%07d%c", year, serial, SyntheticCheckDigits.pncCheckLetter(year % 100, serial));
    }
}
