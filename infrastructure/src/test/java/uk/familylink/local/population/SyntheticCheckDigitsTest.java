package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntheticCheckDigitsTest {

    @Test
    void acceptsTheWorkedExamplesOfTheDesign() {
        assertThat(SyntheticCheckDigits.isValidNhsNumber("9434765919")).isTrue();
        assertThat(SyntheticCheckDigits.isValidUpn("B801200005001")).isTrue();
    }

    @Test
    void rejectsWrongCheckCharacters() {
        assertThat(SyntheticCheckDigits.isValidNhsNumber("9434765918")).isFalse();
        assertThat(SyntheticCheckDigits.isValidUpn("C801200005001")).isFalse();
        String uln = SyntheticIdentifiers.uln(7);
        assertThat(SyntheticCheckDigits.isValidUln(uln)).isTrue();
        assertThat(SyntheticCheckDigits.isValidUln(uln.substring(0, 9) + (uln.charAt(9) - '0' + 1) % 10)).isFalse();
        String pnc = SyntheticIdentifiers.pncId(12345, 2019);
        char wrong = pnc.charAt(pnc.length() - 1) == 'A' ? 'B' : 'A';
        assertThat(SyntheticCheckDigits.isValidPncId(pnc.substring(0, pnc.length() - 1) + wrong)).isFalse();
    }

    @Test
    void pncCheckIsTheYearAndSerialAsOneNumberModulo23() {
        // 19 0012345 -> 190012345 mod 23 = 190012345 - 23 * 8261406 = 7 -> "ZABCDEFGHJ..."[7] = 'G'
        assertThat(SyntheticIdentifiers.pncId(12345, 2019)).isEqualTo("2019/0012345G");
        assertThat(SyntheticCheckDigits.isValidPncId("19/0012345G")).isTrue();
    }

    @Test
    void ninoRulesExcludeForbiddenLettersAndPrefixes() {
        assertThat(SyntheticCheckDigits.isValidNino("AB123456C")).isTrue();
        assertThat(SyntheticCheckDigits.isValidNino("DA123456C")).isFalse();
        assertThat(SyntheticCheckDigits.isValidNino("AO123456C")).isFalse();
        assertThat(SyntheticCheckDigits.isValidNino("TN123456C")).isFalse();
        assertThat(SyntheticCheckDigits.isValidNino("AB123456E")).isFalse();
    }

    @Test
    void aBadCheckDigitNhsNumberReallyIsInvalid() {
        for (int slot = 0; slot < 1000; slot++) {
            String valid = SyntheticIdentifiers.nhsNumber(slot);
            assertThat(SyntheticCheckDigits.isValidNhsNumber(SyntheticIdentifiers.nhsNumberWithBadCheckDigit(valid))).isFalse();
        }
    }
}
