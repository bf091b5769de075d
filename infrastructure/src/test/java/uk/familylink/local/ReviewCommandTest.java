package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The review queue end to end on the local workspace: extracts that produce possible links go
 * through the real ingest handler, {@code review list} shows them, {@code review decide} links one
 * pair and keeps the other apart, subject access explains the merge, and a re-delivery does not
 * queue the decided pair again.
 */
class ReviewCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private record Run(String out, String err) {}

  private Run run(int expectedExit, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      assertThat(FamilyLinkCli.commandLine().execute(args))
          .as("exit of %s", String.join(" ", args))
          .isEqualTo(expectedExit);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Run(o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  private Path police(String name, String ref, String pnc, String given, String family, String dob)
      throws Exception {
    return Files.writeString(
        dir.resolve(name),
        "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n"
            + String.join(",", ref, pnc, given, family, dob)
            + ",HR1 2AB,2026-01-05,OFFENCE,SUSPECT\n");
  }

  private Path dwp(String name, String ref, String nino, String given, String family, String dob)
      throws Exception {
    // the same name and birth date as the police row, another identifier, elsewhere: possible
    return Files.writeString(
        dir.resolve(name),
        "record_ref,nino,given_name,family_name,date_of_birth,postcode,benefit,out_of_work,claim_start_date\n"
            + String.join(",", ref, nino, given, family, dob)
            + ",HR9 7XY,UNIVERSAL_CREDIT,Y,2025-11-01\n");
  }

  private JsonNode pending(String home, String... extracts) throws Exception {
    String[] args = new String[4 + extracts.length * 2];
    args[0] = "review";
    args[1] = "list";
    args[2] = "--home";
    args[3] = home;
    for (int i = 0; i < extracts.length; i++) {
      args[4 + 2 * i] = "--extract";
      args[5 + 2 * i] = extracts[i];
    }
    String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
    withJson[args.length] = "--json";
    return JSON.readTree(run(0, withJson).out()).path("pending");
  }

  private JsonNode access(String home, String flag, String value) throws Exception {
    return JSON.readTree(
        run(
                0,
                "access",
                "--home",
                home,
                flag,
                value,
                "--requester",
                "DPO",
                "--purpose",
                "test",
                "--json")
            .out());
  }

  @Test
  void possibleLinksAreListedDecidedExplainedAndNotQueuedAgain() throws Exception {
    String home = dir.resolve("home").toString();
    String pncJack = CheckDigits.pncId(2001, 5151);
    String ninoJack = CheckDigits.nino(0, 515151, 'A');
    String pncAmy = CheckDigits.pncId(2001, 6161);
    String ninoAmy = CheckDigits.nino(0, 616161, 'B');

    JsonNode first =
        pending(
            home,
            "police-incidents=" + police("p1.csv", "PR-1", pncJack, "Jack", "Jones", "1980-01-15"),
            "dwp-benefits=" + dwp("d1.csv", "DW-1", ninoJack, "Jack", "Jones", "1980-01-15"));
    assertThat(first).hasSize(1);
    String jack = first.get(0).path("reviewId").asText();
    assertThat(first.get(0).path("dataset").asText()).isEqualTo("dwp-benefits");
    assertThat(first.get(0).path("fields").asText()).contains("DATE_OF_BIRTH=EXACT");
    assertThat(first.toString()).doesNotContain("Jack", "Jones", "HR9", ninoJack);

    Run linked = run(0, "review", "decide", jack, "link", "--home", home, "--by", "analyst A");
    assertThat(linked.out()).contains("LINKED").contains("now one");
    Run again =
        run(
            ReviewCommand.REFUSED,
            "review",
            "decide",
            jack,
            "keep-apart",
            "--home",
            home,
            "--by",
            "analyst B");
    assertThat(again.err()).contains("already decided (LINKED").contains("first decision stands");
    Run bad =
        run(ReviewCommand.REFUSED, "review", "decide", jack, "merge", "--home", home, "--by", "x");
    assertThat(bad.err()).contains("link or keep-apart");

    // subject access: one person, two records, and the merge cites the review
    JsonNode byPnc = access(home, "--pnc-id", pncJack);
    assertThat(byPnc.path("recordCount").asInt()).isEqualTo(2);
    assertThat(byPnc.path("merges")).hasSize(1);
    JsonNode merge = byPnc.path("merges").get(0);
    assertThat(merge.path("basis").asText()).isEqualTo("REVIEW");
    assertThat(merge.path("review").path("status").asText()).isEqualTo("LINKED");
    assertThat(merge.path("review").path("fields").asText()).contains("DATE_OF_BIRTH=EXACT");
    assertThat(access(home, "--nino", ninoJack).path("recordCount").asInt()).isEqualTo(2);
    String report =
        run(
                0,
                "access",
                "--home",
                home,
                "--pnc-id",
                pncJack,
                "--requester",
                "DPO",
                "--purpose",
                "t")
            .out();
    assertThat(report)
        .contains("a data-team review of a possible link decided they are the same person")
        .contains("linked deterministically")
        .doesNotContain(pncJack, ninoJack);

    // a second pair, kept apart
    Path policeAmy = police("p2.csv", "PR-2", pncAmy, "Amy", "Brown", "1975-05-05");
    Path dwpAmy = dwp("d2.csv", "DW-2", ninoAmy, "Amy", "Brown", "1975-05-05");
    JsonNode second = pending(home, "police-incidents=" + policeAmy, "dwp-benefits=" + dwpAmy);
    assertThat(second).hasSize(1);
    String amy = second.get(0).path("reviewId").asText();
    assertThat(amy).isNotEqualTo(jack);
    run(0, "review", "decide", amy, "keep-apart", "--home", home, "--by", "analyst A");

    assertThat(access(home, "--pnc-id", pncAmy).path("recordCount").asInt()).isEqualTo(1);
    JsonNode amyDwp = access(home, "--nino", ninoAmy);
    assertThat(amyDwp.path("recordCount").asInt()).isEqualTo(1);
    assertThat(amyDwp.path("possibleLinks")).hasSize(1);
    assertThat(amyDwp.path("possibleLinks").get(0).path("status").asText()).isEqualTo("KEPT_APART");

    // the same rows delivered again as new files: nothing re-queued, still two persons
    Path policeAgain = Files.copy(policeAmy, dir.resolve("p2-again.csv"));
    Path dwpAgain = Files.copy(dwpAmy, dir.resolve("d2-again.csv"));
    assertThat(pending(home, "police-incidents=" + policeAgain, "dwp-benefits=" + dwpAgain))
        .isEmpty();
    assertThat(access(home, "--pnc-id", pncAmy).path("recordCount").asInt()).isEqualTo(1);

    // each decision audited, never a person id
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String audit = run(0, "audit", "--home", home, "--from", today, "--kind", "LINK_REVIEW").out();
    assertThat(audit).contains(jack).contains(amy).contains("KEEP_APART").contains("LINK");
  }

  @Test
  void aMergeIsListedSplitAuditedAndNotMadeAgainWhenItsFilesAreSentAgain() throws Exception {
    String home = dir.resolve("home").toString();
    String pnc = CheckDigits.pncId(2001, 7171);
    String nino = CheckDigits.nino(0, 717171, 'C');
    Path policeRow = police("p3.csv", "PR-3", pnc, "Zoe", "Hart", "1990-02-02");
    Path dwpRow = dwp("d3.csv", "DW-3", nino, "Zoe", "Hart", "1990-02-02");
    String review =
        pending(home, "police-incidents=" + policeRow, "dwp-benefits=" + dwpRow)
            .get(0)
            .path("reviewId")
            .asText();
    run(0, "review", "decide", review, "link", "--home", home, "--by", "analyst A");
    assertThat(access(home, "--pnc-id", pnc).path("recordCount").asInt()).isEqualTo(2);

    JsonNode merges =
        JSON.readTree(run(0, "review", "merges", "--home", home, "--json").out()).path("merges");
    assertThat(merges).hasSize(1);
    JsonNode merge = merges.get(0);
    assertThat(merge.path("how").asText()).isEqualTo("REVIEW");
    assertThat(merge.path("split").asBoolean()).isFalse();
    String mergeId = merge.path("mergeId").asText();
    assertThat(mergeId).isEqualTo(review).matches("[0-9a-f]{32}");
    assertThat(merges.toString()).doesNotContain("Zoe", "Hart", pnc, nino);
    assertThat(run(0, "review", "merges", "--home", home, "--how", "tier-3").out())
        .startsWith("0 merges");
    assertThat(run(0, "review", "merges", "--home", home).out()).contains(mergeId + "  REVIEW");

    Run split = run(0, "review", "split", mergeId, "--home", home, "--by", "analyst B");
    assertThat(split.out()).contains("split").contains("REVIEW");
    Run again =
        run(ReviewCommand.REFUSED, "review", "split", mergeId, "--home", home, "--by", "analyst B");
    assertThat(again.err()).contains("already split").contains("analyst B");

    // subject access: two persons again, the split said on the merged one
    JsonNode byPnc = access(home, "--pnc-id", pnc);
    assertThat(byPnc.path("recordCount").asInt()).isEqualTo(1);
    assertThat(byPnc.path("merges")).isEmpty();
    JsonNode byNino = access(home, "--nino", nino);
    assertThat(byNino.path("recordCount").asInt()).isEqualTo(1);
    assertThat(byNino.toString()).contains("SPLIT");
    assertThat(
            run(0, "access", "--home", home, "--nino", nino, "--requester", "DPO", "--purpose", "t")
                .out())
        .contains("split on review");
    JsonNode listed =
        JSON.readTree(run(0, "review", "merges", "--home", home, "--json").out()).path("merges");
    assertThat(listed.get(0).path("split").asBoolean()).isTrue();
    assertThat(listed.get(0).path("splitBy").asText()).isEqualTo("analyst B");

    // the same rows sent again as new files: not queued, not merged
    Path policeAgain = Files.copy(policeRow, dir.resolve("p3-again.csv"));
    Path dwpAgain = Files.copy(dwpRow, dir.resolve("d3-again.csv"));
    assertThat(pending(home, "police-incidents=" + policeAgain, "dwp-benefits=" + dwpAgain))
        .isEmpty();
    assertThat(access(home, "--pnc-id", pnc).path("recordCount").asInt()).isEqualTo(1);
    assertThat(access(home, "--nino", nino).path("recordCount").asInt()).isEqualTo(1);

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String audit = run(0, "audit", "--home", home, "--from", today, "--kind", "MERGE_SPLIT").out();
    assertThat(audit).contains(mergeId).contains("analyst B").doesNotContain(pnc, nino);
  }
}
