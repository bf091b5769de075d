package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** linkage-quality end to end on small data: the real handler, the embedded stack, both inputs. */
class LinkageQualityCommandTest {

  @TempDir Path dir;

  @Test
  void measuresTheGeneratorAndAFebrlShapedFileInBothOrders() throws Exception {
    StringBuilder febrl =
        new StringBuilder(
            "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode,"
                + " state, date_of_birth, soc_sec_id\n");
    String[][] people = {
      {"mitchell", "green", "19560409"}, {"harley", "mccarthy", "19080419"},
      {"jasmine", "white", "19700213"}, {"thomas", "lee", "19851130"}
    };
    for (int i = 0; i < people.length; i++) {
      String[] p = people[i];
      febrl.append(
          String.format(
              "rec-%d-org, %s, %s, 1, a st, , b, 2000, nsw, %s, 1%n", i, p[0], p[1], p[2]));
      // a duplicate with a typo in the given name
      febrl.append(
          String.format(
              "rec-%d-dup-0, %s, %s, 1, a st, , b, 2000, nsw, %s, 1%n",
              i, p[0].substring(0, p[0].length() - 1) + "e", p[1], p[2]));
    }
    Path file = Files.writeString(dir.resolve("febrl.csv"), febrl.toString());
    Printed run =
        linkageQuality(
            "--families",
            "12",
            "--febrl",
            file.toString(),
            "--out",
            dir.resolve("out").toString(),
            "--home",
            dir.resolve("home").toString(),
            "--diagnose",
            "--subject-access-every",
            "1");
    int exit = run.exit();
    String text = run.text();
    assertThat(exit).isZero();
    assertThat(text)
        .contains("Targets: precision >= 0.995, recall >= 0.990")
        .contains("generator: F1 difference between upload orders")
        .contains("febrl: F1 difference between upload orders")
        .contains("Link rate (true pairs linked) by age band")
        // every FEBRL duplicate differs by one typo: all 4 true pairs share a blocking key
        .contains("febrl: pair completeness 1.0000 of all true pairs")
        .contains("febrl: scorer on blocked true pairs alone: {LINK=4}")
        // asked with the last file's own (typo'd, or original) identifiers before it arrived,
        // subject access named by tier 3 the very person ingest then linked each row to
        .contains(
            "febrl, demo order, last file: subject access, asked before the row arrived, named"
                + " where ingest then put it: 4 of 4 (1.0000)")
        .contains("febrl, reversed order, last file: subject access")
        .contains("agreed by {PROBABILISTIC=4}");
    // --diagnose also writes each run's placements, to compare two runs pair by pair
    List<String> placed =
        Files.readAllLines(dir.resolve("out").resolve("febrl-demo-placements.csv"));
    assertThat(placed.get(0)).isEqualTo("dataset,record_ref,linked_person");
    assertThat(placed).hasSize(9);
    assertThat(dir.resolve("out").resolve("generator-reversed-placements.csv")).isRegularFile();
    Matcher febrlRow =
        Pattern.compile("febrl +demo +8 +8 +4 +(\\d+) +([0-9.]+) +([0-9.]+)").matcher(text);
    assertThat(febrlRow.find()).as(text).isTrue();
    // every duplicate differs by a typo only: tier 3 links them, and nothing else
    assertThat(Double.parseDouble(febrlRow.group(2))).isEqualTo(1.0);
    assertThat(Double.parseDouble(febrlRow.group(3))).isEqualTo(1.0);
  }

