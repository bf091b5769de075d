package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.adapter.aws.DynamoDbFileLedger;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.local.aws.IncomingPoller;

/**
 * serve -> upload -> stop -> start -> access / audit on one workspace: the data outlives the
 * process, an upload caught mid-ingest by the stop is finished once on the next start, and the
 * one-shot commands read the workspace without re-ingesting.
 */
class ServeWorkspaceCommandTest {

  private static final String FIRST = "incoming/police/police-incidents/first.csv";
  private static final String SECOND = "incoming/police/police-incidents/second.csv";

  @TempDir Path dir;

  private String csv(String pnc, String ref) {
    return "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n"
        + ref
        + ","
        + pnc
        + ",Alex,Example,1990-01-01,HR1 2AB,2026-01-05,OFFENCE,SUSPECT\n";
  }

  private static void awaitIncomingEmpty(LocalSession session) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
    throw new AssertionError("uploads still under incoming/ after 60 s");
  }

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
  void dataOutlivesServeAndAnUploadCaughtMidIngestIsFinishedOnceOnTheNextStart() throws Exception {
    Path home = dir.resolve("ws");
    String pnc1 = CheckDigits.pncId(2001, 5151);
    String pnc2 = CheckDigits.pncId(2001, 5252);
    WorkspaceOptions options = new WorkspaceOptions();
    options.home = home;

    // 1. serve, upload (through serve's own endpoint, as the AWS CLI would), stop.
    try (ServeInThisJvm serve = new ServeInThisJvm(home)) {
      assertThat(serve.endpoints()).containsKeys("s3", "dynamodb", "bucket");
      try (LocalSession attached =
          LocalSession.open(options, LocalCommands.embedded(), Clock.systemUTC(), true)) {
        assertThat(attached.attachedToServe()).isTrue();
        attached
            .aws()
            .s3()
            .putObject(
                b -> b.bucket(attached.aws().bucket()).key(FIRST),
                RequestBody.fromString(csv(pnc1, "R-1")));
        awaitIncomingEmpty(attached);
      }
    }

    // 2. A second upload caught mid-ingest: its object still under incoming/, its ledger claim
    //    taken by an ingest that died with the process (a claim older than the local lease).
    try (LocalSession session =
        LocalSession.open(options, LocalCommands.embedded(), Clock.systemUTC(), false)) {
      assertThat(session.attachedToServe()).isFalse();
      var put =
          session
              .aws()
              .s3()
              .putObject(
                  b -> b.bucket(session.aws().bucket()).key(SECOND),
                  RequestBody.fromString(csv(pnc2, "R-2")));
      String fileId =
          IngestService.fileId(
              new IngestService.UploadedObject(
                  session.aws().bucket(),
                  SECOND,
                  -1,
                  put.eTag().replace("\"", ""),
                  IncomingPoller.LOCAL_PRINCIPAL));
      Instant crashed = Instant.now().minus(Duration.ofSeconds(30));
      new DynamoDbFileLedger(session.aws().dynamoDb(), LocalFamilyLink.TABLE)
          .begin(
              fileId,
              crashed,
              LocalFamilyLink.PROCESSING_LEASE,
              LocalFamilyLink.localRetention().expiresAtEpochSecond());
    }

    // 3. start again: the caught upload is taken over and finished.
    try (ServeInThisJvm serve = new ServeInThisJvm(home)) {
      assertThat(serve.endpoints()).containsKeys("s3", "dynamodb", "bucket");
      try (LocalSession attached =
          LocalSession.open(options, LocalCommands.embedded(), Clock.systemUTC(), true)) {
        awaitIncomingEmpty(attached);
      }
    }

    // 4. The one-shot commands read the workspace: both persons, each file ingested once.
    String h = home.toString();
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String first =
        run(0, "access", "--home", h, "--pnc-id", pnc1, "--requester", "DPO", "--purpose", "t");
    String second =
        run(0, "access", "--home", h, "--pnc-id", pnc2, "--requester", "DPO", "--purpose", "t");
    String ingests = run(0, "audit", "--home", h, "--from", today, "--kind", "ingest");
    String accesses = run(0, "audit", "--home", h, "--from", today, "--kind", "SUBJECT_ACCESS");

    assertThat(first).contains("police-incidents").doesNotContain(pnc1);
    assertThat(second).contains("police-incidents").doesNotContain(pnc2);
    assertThat(ingests.lines().filter(l -> l.contains("outcome=ACCEPTED")).count())
        .as("one accepted INGEST entry per upload, the caught one included")
        .isEqualTo(2);
    assertThat(ingests).doesNotContain("outcome=DUPLICATE");
    assertThat(accesses.lines().filter(l -> l.contains("SUBJECT_ACCESS")).count()).isEqualTo(2);
    assertThat(Files.readString(home.resolve(Workspace.MANIFEST)))
        .contains("tableSchema=" + Workspace.TABLE_SCHEMA);
  }

  @Test
  void anIncompatibleWorkspaceIsRefusedWithWhatDiffersAndResetEmptiesIt() throws Exception {
    Path home = Files.createDirectories(dir.resolve("old"));
    Files.writeString(
        home.resolve(Workspace.MANIFEST), "format=1\ntableSchema=0\ntokenLabel=familylink/v0\n");
    Files.createDirectories(home.resolve("dynamodb"));

    assertThatThrownBy(() -> Workspace.open(home, false))
        .isInstanceOf(Workspace.WorkspaceException.class)
        .hasMessageContaining("incompatible")
        .hasMessageContaining("tableSchema 0")
        .hasMessageContaining("familylink reset --home");
    run(2, "audit", "--home", home.toString());

    run(0, "reset", "--home", home.toString(), "--yes");
    assertThat(home.resolve(Workspace.MANIFEST)).doesNotExist();
    assertThat(home.resolve("dynamodb")).doesNotExist();
    Workspace.open(home, false).close();
    assertThat(home.resolve(Workspace.MANIFEST)).exists();
  }

  @Test
  void aWorkspaceThatIsAFileIsSaidToBeOne() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertThatThrownBy(() -> Workspace.open(file, false))
        .hasMessageContaining("is not a directory");
  }
}
