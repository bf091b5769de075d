package uk.familylink.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ValidationPolicy;
import uk.familylink.domain.validation.ValidationReport;
import uk.familylink.local.FamilyLinkCli;

/**
 * The bench commands run end to end on tiny inputs; no timing is asserted (the machine is shared).
 */
class BenchCommandTest {

  @TempDir Path dir;

  @Test
  void generatedExtractValidatesCompletelyAgainstTheEarlyHelpContract() throws Exception {
    Path file = dir.resolve("eh.csv");
    EarlyHelpCsv.Written written = EarlyHelpCsv.writeRows(file, 5_000, 7);
    ExtractValidator validator =
        new ExtractValidator(
            ContractRegistry.fromClasspath().find("early-help").orElseThrow(),
            ValidationPolicy.DEFAULTS,
            Clock.systemUTC());
    ValidationReport report;
    try (var in = Files.newInputStream(file)) {
      report = validator.validate(in, row -> {});
    }
    assertThat(written.rows()).isEqualTo(5_000);
    assertThat(written.bytes()).isEqualTo(Files.size(file));
    assertThat(report.status()).isEqualTo(ValidationReport.Status.ACCEPTED);
    assertThat(report.rowsValid()).isEqualTo(5_000);
    assertThat(report.rowsInvalid()).isZero();
  }

  @Test
  void generatingBySizeStopsJustPastTheTarget() throws Exception {
    Path file = dir.resolve("sized.csv");
    EarlyHelpCsv.Written written = EarlyHelpCsv.writeBytes(file, 200_000, 1);
    // one family (at most 7 rows of well under 200 bytes) can overshoot
    assertThat(Files.size(file)).isBetween(200_000L, 201_400L);
    assertThat(written.rows()).isGreaterThan(1_000);
  }

  @Test
  void cpuBenchReportsPositiveRatesAndEveryGeneratedRowValid() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = FamilyLinkCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute(
            "bench",
            "cpu",
            "--rows",
            "2000",
            "--runs",
            "1",
            "--warmup-rows",
            "500",
            "--warmup-passes",
            "1");

