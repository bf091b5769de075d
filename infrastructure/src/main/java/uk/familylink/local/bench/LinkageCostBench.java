package uk.familylink.local.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.domain.ingest.Continuations;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.InstrumentedHttpClient;
import uk.familylink.local.aws.S3Events;

/**
 * What tier 3 costs the pipeline, in two measurements of the real ingest (S3 event → IngestHandler
 * → DynamoDB Local as a server, its calls counted at the HTTP client), issue 9's throughput
 * targets:
 *
 * <ul>
 *   <li><b>tier comparison</b>: the same extract ingested into a fresh store by the deterministic
 *       tiers alone and by the whole linker, alternately, {@code rounds} times; the median of the
 *       per-round ratio (whole / deterministic rows/s) should be at least {@value #TIER_TARGET}.
 *   <li><b>store size</b>: a store first filled with {@code population} other people (through the
 *       same pipeline, untimed), then a probe extract of new people timed; the probe's time per row
 *       at the largest population over the smallest should be at most {@value #SIZE_TARGET}
 *       (candidate lookups are keyed Queries capped per block, so they should not grow with the
 *       store). The DynamoDB calls per probe row are printed beside it: the same count at every
 *       size is the structural half of the claim, the time the measured half.
 * </ul>
 */
final class LinkageCostBench {

  static final double TIER_TARGET = 0.6;
  static final double SIZE_TARGET = 1.3;

  /** As a server: the DynamoDB calls are counted at the SDK's HTTP client. */
  private static final EmbeddedAws.DynamoMode DYNAMO_MODE = EmbeddedAws.DynamoMode.SERVER;

  private final PrintWriter out;
  private final long seed;
  private final Clock clock = Clock.systemUTC();

  /**
   * Delay added to every DynamoDB call of an ingest (--tier-compare --latency-ms), as a stand-in
   * for the round trip to DynamoDB that DynamoDB Local on this machine does not have.
   */
  private final java.time.Duration latency;

