package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FamilyLinkCliTest {

  @TempDir Path dir;

  @Test
  void generatedExtractsPassValidationAndAFileSentAsTheWrongDatasetIsRejected() {
    CommandLine cli = FamilyLinkCli.commandLine();
    assertThat(cli.execute("generate", "--families", "50", "--seed", "3", "--out", dir.toString()))
        .isZero();
    assertThat(dir.resolve("ground-truth.csv")).exists();
    assertThat(
            FamilyLinkCli.commandLine()
                .execute(
                    "validate",
                    "--dataset",
                    "health",
                    dir.resolve("extracts/health.csv").toString()))
        .isZero();
    assertThat(
            FamilyLinkCli.commandLine()
                .execute(
                    "validate",
                    "--dataset",
                    "housing",
                    dir.resolve("extracts/health.csv").toString()))
        .isEqualTo(1);
  }

  @Test
  void badInputIsExplainedWithoutAStackTrace() throws Exception {
    CommandLine cli = FamilyLinkCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    Path file = Files.writeString(dir.resolve("x.csv"), "a\n");
    assertThat(cli.execute("validate", "--dataset", "no-such-dataset", file.toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("unknown dataset 'no-such-dataset'")
        .contains("early-help")
        .doesNotContain("\tat ");
  }
}