    assertThat(exit).as(out.toString()).isZero();
    JsonNode json = jsonLine(out.toString());
    for (String phase : List.of("parse", "validate", "full")) {
      assertThat(json.path(phase).path("rows").asLong()).as(phase).isEqualTo(2000);
      assertThat(json.path(phase).path("medianRowsPerSecondWall").asLong()).as(phase).isPositive();
    }
    assertThat(json.path("full").path("rowsValid").asLong()).isEqualTo(2000);
    assertThat(json.path("full").path("rowsInvalid").asLong()).isZero();
    assertThat(json.path("rowsInvalid").asLong()).isZero();
    assertThat(json.path("machine").path("cores").asInt()).isPositive();
    assertThat(out.toString()).contains("rows invalid: 0");
  }

  @Test
  void cpuBenchOnAGivenFileLeavesTheFileInPlace() throws Exception {
    Path file = dir.resolve("given.csv");
    EarlyHelpCsv.writeRows(file, 300, 3);
    StringWriter out = new StringWriter();
    CommandLine cli = FamilyLinkCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute(
            "bench",
            "cpu",
            "--file",
            file.toString(),
            "--runs",
            "2",
            "--phases",
            "full",
            "--warmup-passes",
            "1",
            "--warmup-rows",
            "100");

    assertThat(exit).as(out.toString()).isZero();
    JsonNode json = jsonLine(out.toString());
    assertThat(json.path("full").path("runs")).hasSize(2);
    assertThat(json.path("parse").isMissingNode()).isTrue();
    assertThat(file).exists();
  }

  @Test
  void storeBenchCountsThePipelineItemsInTheTableAndComparesThemWithRawWrites() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = FamilyLinkCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute("bench", "store", "--rows", "300", "--rounds", "1", "--warmup-rows", "0");

    assertThat(exit).as(out.toString()).isZero();
    JsonNode json = jsonLine(out.toString());
    JsonNode round = json.path("results").get(0);
    // each person yields a record, a membership, a person and identity claims
    assertThat(round.path("pipelineItems").asLong()).isGreaterThan(300);
    assertThat(round.path("auditItemsWritten").asLong())
        .isPositive()
        .isLessThanOrEqualTo(round.path("pipelineItems").asLong());
    assertThat(round.path("outcome").asText()).isEqualTo("ACCEPTED");
    assertThat(json.path("medianRatio").asDouble()).isPositive();
    assertThat(json.path("medianRawItemsPerSecond").asLong()).isPositive();
  }

  @Test
  void tierComparisonRunsBothLinkersOnTheSameExtractAndCountsTheirCalls() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = FamilyLinkCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute(
            "bench",
            "store",
            "--tier-compare",
            "--rows",
            "100",
            "--rounds",
            "1",
            "--warmup-rows",
            "0");

    assertThat(exit).as(out.toString()).isZero();
    JsonNode round = jsonLine(out.toString()).path("rounds").get(0);
    assertThat(round.path("deterministicCallsPerRow").asDouble()).isPositive();
    assertThat(round.path("tierThreeCallsPerRow").asDouble())
        .as("tier 3's candidate lookups are DynamoDB calls the deterministic tiers do not make")
        .isGreaterThan(round.path("deterministicCallsPerRow").asDouble());
    assertThat(round.path("ratio").asDouble()).isPositive();
  }

  @Test
  void tierCompareWithALatencyDelaysEveryCallOfBothPipelines() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = FamilyLinkCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute(
            "bench",
            "store",
            "--tier-compare",
            "--latency-ms",
            "200",
            "--rows",
            "100",
            "--rounds",
            "1",
            "--warmup-rows",
            "0");

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("every call delayed 200 ms");
    JsonNode json = jsonLine(out.toString());
    assertThat(json.path("latencyMs").asInt()).isEqualTo(200);
    JsonNode round = json.path("rounds").get(0);
    // an ingest makes more than five DynamoDB calls one after another (ledger, lookups, writes,
    // records, audit): at 200 ms each, 100 rows take over a second in either pipeline
    assertThat(round.path("deterministicRowsPerSecond").asDouble()).isLessThan(100);
    assertThat(round.path("tierThreeRowsPerSecond").asDouble()).isLessThan(100);

    StringWriter refused = new StringWriter();
    CommandLine again = FamilyLinkCli.commandLine();
    again.setErr(new PrintWriter(refused));
    assertThat(again.execute("bench", "store", "--tier-compare", "--latency-ms", "0,8"))
        .isNotZero();
    assertThat(refused.toString()).contains("one --latency-ms value");
  }

  @Test
  void storeSizeRunFillsEachStoreBeforeTimingTheProbe() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = FamilyLinkCli.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit =
        cli.execute(
            "bench", "store", "--population", "200,50", "--rows", "50", "--warmup-rows", "0");

    assertThat(exit).as(out.toString()).isZero();
    JsonNode stores = jsonLine(out.toString()).path("stores");
    assertThat(stores).hasSize(2);
    assertThat(stores.get(0).path("population").asInt()).as("smallest first").isEqualTo(50);
    assertThat(stores.get(1).path("population").asInt()).isEqualTo(200);
    assertThat(stores.get(1).path("callsPerProbeRow").asDouble()).isPositive();
    assertThat(out.toString()).contains("filled fill-200-0.csv");
  }

  @Test
  void sizesAcceptBinarySuffixes() {
    assertThat(BenchSupport.parseSize("1g")).isEqualTo(1L << 30);
    assertThat(BenchSupport.parseSize("200M")).isEqualTo(200L << 20);
    assertThat(BenchSupport.parseSize("64kb")).isEqualTo(64L << 10);
    assertThat(BenchSupport.parseSize("1000")).isEqualTo(1000);
    assertThat(BenchSupport.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(BenchSupport.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
  }

  private static JsonNode jsonLine(String output) throws Exception {
    String line =
        output
            .lines()
            .filter(l -> l.startsWith("JSON "))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no JSON line in:\n" + output));
    return new ObjectMapper().readTree(line.substring("JSON ".length()));
  }
}
