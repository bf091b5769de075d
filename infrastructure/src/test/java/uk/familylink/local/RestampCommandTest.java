package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestampCommandTest {

  @Test
  void theTimeTravelDemoShowsNothingDeletedAtTheOldExpiryAndEverythingAtTheNew(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit =
          FamilyLinkCli.commandLine()
              .execute(
                  "restamp",
                  "--programme-end",
                  "2027-03-31",
                  "--families",
                  "5",
                  "--out",
                  dir.resolve("out").toString(),
                  "--home",
                  dir.resolve("home").toString());
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(out).isZero();
    assertThat(out)
        .contains("Re-stamp to programme end 2027-03-31 + 6 years = 2033-04-01T00:00:00Z: COMPLETE")
        .containsPattern("a day after the OLD expiry\\): COMPLETE, 0 items deleted")
        .contains("Linked items left: 0");
  }
}
