package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SweepCommandTest {

  @Test
  void nowIsADateAtUtcMidnightOrAnInstant() {
    assertThat(SweepCommand.parseNow("2032-04-02"))
        .isEqualTo(Instant.parse("2032-04-02T00:00:00Z"));
    assertThat(SweepCommand.parseNow("2032-04-02T03:00:00Z"))
        .isEqualTo(Instant.parse("2032-04-02T03:00:00Z"));
    assertThat(SweepCommand.parseNow("02/04/2032"))
        .isEqualTo(Instant.parse("2032-04-02T00:00:00Z"));
    assertThatThrownBy(() -> SweepCommand.parseNow("next April"))
        .hasMessageContaining("--now must be a date");
  }

  @Test
  void aMalformedDateFailsWithAClearMessageBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    int exit =
        FamilyLinkCli.commandLine()
            .setErr(new PrintWriter(err))
            .execute("sweep", "--now", "2032-13-45");

    assertThat(exit).as("a usage error").isEqualTo(2);
    assertThat(err.toString()).contains("familylink: --now must be a date like 2032-04-02");
  }
}
