package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end on a small population: every phase that takes a while says what it is doing
 * before it starts (services, uploads, the population read, the linkage comparison), then its
 * result, on stdout and in that order; the log stays off the terminal.
 */
class DemoCommandTest {

  @TempDir Path dir;

  @Test
  void eachLongPhaseIsAnnouncedBeforeItsResult() {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit =
          FamilyLinkCli.commandLine()
              .execute(
                  "demo",
                  "--families",
                  "40",
                  "--out",
                  dir.resolve("demo").toString(),
                  "--home",
                  dir.resolve("home").toString());
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    String printed = out.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    List<String> inOrder =
        List.of(
            "Starting the embedded S3 and DynamoDB Local...",
            "Uploads (each handled by the real ingest handler",
            "broken on purpose",
            "Files: 7 accepted, 1 rejected.",
            "Reading the linked population back from DynamoDB",
            "Linked population (read in ",
            "Comparing the linkage with the generator's ground truth",
            "Linkage (all tiers) against the ground truth");
    int at = -1;
    for (String line : inOrder) {
      int next = printed.indexOf(line, at + 1);
      assertThat(next).as("'%s' after the previous step in:%n%s", line, printed).isGreaterThan(at);
      at = next;
    }
    assertThat(printed).doesNotContain("\"_aws\"").doesNotContain("\"log.level\"");
  }
}
