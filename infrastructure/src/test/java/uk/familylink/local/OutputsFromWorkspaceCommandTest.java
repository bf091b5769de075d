package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.outputs.FamilyOutputs;
import uk.familylink.domain.release.ResearchReleaseService;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;

/**
 * The outputs commands read what serve ingested into the workspace: serve, upload a generated
 * population, stop; then {@code report statistics}, {@code report families} and {@code release}
 * without {@code --families} write their files from the workspace and ingest nothing. An empty
 * workspace is said to be empty (exit 1) instead of publishing empty tables.
 */
class OutputsFromWorkspaceCommandTest {

  @TempDir Path dir;

  /** Exit status, stdout, stderr of one command run in this JVM. */
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = FamilyLinkCli.commandLine().execute(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void anEmptyWorkspaceIsSaidToBeEmptyAndNothingIsWritten() {
    String home = dir.resolve("empty").toString();
    Path out = dir.resolve("out");
    List<Run> runs =
        List.of(
            run("report", "statistics", "--home", home, "--out", out.resolve("stats").toString()),
            run("report", "families", "--home", home, "--out", out.resolve("families").toString()),
            run(
                "release",
                "--study",
                "Study",
                "--home",
                home,
                "--out",
                out.resolve("rel").toString()));

    for (Run r : runs) {
      assertThat(r.exit()).as(r.err()).isEqualTo(FamilyLinkCli.FINDING);
      assertThat(r.err())
          .contains("nothing ingested yet; run serve and upload, or pass --families N");
      assertThat(r.out()).isEmpty();
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void statisticsFamilyOutputsAndAReleaseAreWrittenFromWhatServeIngested() throws Exception {
    Path home = dir.resolve("ws");
    ExtractWriter.Summary population =
        GenerateCommand.generate(60, 7, dir.resolve("population"), null, false, Clock.systemUTC());
    ContractRegistry contracts = ContractRegistry.fromClasspath();
    WorkspaceOptions options = new WorkspaceOptions();
    options.home = home;

    try (ServeInThisJvm serve = new ServeInThisJvm(home);
        LocalSession attached =
            LocalSession.open(options, LocalCommands.embedded(), Clock.systemUTC(), true)) {
      assertThat(serve.endpoints()).containsKeys("s3", "dynamodb");
      assertThat(attached.attachedToServe()).isTrue();
      for (Dataset dataset : Dataset.values()) {
        String partner = contracts.find(dataset.id()).orElseThrow().partners().get(0);
        Path file = population.files().get(dataset);
        attached
            .aws()
            .s3()
            .putObject(
                b ->
                    b.bucket(attached.aws().bucket())
                        .key("incoming/" + partner + "/" + dataset.id() + "/" + file.getFileName()),
                RequestBody.fromFile(file));
      }
      awaitIncomingEmpty(attached);
    }
    long ingestsBefore = entries(home, "INGEST").size();
    assertThat(ingestsBefore).isGreaterThanOrEqualTo(Dataset.values().length);

    String h = home.toString();
    Path stats = dir.resolve("stats");
    Path families = dir.resolve("families");
    Path releases = dir.resolve("releases");
    Run statistics = run("report", "statistics", "--home", h, "--out", stats.toString());
    Run outputs = run("report", "families", "--home", h, "--out", families.toString());
    Run release =
        run("release", "--study", "Workspace study", "--home", h, "--out", releases.toString());

    assertThat(statistics.exit()).as(statistics.err()).isZero();
    assertThat(statistics.out()).contains("attacker check passed");
    assertThat(stats.resolve("report.html")).isNotEmptyFile();
    assertThat(stats.resolve("cells.csv")).isNotEmptyFile();
    assertThat(Files.readAllLines(stats.resolve("families_by_need.csv")).size())
        .as("a header and observations")
        .isGreaterThan(1);

    assertThat(outputs.exit()).as(outputs.err()).isZero();
    assertThat(outputs.out()).contains("IDENTIFICATION outputs").contains("EVALUATION outputs");
    try (Stream<Path> written = Files.walk(families.resolve("outputs"))) {
      List<String> names = written.map(p -> p.getFileName().toString()).toList();
      assertThat(names).anyMatch(n -> n.endsWith("summary.txt")).anyMatch(n -> n.endsWith(".csv"));
    }

    assertThat(release.exit()).as(release.err()).isZero();
    Path folder = releases.resolve("exports").resolve("workspace-study");
    assertThat(Files.readString(folder.resolve("manifest.json")))
        .contains("\"study\" : \"Workspace study\"");
    assertThat(Files.readAllLines(folder.resolve("persons.csv")).size())
        .as("released persons beside the header")
        .isGreaterThan(1);

    // Read from the workspace: nothing was ingested again; each run left its audit entry there.
    assertThat(entries(home, "INGEST")).hasSize((int) ingestsBefore);
    assertThat(entries(home, FamilyOutputs.AUDIT_OUTPUTS)).hasSize(2);
    assertThat(entries(home, ResearchReleaseService.AUDIT_KIND)).hasSize(1);
    assertThat(statistics.err() + outputs.out() + release.err()).doesNotContain("Ingested");
  }

  private static List<AuditEntry> entries(Path home, String kind) {
    WorkspaceOptions options = new WorkspaceOptions();
    options.home = home;
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (LocalSession session =
        LocalSession.open(options, LocalCommands.embedded(), Clock.systemUTC(), false)) {
      return LocalExtracts.auditTrail(session.familyLink()).list(today, today, kind);
    }
  }

  private static void awaitIncomingEmpty(LocalSession session) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (session
          .aws()
          .s3()
          .listObjectsV2(b -> b.bucket(session.aws().bucket()).prefix("incoming/"))
          .contents()
          .isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("uploads still under incoming/ after 120 s");
  }
}
