package uk.familylink.local.population;

import java.util.Set;

/**
 * Check-digit arithmetic for the synthetic identifiers (DESIGN.md section 4). A private copy so the
 * generator does not wait for {@code uk.familylink.domain.identifier.CheckDigits}; once that exists
 * the tests should cross-check both, and this class can shrink to calls into it.
 */
final class SyntheticCheckDigits {

    /** A..Z without I, O and S: the UPN check-letter alphabet (also the values of a trailing letter). */
    static final String UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ";
    static final String PNC_ALPHABET = "ZABCDEFGHJKLMNPQRTUVWXY";
    private static final String NINO_BAD_LETTERS = "DFIQUV";
    private static final Set<String> NINO_BAD_PREFIXES = Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ",
            "OO", "CR", "FY", "MW", "NC", "PP", "PY", "PZ");

    private SyntheticCheckDigits() {
    }

    /** NHS check digit for nine digits: weights 10..2, 11 - (sum mod 11), 11 -> 0; -1 when it would be 10 (unusable). */
    static int nhsCheckDigit(String nineDigits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (nineDigits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            return 0;
        }
        return check == 10 ? -1 : check;
    }

    static boolean isValidNhsNumber(String tenDigits) {
        if (tenDigits == null || !tenDigits.matches("\\d{10}")) {
            return false;
        }
        return nhsCheckDigit(tenDigits.substring(0, 9)) == tenDigits.charAt(9) - '0';
    }

    /** ULN: ten digits, first not 0, weights 10..1, weighted sum mod 11 equals 10. */
    static boolean isValidUln(String tenDigits) {
        if (tenDigits == null || !tenDigits.matches("[1-9]\\d{9}")) {
            return false;
        }
        return ulnWeightedSum(tenDigits, 10) % 11 == 10;
    }

    /** The last ULN digit that makes nine leading digits valid, or -1 when none does. */
    static int ulnLastDigit(String nineDigits) {
        int last = Math.floorMod(10 - ulnWeightedSum(nineDigits, 9), 11);
        return last == 10 ? -1 : last;
    }

    private static int ulnWeightedSum(String digits, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        return sum;
    }

    /** UPN check letter for the twelve characters after it: weights 2..13, sum mod 23. */
    static char upnCheckLetter(String twelveChars) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            char c = twelveChars.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : UPN_ALPHABET.indexOf(c);
            sum += value * (i + 2);
        }
        return UPN_ALPHABET.charAt(sum % 23);
    }

    static boolean isValidUpn(String upn) {
        if (upn == null || !upn.matches("[A-Z]\\d{11}[0-9A-Z]")) {
            return false;
        }
        return upn.charAt(0) == upnCheckLetter(upn.substring(1));
    }

    static boolean isValidNino(String nino) {
        if (nino == null || !nino.matches("[A-Z]{2}\\d{6}[A-D]")) {
            return false;
        }
        char first = nino.charAt(0);
        char second = nino.charAt(1);
        return NINO_BAD_LETTERS.indexOf(first) < 0 && NINO_BAD_LETTERS.indexOf(second) < 0 && second != 'O'
                && !NINO_BAD_PREFIXES.contains(nino.substring(0, 2));
    }

    /** PNC check character for a 2-digit year and a serial (7 digits, zero-padded). */
    static char pncCheckLetter(int twoDigitYear, int serial) {
        long number = Long.parseLong(String.format("%02d%07d", twoDigitYear, serial));
        return PNC_ALPHABET.charAt((int) (number % 23));
    }

    /** PNC ID as YYYY/NNNNNNNA (or YY/NNNNNNNA). */
    static boolean isValidPncId(String pnc) {
        if (pnc == null || !pnc.matches("(\\d{2}|\\d{4})/\\d{7}[A-Z]")) {
            return false;
        }
        int slash = pnc.indexOf('/');
        int year = Integer.parseInt(pnc.substring(slash - 2, slash));
        int serial = Integer.parseInt(pnc.substring(slash + 1, slash + 8));
        return pnc.charAt(pnc.length() - 1) == pncCheckLetter(year, serial);
    }
}
