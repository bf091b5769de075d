package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import uk.familylink.domain.contract.DatasetContract;

/**
 * Fuzz target for the extract reader and validator (issue 13 item 7). Under plain {@code mvn test}
 * Jazzer runs the committed seeds in {@code ExtractValidatorFuzzTestInputs/} as regression tests;
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 *
 * <p>Properties, for any bytes: validation throws nothing (the stream never fails here, so no
 * exception is declared); the report and the rows do not depend on read sizes; every row handed on
 * is counted as valid, in row order; and the report never repeats a value from the file.
 */
class ExtractValidatorFuzzTest {

  private static final List<DatasetContract> CONTRACTS =
      Stream.of(
              "dwp-benefits",
              "early-help",
              "health",
              "housing",
              "police-incidents",
              "school-attendance",
              "social-care")
          .map(Extracts::contract)
          .toList();

  /** Small limits, so the fuzzer reaches every limit with small inputs. */
  private static final ValidationPolicy POLICY = new ValidationPolicy(64 * 1024, 200, 32, 0.5, 50);

  /** Text a report may legitimately contain: column names, reason codes, dataset names. */
  private static final String VOCABULARY = vocabulary();

  private static String vocabulary() {
    StringBuilder s = new StringBuilder();
    for (DatasetContract c : CONTRACTS) {
      s.append(c.dataset()).append(' ').append(String.join(" ", c.columnNames())).append(' ');
    }
    for (ReasonCode r : ReasonCode.values()) {
      s.append(r.name()).append(' ');
    }
    return s.toString();
  }

  @FuzzTest(maxDuration = "5m")
  void validatorIsTotalDeterministicAndNeverEchoesInput(FuzzedDataProvider data) {
    DatasetContract contract = CONTRACTS.get(data.consumeInt(0, CONTRACTS.size() - 1));
    int chunk = data.consumeInt(1, 4096);
    boolean withHeader = data.consumeBoolean();
    byte[] body = data.consumeRemainingAsBytes();
    byte[] file =
        withHeader
            ? Extracts.concat(Extracts.utf8(String.join(",", contract.columnNames()) + "\n"), body)
            : body;
    ExtractValidator validator = new ExtractValidator(contract, POLICY, Extracts.CLOCK);

    List<Long> rows = new ArrayList<>();
    ValidationReport report =
        validator.validate(new ByteArrayInputStream(file), r -> rows.add(r.rowNumber()));
    List<Long> chunkedRows = new ArrayList<>();
    ValidationReport chunked =
        validator.validate(
            ReadSizeIndependenceTest.chunked(file, chunk), r -> chunkedRows.add(r.rowNumber()));

    String json = report.toJson();
    String text = report.toSummaryText();
    assertThat(chunked.toJson()).isEqualTo(json);
    assertThat(chunkedRows).isEqualTo(rows);
    assertThat((long) rows.size()).isEqualTo(report.rowsValid());
    assertThat(rows).isSorted().doesNotHaveDuplicates();
    assertThat(report.bytes()).isEqualTo(Math.min(file.length, POLICY.maxBytes() + 1));
    for (String token : tokens(body)) {
      if (!VOCABULARY.contains(token)) {
        assertThat(json).doesNotContain(token);
        assertThat(text).doesNotContain(token);
      }
    }
  }

  private static final Pattern PUNCTUATION = Pattern.compile("[,\"\\r\\n]");

  /** Runs of the input between CSV punctuation, long enough not to match report text by chance. */
  static List<String> tokens(byte[] body) {
    List<String> out = new ArrayList<>();
    for (String t : PUNCTUATION.split(new String(body, StandardCharsets.UTF_8), -1)) {
      String s = t.strip();
      if (s.length() >= 12) {
        out.add(s);
      }
    }
    return out;
  }
}
