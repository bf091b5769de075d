package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;

/**
 * Single-thread throughput of parse + validate + normalise on a 12-column file with 4 identifiers
 * a row. Timing tests are noisy on shared machines, so this runs only on request:
 * {@code mvn -pl functions test -Dtest=ValidatorThroughputTest -Dfamilylink.perf=true}.
 */
@EnabledIfSystemProperty(named = "familylink.perf", matches = "true")
class ValidatorThroughputTest {

    private static final String CONTRACT = """
            dataset: perf
            version: 1
            partners: [perf]
            columns:
              - { name: record_ref, type: IDENTIFIER, identifier: RECORD_REF, required: true }
              - { name: nhs_number, type: IDENTIFIER, identifier: NHS_NUMBER }
              - { name: family_name, type: IDENTIFIER, identifier: FAMILY_NAME }
              - { name: date_of_birth, type: IDENTIFIER, identifier: DATE_OF_BIRTH }
              - { name: event_date, type: DATE, required: true, notFuture: true, meaning: EVENT_DATE }
              - { name: closure_date, type: DATE, meaning: CLOSURE_DATE }
              - { name: category, type: CODE, required: true, keep: true, codes: [ALPHA, BRAVO, CHARLIE, DELTA] }
              - { name: role, type: CODE, meaning: FAMILY_ROLE, codes: [PARENT_CARER, CHILD, OTHER_ADULT] }
              - { name: flag, type: BOOLEAN, meaning: EXPECTANT_PARENT }
              - { name: sessions, type: INTEGER, min: 0, max: 1000 }
              - { name: absences, type: INTEGER, min: 0, max: 1000 }
              - { name: needs, type: CODE_LIST, codes: [HOUSING, CRIME, HEALTH] }
            indicators:
              - { need: HOUSING, when: { column: needs, contains: [HOUSING] } }
              - { need: EDUCATION, when: { ratio: { numerator: absences, denominator: sessions }, atLeast: 0.1 } }
              - { need: CRIME, when: { column: category, in: [ALPHA] } }
            """;

    @Test
    void validatesAtLeastHalfAMillionRowsASecondOnOneThread() throws Exception {
        DatasetContract contract = ContractRegistry.parse("perf.yaml",
                new ByteArrayInputStream(CONTRACT.getBytes(StandardCharsets.UTF_8)));
        int rows = 1_000_000;
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 110);
        out.write("record_ref,nhs_number,family_name,date_of_birth,event_date,closure_date,category,role,flag,sessions,absences,needs\n"
                .getBytes(StandardCharsets.UTF_8));
        String[] nhs = {"9434765919", "4010232137", "1234567881", "9990001111"};
        String[] names = {"Smith", "Jones", "O'Brien", "Taylor-Evans"};
        for (int i = 0; i < rows; i++) {
            String row = "REF" + i + "," + nhs[i & 3] + "," + names[(i >> 2) & 3] + ",2011-04-" + (10 + i % 18)
                    + ",2025-05-0" + (1 + i % 9) + ",,alpha,CHILD,N," + (100 + i % 50) + "," + (i % 20) + ",HOUSING;crime\n";
            out.write(row.getBytes(StandardCharsets.UTF_8));
        }
        byte[] file = out.toByteArray();
        ExtractValidator validator = new ExtractValidator(contract, ValidationPolicy.DEFAULTS, Extracts.CLOCK);

        double best = 0;
        for (int run = 0; run < 5; run++) {
            AtomicLong seen = new AtomicLong();
            long t0 = System.nanoTime();
            ValidationReport report = validator.validate(new ByteArrayInputStream(file), r -> seen.incrementAndGet());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(report.status()).isEqualTo(ValidationReport.Status.ACCEPTED);
            assertThat(seen.get()).isEqualTo(rows);
            best = Math.max(best, rows / seconds);
            System.out.printf("run %d: %.0f rows/s (%.1f MB/s)%n", run, rows / seconds, file.length / seconds / 1e6);
        }
        assertThat(best).isGreaterThan(500_000);
    }
}