  @Test
  void workingTheReviewQueueWithTheTruthLinksWhatWasOnlyPossibleAndKeepsStrangersApart()
      throws Exception {
    Printed run =
        linkageQuality(
            "--families",
            "30",
            "--seed",
            "5",
            "--one-order",
            "--review",
            "--out",
            dir.resolve("out").toString(),
            "--home",
            dir.resolve("home").toString());
    int exit = run.exit();
    String text = run.text();
    assertThat(exit).as(text).isZero();
    Matcher before =
        Pattern.compile("generator +demo +\\d+ +\\d+ +\\d+ +\\d+ +([0-9.]+) +([0-9.]+)")
            .matcher(text);
    assertThat(before.find()).as(text).isTrue();
    Matcher after =
        Pattern.compile(
                "generator +demo +(\\d+) pending: (\\d+) linked, (\\d+) kept apart, (\\d+)"
                    + " refused; precision ([0-9.]+) recall ([0-9.]+)")
            .matcher(text);
    assertThat(after.find()).as(text).isTrue();
    int pending = Integer.parseInt(after.group(1));
    int linked = Integer.parseInt(after.group(2));
    int keptApart = Integer.parseInt(after.group(3));
    int refused = Integer.parseInt(after.group(4));
    // the generator's moves and same-name strangers leave both kinds of possible link
    assertThat(linked).as(text).isPositive();
    assertThat(keptApart).as(text).isPositive();
    assertThat(linked + keptApart + refused).isEqualTo(pending);
    double precisionBefore = Double.parseDouble(before.group(1));
    double recallBefore = Double.parseDouble(before.group(2));
    // linking the true ones adds recall; keeping the strangers apart costs no precision
    assertThat(Double.parseDouble(after.group(6))).isGreaterThan(recallBefore);
    assertThat(Double.parseDouble(after.group(5))).isGreaterThanOrEqualTo(precisionBefore);
  }

  @Test
  void twoRunsOnTheSameKeyAndSeedPlaceEveryRecordWithTheSamePerson() throws Exception {
    for (String run : List.of("first", "second")) {
      int exit =
          linkageQuality(
                  "--families",
                  "30",
                  "--seed",
                  "5",
                  "--one-order",
                  "--diagnose",
                  "--out",
                  dir.resolve(run).toString(),
                  "--home",
                  dir.resolve("home").toString())
              .exit();
      assertThat(exit).isZero();
    }
    List<String> first =
        Files.readAllLines(dir.resolve("first").resolve("generator-demo-placements.csv"));
    assertThat(first).hasSizeGreaterThan(100);
    // person IDs included: a before/after comparison differs only by what changed
    assertThat(Files.readAllLines(dir.resolve("second").resolve("generator-demo-placements.csv")))
        .isEqualTo(first);
  }

  @Test
  void aSecondRunInTheSameWorkingFolderIsRefusedInsteadOfOverwritingTheFirst() throws Exception {
    Path out = Files.createDirectories(dir.resolve("busy"));
    StringWriter err = new StringWriter();
    int exit;
    try (FileChannel channel =
            FileChannel.open(
                out.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock firstRun = channel.lock()) {
      assertThat(firstRun.isValid()).isTrue();
      CommandLine cli = FamilyLinkCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      exit =
          cli.execute(
              "linkage-quality",
              "--families",
              "5",
              "--out",
              out.toString(),
              "--home",
              dir.resolve("home").toString());
    }
    assertThat(exit).isEqualTo(FamilyLinkCli.USAGE);
    assertThat(err.toString())
        .contains("another linkage-quality run is using the working folder")
        .contains("--out");
    assertThat(out.resolve("generator")).doesNotExist();
  }

  @Test
  void fitsAModelOnAGeneratedPopulationWithoutTheGroundTruthAndWritesIt() throws Exception {
    Path model = dir.resolve("model.json");
    Printed run =
        linkageQuality(
            "--families",
            "40",
            "--seed",
            "3",
            "--out",
            dir.resolve("out").toString(),
            "--home",
            dir.resolve("home").toString(),
            "--fit-model",
            model.toString(),
            "--fit-version",
            "fs-test-em");
    int exit = run.exit();
    String text = run.text();
    assertThat(exit).as(text).isZero();
    assertThat(text).contains("Fitted fs-test-em on").contains("random pairs for u");
    uk.familylink.domain.linkage.MatchModel fitted =
        uk.familylink.domain.linkage.MatchModel.fromJson(Files.readAllBytes(model));
    assertThat(fitted.version()).isEqualTo("fs-test-em");
    assertThat(fitted.toJson())
        .as("fitted, not the prior copied")
        .isNotEqualTo(
            uk.familylink.domain.linkage.MatchModel.prior()
                .toJson()
                .replace("fs-v1.1-prior", "fs-test-em"));
  }

  /** What one linkage-quality run printed, and its exit status. */
  private record Printed(int exit, String text) {}

  /** Runs {@code linkage-quality} with these arguments, capturing what it prints. */
  private static Printed linkageQuality(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] command = new String[args.length + 1];
    command[0] = "linkage-quality";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int exit = FamilyLinkCli.commandLine().execute(command);
      return new Printed(exit, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }
}
