package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.domain.identifier.CheckDigits;

/** The access and audit commands end to end: ingest the given extract, then answer / list. */
class AccessAndAuditCommandTest {

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

  private Path policeExtract(String pnc) throws Exception {
    return Files.writeString(
        dir.resolve("police.csv"),
        "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n"
            + "PR-1,"
            + pnc
            + ",Alex,Example,1990-01-01,HR1 2AB,2026-01-05,OFFENCE,SUSPECT\n");
  }

  @Test
  void accessIngestsTheExtractsThenPrintsTheReportOrJson() throws Exception {
    String pnc = CheckDigits.pncId(2001, 4242);
    Path extract = policeExtract(pnc);
    String home = dir.resolve("home").toString();

    String report =
        run(
            0,
            "access",
            "--home",
            home,
            "--extract",
            "police-incidents=" + extract,
            "--pnc-id",
            pnc,
            "--requester",
            "DPO",
            "--purpose",
            "test");
    String json =
        run(
            0,
            "access",
            "--home",
            home,
            "--extract",
            "police-incidents=" + extract,
            "--pnc-id",
            pnc,
            "--requester",
            "DPO",
            "--purpose",
            "test",
            "--json");
    String refused =
        run(AccessCommand.REFUSED, "access", "--home", home, "--pnc-id", pnc, "--requester", "DPO");

    assertThat(report)
        .contains("police-incidents")
        .contains("Crime prevention and tackling crime")
        .doesNotContain(pnc);
    assertThat(json)
        .contains("\"recordCount\" : 1")
        .contains("\"incident_type\" : \"OFFENCE\"")
        .doesNotContain(pnc);
    assertThat(refused).isEmpty();
  }

  @Test
  void auditListsTheRunsEntriesByDayAndKind() throws Exception {
    Path extract = policeExtract(CheckDigits.pncId(2001, 4343));
    String today = LocalDate.now(ZoneOffset.UTC).toString();

    String listed =
        run(
            0,
            "audit",
            "--home",
            dir.resolve("home").toString(),
            "--extract",
            "police-incidents=" + extract,
            "--from",
            today,
            "--to",
            today,
            "--kind",
            "INGEST");
    String none =
        run(
            0,
            "audit",
            "--home",
            dir.resolve("home").toString(),
            "--from",
            today,
            "--kind",
            "SUBJECT_ACCESS");

    assertThat(listed)
        .contains("INGEST")
        .contains("outcome=ACCEPTED")
        .contains("dataset=police-incidents");
    assertThat(none).isEmpty();
  }

  @Test
  void auditTotalsPrintTtlDeletionsPerDayAndRefuseAnotherKind() {
    String today = LocalDate.now(ZoneOffset.UTC).toString();

    // A local run has no TTL deletions (DynamoDB Local has no TTL service): nothing to total.
    String totals =
        run(0, "audit", "--home", dir.resolve("home").toString(), "--from", today, "--totals");
    run(
        2,
        "audit",
        "--home",
        dir.resolve("home").toString(),
        "--from",
        today,
        "--kind",
        "INGEST",
        "--totals");

    assertThat(totals).isEmpty();
    var day =
        new java.util.TreeMap<String, Long>(
            java.util.Map.of("ttlDeletions", 7L, "deleted.ID", 4L, "deleted.REC", 3L));
    assertThat(AuditCommand.totalsAsText(LocalDate.parse("2026-08-05"), day))
        .isEqualTo("2026-08-05  TTL_DELETIONS  deleted.ID=4 deleted.REC=3 ttlDeletions=7");
  }
}
