package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report statistics} and {@code release} end to end on a small synthetic population ingested
 * by the real handler: files written, attacker check passed, a second statistics release checked
 * against the first (read from the same workspace, nothing ingested again).
 */
class ReportAndReleaseCommandTest {

  @TempDir Path dir;

  private String run(int expectedExit, String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(FamilyLinkCli.commandLine().execute(args)).isEqualTo(expectedExit);
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void statisticsAreWrittenAndTheNextReleaseIsCheckedAgainstThePrevious() throws Exception {
    String home = dir.resolve("home").toString();
    Path first = dir.resolve("q3");
    String printed =
        run(
            0,
            "report",
            "statistics",
            "--out",
            first.toString(),
            "--families",
            "60",
            "--home",
            home);
    assertThat(printed).contains("attacker check passed");
    assertThat(first.resolve("report.html")).exists();
    assertThat(first.resolve("families_by_need.csv")).exists();
    assertThat(first.resolve("families_by_need.meta.csv")).exists();
    String html = Files.readString(first.resolve("report.html"));
    // self-contained: nothing to fetch (the SVG namespace URI is a name, not a request)
    assertThat(html)
        .contains("<svg")
        .doesNotContainPattern("(?i)(src|href)\\s*=")
        .doesNotContain("url(");

    Path second = dir.resolve("q4");
    run(
        0,
        "report",
        "statistics",
        "--out",
        second.toString(),
        "--previous",
        first.toString(),
        "--home",
        home);
    assertThat(Files.readString(second.resolve("families_by_number_of_needs.csv"))).contains(",c,");
  }

  @Test
  void aResearchReleaseIsWrittenUnderExportsWithItsManifest() throws Exception {
    Path out = dir.resolve("out");
    String printed =
        run(
            0,
            "release",
            "--study",
            "Outcomes Study",
            "--out",
            out.toString(),
            "--families",
            "60",
            "--home",
            dir.resolve("home").toString());
    assertThat(printed).contains("Research release outcomes-study");
    Path folder = out.resolve("exports").resolve("outcomes-study");
    assertThat(Files.readString(folder.resolve("manifest.json")))
        .contains("\"study\" : \"Outcomes Study\"")
        .contains("\"k\" : 5");
    assertThat(Files.readAllLines(folder.resolve("persons.csv")).get(0))
        .startsWith("person_id,family_id,age_band,first_seen");
  }
}