  LinkageCostBench(PrintWriter out, long seed, java.time.Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException(
          "--latency-ms must be 0 or more, was " + latency.toMillis());
    }
    this.out = out;
    this.seed = seed;
    this.latency = latency;
  }

  /** One timed ingest: rows, wall time, and the DynamoDB calls it made. */
  record Run(long rows, long wallNanos, long dynamoCalls) {
    double rowsPerSecond() {
      return rows * 1e9 / wallNanos;
    }

    double microsPerRow() {
      return wallNanos / 1e3 / rows;
    }

    double callsPerRow() {
      return (double) dynamoCalls / rows;
    }
  }

  /** Both pipelines on the same extract, alternately. */
  int compareTiers(int rows, int rounds, int warmupRows, Path dir) throws IOException {
    long latencyMs = latency.toMillis();
    Path csv = dir.resolve("tiers.csv");
    EarlyHelpCsv.Written written = EarlyHelpCsv.writeRows(csv, rows, seed);
    out.println(
        "FamilyLink bench store --tier-compare: early-help extract of "
            + BenchSupport.grouped((double) written.rows())
            + " rows into a fresh store, deterministic tiers alone then the whole linker, "
            + rounds
            + " rounds, DynamoDB Local "
            + DYNAMO_MODE
            + (latencyMs == 0 ? "" : ", every call delayed " + latencyMs + " ms"));
    out.println("machine: " + BenchSupport.machineLine());
    out.flush();
    if (warmupRows > 0) {
      Path warm = dir.resolve("tiers-warmup.csv");
      EarlyHelpCsv.Written w = EarlyHelpCsv.writeRows(warm, Math.min(warmupRows, rows), seed + 1);
      ingestFresh(List.of(), warm, w.rows(), true, dir.resolve("home-tiers-warmup"));
      out.println("warm-up round (discarded) done");
    }
    List<Double> ratios = new ArrayList<>();
    List<Double> deterministic = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    ObjectNode json = BenchSupport.JSON.createObjectNode();
    json.put("bench", "store-tiers");
    json.set("machine", BenchSupport.machine());
    json.put("rows", written.rows());
    json.put("latencyMs", latencyMs);
    ArrayNode each = json.putArray("rounds");
    for (int i = 1; i <= rounds; i++) {
      Run d = ingestFresh(List.of(), csv, written.rows(), false, dir.resolve("home-d-" + i));
      Run w = ingestFresh(List.of(), csv, written.rows(), true, dir.resolve("home-w-" + i));
      double ratio = w.rowsPerSecond() / d.rowsPerSecond();
      ratios.add(ratio);
      deterministic.add(d.rowsPerSecond());
      whole.add(w.rowsPerSecond());
      ObjectNode n = each.addObject();
      n.put("deterministicRowsPerSecond", Math.round(d.rowsPerSecond()));
      n.put("deterministicCallsPerRow", round3(d.callsPerRow()));
      n.put("tierThreeRowsPerSecond", Math.round(w.rowsPerSecond()));
      n.put("tierThreeCallsPerRow", round3(w.callsPerRow()));
      n.put("ratio", round3(ratio));
      out.printf(
          Locale.ROOT,
          "round %d: deterministic tiers %s rows/s (%.3f DynamoDB calls a row), with tier 3 %s"
              + " rows/s (%.3f calls a row), ratio %.2f%n",
          i,
          BenchSupport.grouped(d.rowsPerSecond()),
          d.callsPerRow(),
          BenchSupport.grouped(w.rowsPerSecond()),
          w.callsPerRow(),
          ratio);
      out.flush();
    }
    double median = median(ratios);
    out.printf(
        Locale.ROOT,
        "median: deterministic %s rows/s, with tier 3 %s rows/s; ratio %.2f (target >= %.2f: %s)%n",
        BenchSupport.grouped(median(deterministic)),
        BenchSupport.grouped(median(whole)),
        median,
        TIER_TARGET,
        median >= TIER_TARGET ? "MET" : "NOT MET");
    json.put("medianRatio", round3(median));
    json.put("meetsTarget", median >= TIER_TARGET);
    out.println("JSON " + BenchSupport.json(json));
    out.flush();
    return 0;
  }

  int storeSize(List<Integer> populations, int probeRows, int warmupRows, Path dir)
      throws IOException {
    Path probe = dir.resolve("probe.csv");
    EarlyHelpCsv.Written written = EarlyHelpCsv.writeRows(probe, probeRows, seed);
    out.println(
        "FamilyLink bench store --population: a probe extract of "
            + BenchSupport.grouped((double) written.rows())
            + " new people ingested (whole linker) into stores already holding "
            + populations
            + " rows of other people, DynamoDB Local "
            + DYNAMO_MODE);
    out.println("machine: " + BenchSupport.machineLine());
    out.flush();
    if (warmupRows > 0) {
      Path warm = dir.resolve("size-warmup.csv");
      EarlyHelpCsv.Written w = EarlyHelpCsv.writeRows(warm, warmupRows, seed + 1);
      ingestFresh(List.of(), warm, w.rows(), true, dir.resolve("home-size-warmup"));
      out.println("warm-up round (discarded) done");
    }
    List<Run> runs = new ArrayList<>();
    ObjectNode json = BenchSupport.JSON.createObjectNode();
    json.put("bench", "store-population");
    json.set("machine", BenchSupport.machine());
    json.put("probeRows", written.rows());
    ArrayNode each = json.putArray("stores");
    for (int population : populations) {
      List<Path> fill = new ArrayList<>();
      int part = 0;
      // filled in files of at most 50,000 rows, with seeds apart from the probe's
      for (int left = population; left > 0; left -= 50_000, part++) {
        Path file = dir.resolve("fill-" + population + "-" + part + ".csv");
        EarlyHelpCsv.writeRows(file, Math.min(50_000, left), seed + 1_000 + part);
        fill.add(file);
      }
      Run r = ingestFresh(fill, probe, written.rows(), true, dir.resolve("home-p-" + population));
      runs.add(r);
      ObjectNode n = each.addObject();
      n.put("population", population);
      n.put("microsPerProbeRow", Math.round(r.microsPerRow()));
      n.put("callsPerProbeRow", round3(r.callsPerRow()));
      out.printf(
          Locale.ROOT,
          "store of %s rows: probe %s rows/s, %.0f µs a row, %.3f DynamoDB calls a row%n",
          BenchSupport.grouped(population),
          BenchSupport.grouped(r.rowsPerSecond()),
          r.microsPerRow(),
          r.callsPerRow());
      out.flush();
      for (Path file : fill) {
        Files.deleteIfExists(file);
      }
    }
    Run smallest = runs.get(0);
    Run largest = runs.get(runs.size() - 1);
    double ratio = largest.microsPerRow() / smallest.microsPerRow();
    out.printf(
        Locale.ROOT,
        "time a probe row at %s / at %s: %.2f (target <= %.2f: %s); calls a row %.3f / %.3f%n",
        BenchSupport.grouped(populations.get(populations.size() - 1)),
        BenchSupport.grouped(populations.get(0)),
        ratio,
        SIZE_TARGET,
        ratio <= SIZE_TARGET ? "MET" : "NOT MET",
        largest.callsPerRow(),
        smallest.callsPerRow());
    json.put("ratio", round3(ratio));
    json.put("meetsTarget", ratio <= SIZE_TARGET);
    out.println("JSON " + BenchSupport.json(json));
    out.flush();
    return 0;
  }

  /**
   * A fresh EmbeddedAws: the {@code fill} extracts ingested untimed, then {@code timed} ingested
   * with its DynamoDB calls counted; each must be ACCEPTED.
   */
  private Run ingestFresh(
      List<Path> fill, Path timed, long timedRows, boolean probabilisticTier, Path home)
      throws IOException {
    try (EmbeddedAws aws =
            EmbeddedAws.start(EmbeddedAws.Options.defaults().withDynamoMode(DYNAMO_MODE));
        InstrumentedHttpClient dynamoHttp =
            new InstrumentedHttpClient(UrlConnectionHttpClient.create(), latency);
        DynamoDbClient ddb =
            aws.newDynamoDbClient(dynamoHttp, ClientOverrideConfiguration.builder().build())) {
      IngestSettings settings =
          IngestSettings.defaults(LocalFamilyLink.localRetention())
              .withProbabilisticTier(probabilisticTier);
      LocalFamilyLink familyLink =
          new LocalFamilyLink(aws, aws.s3(), ddb, home, clock, settings, Continuations.NONE);
      int n = 0;
      for (Path file : fill) {
        BenchSupport.Stopwatch fillWatch = BenchSupport.start();
        deliver(aws, familyLink, file, "fill-" + n++ + ".csv");
        out.printf(
            Locale.ROOT,
            "  filled %s (%.0f s)%n",
            file.getFileName(),
            fillWatch.stop().wallNanos() / 1e9);
        out.flush();
      }
      dynamoHttp.resetCounts();
      BenchSupport.Stopwatch watch = BenchSupport.start();
      deliver(aws, familyLink, timed, "timed.csv");
      long wall = watch.stop().wallNanos();
      return new Run(timedRows, wall, dynamoHttp.calls());
    }
  }

  private void deliver(EmbeddedAws aws, LocalFamilyLink familyLink, Path csv, String name)
      throws IOException {
    String key = "incoming/early-help/early-help/" + name;
    var put = aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromFile(csv));
    String event =
        new S3Events(clock, aws.region().id())
            .objectCreated(
                aws.bucket(), key, Files.size(csv), put.eTag(), "AWS:AIDABENCHEARLYHELP");
    familyLink.sink().deliver(event);
    AttributeValue outcome = StoreBenchCommand.lastIngestDetails(aws.dynamoDb()).get("outcome");
    if (outcome == null || !"ACCEPTED".equals(outcome.s())) {
      throw new IllegalStateException("the bench extract " + name + " was not ACCEPTED");
    }
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static double median(List<Double> values) {
    return BenchSupport.median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
