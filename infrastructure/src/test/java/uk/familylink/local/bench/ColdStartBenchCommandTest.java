package uk.familylink.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import uk.familylink.adapter.aws.MotoServer;
import uk.familylink.local.FamilyLinkCli;

/**
 * The shaded Lambda jar on its own starts the ingest and subject-access handlers in a fresh JVM and
 * handles a real event against moto_server (the bench fails when the ingest does not ACCEPT its
 * file or subject access does not ANSWER): nothing either needs was left out of the artefact.
 */
class ColdStartBenchCommandTest {

  // Only for its skip-with-a-reason (or fail under CI) when moto_server is missing; the bench
  // starts its own moto_server.
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  static final Path ARTEFACT = Path.of("../functions/target/familylink-functions-lambda.jar");

  @Test
  void ingestAndSubjectAccessStartFromTheLambdaJarAloneAndHandleAnEvent() throws Exception {
    assertThat(ARTEFACT).as("built by the functions module's package phase").isRegularFile();
    StringWriter out = new StringWriter();
    int exit = coldStart(out);

    assertThat(exit).as(out.toString()).isZero();
    String last = out.toString().strip().lines().reduce((a, b) -> b).orElseThrow();
    JsonNode json = new ObjectMapper().readTree(last);
    for (String function : new String[] {"ingest", "subject-access"}) {
      assertThat(json.path(function).path("medianReadySeconds").asDouble())
          .as(function)
          .isPositive();
      assertThat(json.path(function).path("medianRespondedSeconds").asDouble())
          .as(function)
          .isGreaterThanOrEqualTo(json.path(function).path("medianReadySeconds").asDouble());
    }
    assertThat(out.toString()).contains("response outcome ACCEPTED", "response status ANSWERED");
  }

  @Test
  void ingestCanSendItsDynamoDbCallsToDynamoDbLocalInstead() throws Exception {
    assertThat(ARTEFACT).as("built by the functions module's package phase").isRegularFile();
    StringWriter out = new StringWriter();
    int exit = coldStart(out, "--functions", "ingest", "--dynamodb", "local");

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("dynamodb: DynamoDB Local in server mode at http://")
        .contains("response outcome ACCEPTED");

    CommandLine wrong = FamilyLinkCli.commandLine();
    StringWriter err = new StringWriter();
    wrong.setErr(new PrintWriter(err, true));
    wrong.setOut(new PrintWriter(new StringWriter()));
    assertThat(
            wrong.execute("bench", "coldstart", "--dynamodb", "real", "--jar", ARTEFACT.toString()))
        .isEqualTo(FamilyLinkCli.USAGE);
    assertThat(err.toString()).contains("--dynamodb must be moto or local");
  }

  /** One-run {@code bench coldstart} on the artefact, with the moto_server the extension found. */
  private static int coldStart(StringWriter out, String... options) {
    List<String> args =
        new ArrayList<>(List.of("bench", "coldstart", "--runs", "1", "--jar", ARTEFACT.toString()));
    args.addAll(List.of(options));
    String moto = MotoServerLocation.find();
    if (moto != null) {
      args.addAll(List.of("--moto", moto));
    }
    CommandLine cli = FamilyLinkCli.commandLine();
    cli.setOut(new PrintWriter(out));
    return cli.execute(args.toArray(String[]::new));
  }

  /** moto_server where the MotoServer extension looks (PATH, then ~/.pyenv/shims). */
  static final class MotoServerLocation {
    private MotoServerLocation() {}

    static String find() {
      Path shim = Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server");
      return Files.isExecutable(shim) ? shim.toString() : null;
    }
  }
}
