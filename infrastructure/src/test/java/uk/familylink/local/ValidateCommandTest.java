package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-10T09:00:00Z"), ZoneOffset.UTC);
  private static final String HEALTH_HEADER =
      "record_ref,nhs_number,given_name,family_name,date_of_birth,postcode,service,contact_date,expectant_parent\n";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int validate(String... args) {
    CommandLine cli = new CommandLine(new ValidateCommand(CLOCK));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void anAcceptableFileExitsZeroWithTheReportOnStdoutAndTheSummaryOnStderr() throws Exception {
    // 1 row in 25 has a bad NHS check digit: it is left out and the file (4% invalid, under the 5%
    // limit) accepted
    StringBuilder csv =
        new StringBuilder(HEALTH_HEADER)
            .append("H0,9434765918,Ada,Lovelace,1990-05-01,HR1 2AB,GP,2026-01-05,N\n");
    for (int i = 1; i < 25; i++) {
      csv.append(
          i % 2 == 0
              ? "H" + i + ",9434765919,Ada,Lovelace,1990-05-01,HR1 2AB,GP,2026-01-05,N\n"
              : "H"
                  + i
                  + ",943 476 5919,Ada,Lovelace,01/05/1990,hr12ab,MENTAL_HEALTH,05/01/2026,Y\n");
    }
    Path file = Files.writeString(dir.resolve("health.csv"), csv);
    assertThat(validate("--dataset", "health", file.toString())).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.toString()).contains("ACCEPTED_WITH_ERRORS").contains("INVALID_NHS_NUMBER");
    assertThat(err.toString()).isNotBlank();
    // P1: no value from the file in either stream
    assertThat(out.toString() + err.toString())
        .doesNotContain("9434765918")
        .doesNotContain("Lovelace")
        .doesNotContain("HR1");
  }

  @Test
  void aRejectedFileExitsOne() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("wrong.csv"),
            HEALTH_HEADER + "H1,9434765919,Ada,Lovelace,1990-05-01,HR1 2AB,GP,2026-01-05,N\n");
    assertThat(validate("--dataset", "housing", file.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("REJECTED").contains("HEADER_MISSING_COLUMN");
    assertThat(err.toString()).isNotBlank();
  }

  @Test
  void anUnknownDatasetIsAUsageErrorListingTheKnownOnes() throws Exception {
    Path file = Files.writeString(dir.resolve("x.csv"), "a\n");
    assertThat(validate("--dataset", "no-such-dataset", file.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("unknown dataset 'no-such-dataset'")
        .contains("early-help")
        .contains("social-care");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMissingFileIsAUsageError() {
    assertThat(validate("--dataset", "health", dir.resolve("nope.csv").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such file");
  }

  @Test
  void aDirectoryIsSaidToBeOne() {
    assertThat(validate("--dataset", "health", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is a directory");
  }

  @Test
  void aHeaderOnlyFileIsReportedAsHavingNoRows() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.csv"), HEALTH_HEADER);
    assertThat(validate("--dataset", "health", file.toString())).isZero();
    assertThat(err.toString()).contains("the file has no rows (a header only)");
  }

  @Test
  void contractsMayComeFromAFolder() throws Exception {
    Path contracts = Files.createDirectories(dir.resolve("contracts"));
    Files.copy(Path.of("contracts/health.yaml"), contracts.resolve("health.yaml"));
    Path file =
        Files.writeString(
            dir.resolve("health.csv"),
            HEALTH_HEADER + "H1,9434765919,Ada,Lovelace,1990-05-01,HR1 2AB,GP,2026-01-05,N\n");
    assertThat(
            validate("--dataset", "health", "--contracts", contracts.toString(), file.toString()))
        .isZero();
    assertThat(out.toString()).contains("\"ACCEPTED\"");
    assertThat(
            validate("--dataset", "housing", "--contracts", contracts.toString(), file.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("known datasets: health");
  }
}
