package uk.familylink.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.ingest.IncomingKey;
import uk.familylink.domain.need.Need;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;
import uk.familylink.local.population.PopulationGenerator;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Generate a synthetic population, upload each partner's extract to a local S3, run the real ingest "
            + "handler on real-shaped S3 events, and print what was linked (small counts shown as c).")
final class DemoCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--families",
      defaultValue = "" + PopulationGenerator.DEFAULT_FAMILIES,
      description = "Number of families (default ${DEFAULT-VALUE}).")
  int families;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "target/familylink-demo",
      description = "Working folder for extracts and ground truth (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--home",
      defaultValue = ".familylink",
      description = "Folder of the local keyring's root key (default ${DEFAULT-VALUE}).")
  Path home;

  @Option(
      names = "--contracts",
      description =
          "Folder of contract YAML files for the generator (default: the packaged contracts).")
  Path contracts;

  @Option(
      names = "--dynamodb",
      defaultValue = "IN_PROCESS",
      description =
          "DynamoDB Local mode: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}, the faster).")
  EmbeddedAws.DynamoMode dynamoMode;

  @Override
  public Integer call() throws Exception {
    if (families < 1) {
      throw new IllegalArgumentException("--families must be at least 1, was " + families);
    }
    Clock clock = Clock.systemUTC();
    System.out.printf(
        "FamilyLink demo: %,d synthetic families (fictional people), seed %d%n", families, seed);
    ExtractWriter.Summary summary =
        GenerateCommand.generate(families, seed, out, contracts, false, clock);
    System.out.printf(
        "Extracts in %s (ground truth kept apart, never uploaded)%n", out.toAbsolutePath());

    DisclosurePolicy suppression = DisclosurePolicy.dfe();
    Map<String, Long> rowsByReason = new TreeMap<>();
    long filesAccepted = 0;
    long filesRejected = 0;
    long rowsAccepted = 0;
    long rowsRejected = 0;
    System.out.println();
    System.out.println("Starting the embedded S3 and DynamoDB Local...");
    // Free ports: nothing outside this run talks to the demo's services.
    try (EmbeddedAws aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults().withPorts(0, 0).withDynamoMode(dynamoMode))) {
      LocalFamilyLink familyLink = LocalFamilyLink.start(aws, home, clock);
      IncomingPoller poller =
          new IncomingPoller(
              aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), familyLink.sink());
      System.out.println(
          "Uploads (each handled by the real ingest handler from an S3 ObjectCreated event;"
              + " a line as each file is done):");
      Map<String, byte[]> uploads = new java.util.LinkedHashMap<>();
      for (Dataset dataset : Dataset.values()) {
        Path file = summary.files().get(dataset);
        uploads.put(dataset.incomingKey(file.getFileName().toString()), Files.readAllBytes(file));
      }
      // One deliberately broken upload, to show a rejection report: a header without its first
      // column.
      Path police = summary.files().get(Dataset.POLICE_INCIDENTS);
      String header = Files.readAllLines(police, StandardCharsets.UTF_8).get(0);
      String broken = Dataset.POLICE_INCIDENTS.incomingKey("late resubmission.csv");
      uploads.put(
          broken,
          (header.substring(header.indexOf(',') + 1) + "\n").getBytes(StandardCharsets.UTF_8));

      for (Map.Entry<String, byte[]> upload : uploads.entrySet()) {
        long start = System.nanoTime();
        aws.s3()
            .putObject(
                b -> b.bucket(aws.bucket()).key(upload.getKey()),
                RequestBody.fromBytes(upload.getValue()));
        poller.pollOnce();
        long millis = (System.nanoTime() - start) / 1_000_000;
        IncomingKey key = IncomingKey.parse(upload.getKey());
        JsonNode report =
            JSON.readTree(
                aws.s3()
                    .getObjectAsBytes(
                        b ->
                            b.bucket(aws.bucket())
                                .key(
                                    LocalReports.latestReportKey(
                                        aws.s3(), aws.bucket(), upload.getKey(), "json")))
                    .asByteArray());
        String status = report.path("status").asText();
        long valid = report.path("rows").path("valid").asLong();
        long invalid = report.path("rows").path("invalid").asLong();
        boolean rejected = "REJECTED".equals(status);
        if (rejected) {
          filesRejected++;
          rowsRejected += report.path("rows").path("total").asLong();
        } else {
          filesAccepted++;
          rowsAccepted += valid;
          rowsRejected += invalid;
        }
        // The report's counts hold file-level problems too: list those once, as files, and the
        // rest as row problems.
        Map<String, Long> fileReasons = new TreeMap<>();
        report
            .path("fileIssues")
            .forEach(i -> fileReasons.merge(i.path("reason").asText(), 1L, Long::sum));
        report
            .path("counts")
            .properties()
            .forEach(
                e -> {
                  long rowsWith = e.getValue().asLong() - fileReasons.getOrDefault(e.getKey(), 0L);
                  if (rowsWith > 0) {
                    rowsByReason.merge(e.getKey(), rowsWith, Long::sum);
                  }
                });
        fileReasons.forEach((reason, n) -> rowsByReason.merge("file: " + reason, n, Long::sum));
        System.out.printf(
            "  %-20s %-22s %,8d rows valid %,6d invalid  %6d ms  %s%s%n",
            key.dataset(),
            status,
            valid,
            invalid,
            millis,
            upload.getKey(),
            upload.getKey().equals(broken)
                ? "  <- broken on purpose: its header lacks a column"
                : "");
      }
      long left =
          aws.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix(IncomingKey.PREFIX)).keyCount();

      System.out.println();
      System.out.printf(
          "Files: %d accepted, %d rejected. Rows: %,d accepted, %,d rejected. Uploads left in incoming/: %d%n",
          filesAccepted, filesRejected, rowsAccepted, rowsRejected, left);
      if (!rowsByReason.isEmpty()) {
        // Counts of problems in the partners' own files, not published statistics: no suppression.
        System.out.println(
            "Reasons (rows with the problem, a row listed under each of its problems; \"file:\" ="
                + " files):");
        rowsByReason.forEach((reason, n) -> System.out.printf("  %-32s %,d%n", reason, n));
      }

      // The two reads below take about as long as the ingest (1,500 families: 23 s and 11 s of
      // an 83 s demo, measured with timestamped output): say what is happening before each.
      System.out.println();
      System.out.println(
          "Reading the linked population back from DynamoDB (one pass over each item kind)...");
      long readStart = System.nanoTime();
      PopulationProfile profile =
          PopulationProfile.build(
              familyLink.linkedData(), clock.instant(), EligibilityRule.supportingFamilies2022());
      System.out.printf(
          "Linked population (read in %.1f s; DfE disclosure control: counts 1-5 shown as c):%n",
          (System.nanoTime() - readStart) / 1e9);
      System.out.printf("  %-76s %8s%n", "Persons", suppression.showAlone(profile.persons()));
      System.out.printf(
          "  %-76s %8s%n",
          "Families (by family or household reference)",
          suppression.showAlone(profile.families().size()));
      System.out.printf(
          "  %-76s %8s%n",
          "Families meeting the rule (dependent child or expectant parent, 3+ needs)",
          suppression.showAlone(profile.eligibleFamilies()));
      System.out.println("  Families evidencing each headline need:");
      for (Map.Entry<Need, Long> need : profile.familiesByNeed().entrySet()) {
        System.out.printf(
            "    %-72s %8s%n", need.getKey().label(), suppression.showAlone(need.getValue()));
      }

      // Beside the service, never inside it: compare with the generator's ground truth.
      System.out.println();
      System.out.println(
          "Comparing the linkage with the generator's ground truth (each record's token"
              + " re-derived, persons read again)...");
      long qualityStart = System.nanoTime();
      LinkageQuality quality =
          LinkageQuality.measure(
              summary.groundTruth(),
              familyLink.linkedData(),
              familyLink.keys().newTokeniser(),
              clock.instant());
      System.out.printf(
          "Linkage (all tiers) against the ground truth (synthetic data, not published;"
              + " %.1f s): %,d records; "
              + "%,d true persons, %,d linked persons; pairwise precision %.4f, recall %.4f%n",
          (System.nanoTime() - qualityStart) / 1e9,
          quality.records(),
          quality.truePersons(),
          quality.linkedPersons(),
          quality.precision(),
          quality.recall());
    }
    return 0;
  }
}
