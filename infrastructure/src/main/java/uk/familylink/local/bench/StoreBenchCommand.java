package uk.familylink.local.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.domain.ingest.Continuations;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.TempFolders;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.InstrumentedHttpClient;
import uk.familylink.local.aws.S3Events;

/**
 * End to end into DynamoDB Local: items/s of the real ingest (S3 event → IngestHandler →
 * validation, pseudonymisation, linkage, BatchWriteItem/TransactWriteItems) against items/s of raw
 * single-threaded BatchWriteItem into a table of the same layout, in the same DynamoDB Local.
 *
 * <p>LocalFamilyLink creates its tables under fixed names, so each round starts a fresh
 * EmbeddedAws: (a) raw writes into a table {@value #RAW_TABLE} created beside LocalFamilyLink's,
 * then (b) the pipeline ingest. Rounds alternate a, b, a, b; medians are reported. A small warm-up
 * round first (discarded) keeps the first measured round from paying for class loading and the JIT.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = {
      "Items/s of the real ingest pipeline into DynamoDB Local against raw BatchWriteItem into the same DynamoDB Local.",
      "Target: pipeline items/s at least half of raw items/s."
    })
final class StoreBenchCommand implements Callable<Integer> {

  static final String RAW_TABLE = "bench-raw";
  static final String OBJECT_KEY = "incoming/early-help/early-help/bench.csv";
  static final double TARGET_RATIO = 0.5;
  private static final int BATCH = 25;

  @Spec CommandSpec spec;

  // 5,000 by default: DynamoDB Local manages only ~1,500 items/s here, and each row becomes ~6
  // items
  @Option(
      names = "--rows",
      defaultValue = "5000",
      description =
          "Rows in the uploaded extract, and raw items written (default ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--raw-items", description = "Raw items to write per round (default: --rows).")
  Integer rawItems;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Rounds of (raw, pipeline) (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--dynamodb",
      defaultValue = "IN_PROCESS",
      description = "How DynamoDB Local runs: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  EmbeddedAws.DynamoMode dynamoMode;

  @Option(
      names = "--warmup-rows",
      defaultValue = "1000",
      description = "Rows of the discarded warm-up round, 0 for none (default ${DEFAULT-VALUE}).")
  int warmupRows;

  @Option(
      names = "--latency-ms",
      split = ",",
      description = {
        "Latency mode: run the real pipeline against DynamoDB Local (as a server) with every SDK"
            + " call delayed by each of these milliseconds (e.g. 0,8), through an SdkHttpClient"
            + " decorator; prints rows/s, calls per row and the peak calls in flight.",
        "Target: rows/s at the largest latency >= 0.9 x rows/s at the smallest, in one run.",
        "With --tier-compare, one value: both pipelines with every call delayed that long."
      })
  List<Integer> latencyMs;

  @Option(
      names = "--tier-compare",
      description = {
        "Tier mode: ingest the extract into a fresh store with the deterministic tiers alone and"
            + " with the whole linker, alternately, --rounds times; prints both rows/s.",
        "Target: median rows/s with tier 3 >= 0.6 x deterministic only."
      })
  boolean tierCompare;

  @Option(
      names = "--population",
      split = ",",
      description = {
        "Store-size mode: fill a fresh store with each of these numbers of rows of other people"
            + " (untimed), then time a probe extract of --rows new people.",
        "Target: time a probe row at the largest / at the smallest <= 1.3."
      })
  List<Integer> populations;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
  long seed;

  /** One round's measurements. */
  record Round(
      long rawItems,
      BenchSupport.Timing raw,
      long pipelineRows,
      long pipelineItems,
      long auditItemsWritten,
      String outcome,
      BenchSupport.Timing pipeline) {
    double rawPerSecond() {
      return raw.perSecondWall(rawItems);
    }

    double pipelinePerSecond() {
      return pipeline.perSecondWall(pipelineItems);
    }

    double ratio() {
      return pipelinePerSecond() / rawPerSecond();
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (rows < 1 || rounds < 1) {
      throw new IllegalArgumentException("--rows and --rounds must be at least 1");
    }
    if (tierCompare && latencyMs != null && latencyMs.size() != 1) {
      throw new IllegalArgumentException(
          "--tier-compare takes one --latency-ms value (both pipelines at that latency)");
    }
    if (latencyMs != null && !latencyMs.isEmpty() && !tierCompare) {
      return latencyRuns(out);
    }
    if (tierCompare || (populations != null && !populations.isEmpty())) {
      Path dir = Files.createTempDirectory("familylink-bench-linkage-");
      try {
        LinkageCostBench bench =
            new LinkageCostBench(
                out, seed, java.time.Duration.ofMillis(latencyMs == null ? 0 : latencyMs.get(0)));
        return tierCompare
            ? bench.compareTiers(rows, rounds, warmupRows, dir)
            : bench.storeSize(populations.stream().sorted().toList(), rows, warmupRows, dir);
      } finally {
        TempFolders.deleteTree(dir);
      }
    }
    int raw = rawItems == null ? rows : rawItems;
    Clock clock = Clock.systemUTC();
    Path dir = Files.createTempDirectory("familylink-bench-store-");
    try {
      Path csv = dir.resolve("bench.csv");
      EarlyHelpCsv.Written written = EarlyHelpCsv.writeRows(csv, rows, seed);
      out.println(
          "FamilyLink bench store: early-help extract of "
              + BenchSupport.grouped((double) written.rows())
              + " rows ("
              + BenchSupport.grouped((double) written.bytes())
              + " bytes), "
              + BenchSupport.grouped(raw)
              + " raw items per round, DynamoDB Local "
              + dynamoMode);
      out.println("machine: " + BenchSupport.machineLine());
      out.flush();
      if (warmupRows > 0) {
        Path warm = dir.resolve("warmup.csv");
        EarlyHelpCsv.Written w = EarlyHelpCsv.writeRows(warm, Math.min(warmupRows, rows), seed + 1);
        Round r =
            round(warm, w.rows(), Math.min(warmupRows, raw), dir.resolve("home-warmup"), clock);
        out.printf(
            Locale.ROOT,
            "warm-up round (discarded): raw %s items/s, pipeline %s items/s%n",
            BenchSupport.grouped(r.rawPerSecond()),
            BenchSupport.grouped(r.pipelinePerSecond()));
        out.flush();
      }
      out.printf(
          Locale.ROOT,
          "%-6s %11s %9s %13s | %9s %11s %9s %13s %11s | %7s%n",
          "round",
          "raw items",
          "raw ms",
          "raw items/s",
          "rows",
          "pipe items",
          "pipe ms",
          "pipe items/s",
          "pipe rows/s",
          "ratio");
      List<Round> results = new ArrayList<>();
      for (int i = 1; i <= rounds; i++) {
        Round r = round(csv, written.rows(), raw, dir.resolve("home-" + i), clock);
        results.add(r);
        out.printf(
            Locale.ROOT,
            "%-6d %11s %9.0f %13s | %9s %11s %9.0f %13s %11s | %7.2f%n",
            i,
            BenchSupport.grouped((double) r.rawItems()),
            r.raw().wallNanos() / 1e6,
            BenchSupport.grouped(r.rawPerSecond()),
            BenchSupport.grouped((double) r.pipelineRows()),
            BenchSupport.grouped((double) r.pipelineItems()),
            r.pipeline().wallNanos() / 1e6,
            BenchSupport.grouped(r.pipelinePerSecond()),
            BenchSupport.grouped(r.pipeline().perSecondWall(r.pipelineRows())),
            r.ratio());
        out.flush();
      }
      double rawMedian =
          BenchSupport.median(results.stream().mapToDouble(Round::rawPerSecond).toArray());
      double pipeMedian =
          BenchSupport.median(results.stream().mapToDouble(Round::pipelinePerSecond).toArray());
      double rowsMedian =
          BenchSupport.median(
              results.stream()
                  .mapToDouble(r -> r.pipeline().perSecondWall(r.pipelineRows()))
                  .toArray());
      double ratioMedian =
          BenchSupport.median(results.stream().mapToDouble(Round::ratio).toArray());
      boolean met = ratioMedian >= TARGET_RATIO;
      out.println();
      out.printf(
          Locale.ROOT, "median raw BatchWriteItem: %s items/s%n", BenchSupport.grouped(rawMedian));
      out.printf(
          Locale.ROOT,
          "median pipeline:           %s items/s (%s rows/s)%n",
          BenchSupport.grouped(pipeMedian),
          BenchSupport.grouped(rowsMedian));
      out.printf(
          Locale.ROOT,
          "median ratio pipeline/raw: %.2f (target >= %.2f: %s)%n",
          ratioMedian,
          TARGET_RATIO,
          met ? "MET" : "NOT MET");
      out.println(
          "items counted by scanning the linked-data table (includes the one file-ledger item); "
              + "pipeline time is the handler call, from event delivery to return, upload excluded");

      ObjectNode json = BenchSupport.JSON.createObjectNode();
      json.put("bench", "store");
      json.put("dataset", EarlyHelpCsv.DATASET);
      json.put("dynamoDb", dynamoMode.name());
      json.set("machine", BenchSupport.machine());
      json.put("rows", written.rows());
      json.put("rawItems", raw);
      json.put("rounds", rounds);
      json.put("medianRawItemsPerSecond", Math.round(rawMedian));
      json.put("medianPipelineItemsPerSecond", Math.round(pipeMedian));
      json.put("medianPipelineRowsPerSecond", Math.round(rowsMedian));
      json.put("medianRatio", Math.round(ratioMedian * 1000) / 1000.0);
      json.put("targetRatio", TARGET_RATIO);
      json.put("meetsTarget", met);
      ArrayNode each = json.putArray("results");
      for (Round r : results) {
        ObjectNode n = each.addObject();
        n.put("rawItemsPerSecond", Math.round(r.rawPerSecond()));
        n.put("pipelineItems", r.pipelineItems());
        n.put("auditItemsWritten", r.auditItemsWritten());
        n.put("pipelineMs", r.pipeline().wallNanos() / 1_000_000);
        n.put("pipelineItemsPerSecond", Math.round(r.pipelinePerSecond()));
        n.put("pipelineRowsPerSecond", Math.round(r.pipeline().perSecondWall(r.pipelineRows())));
        n.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
        n.put("outcome", r.outcome());
      }
      out.println("JSON " + BenchSupport.json(json));
      out.flush();
      return 0;
    } finally {
      TempFolders.deleteTree(dir);
    }
  }

  /** A fresh EmbeddedAws: (a) raw BatchWriteItem, then (b) the pipeline ingest of {@code csv}. */
  private Round round(Path csv, long csvRows, int rawCount, Path home, Clock clock)
      throws IOException {
    try (EmbeddedAws aws =
        EmbeddedAws.start(EmbeddedAws.Options.defaults().withDynamoMode(dynamoMode))) {
      LocalFamilyLink familyLink = LocalFamilyLink.start(aws, home, clock);
      DynamoDbClient ddb = aws.dynamoDb();

      // (a) raw: items prepared beforehand, so only the store is timed
      DynamoDbTables.createTable(ddb, RAW_TABLE);
      long expiresAt =
          new RetentionPolicy(
                  LocalFamilyLink.DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS)
              .expiresAtEpochSecond();
      List<Map<String, AttributeValue>> items =
          rawItems(rawCount, expiresAt, new SplittableRandom(seed));
      BenchSupport.Stopwatch rawWatch = BenchSupport.start();
      batchWrite(ddb, RAW_TABLE, items);
      BenchSupport.Timing rawTiming = rawWatch.stop();
      long rawCounted = countItems(ddb, RAW_TABLE);
      if (rawCounted != rawCount) {
        throw new IllegalStateException(
            "raw table holds " + rawCounted + " items after writing " + rawCount);
      }

      // (b) the pipeline, exactly as S3 would trigger it
      var put =
          aws.s3()
              .putObject(b -> b.bucket(aws.bucket()).key(OBJECT_KEY), RequestBody.fromFile(csv));
      String event =
          new S3Events(clock, aws.region().id())
              .objectCreated(
                  aws.bucket(), OBJECT_KEY, Files.size(csv), put.eTag(), "AWS:AIDABENCHEARLYHELP");
      BenchSupport.Stopwatch pipeWatch = BenchSupport.start();
      familyLink.sink().deliver(event);
      BenchSupport.Timing pipeTiming = pipeWatch.stop();
      long pipelineItems = countItems(ddb, LocalFamilyLink.TABLE);
      Map<String, AttributeValue> details = lastIngestDetails(ddb);
      String outcome = details.containsKey("outcome") ? details.get("outcome").s() : "NONE";
      long auditItems =
          details.containsKey("itemsWritten")
              ? Long.parseLong(details.get("itemsWritten").n())
              : -1;
      if (!"ACCEPTED".equals(outcome)) {
        throw new IllegalStateException(
            "the bench extract was not ACCEPTED by the pipeline (outcome "
                + outcome
                + ", audit details "
                + details.keySet()
                + ")");
      }
      return new Round(
          rawCount, rawTiming, csvRows, pipelineItems, auditItems, outcome, pipeTiming);
    }
  }

  static final double LATENCY_TARGET = 0.9;
  static final double MODEL_LATENCY_MS = 8;

  /** One latency run's measurements. */
  record LatencyRun(
      int latencyMs,
      long rows,
      long wallNanos,
      long dynamoCalls,
      long s3Calls,
      int peakDynamoInFlight,
      String outcome) {
    double rowsPerSecond() {
      return rows * 1e9 / wallNanos;
    }

    double dynamoCallsPerRow() {
      return (double) dynamoCalls / rows;
    }

    /** rows / (calls x 8 ms / peak calls in flight): the store time against real DynamoDB. */
    double modelledRowsPerSecond() {
      return rows / (dynamoCalls * MODEL_LATENCY_MS / 1000.0 / peakDynamoInFlight);
    }
  }

  private Integer latencyRuns(PrintWriter out) throws Exception {
    Clock clock = Clock.systemUTC();
    Path dir = Files.createTempDirectory("familylink-bench-latency-");
    try {
      Path csv = dir.resolve("bench.csv");
      EarlyHelpCsv.Written written = EarlyHelpCsv.writeRows(csv, rows, seed);
      out.println(
          "FamilyLink bench store --latency-ms: early-help extract of "
              + BenchSupport.grouped((double) written.rows())
              + " rows, DynamoDB Local as a server, every SDK call delayed (SdkHttpClient decorator)");
      out.println("machine: " + BenchSupport.machineLine());
      if (warmupRows > 0) {
        Path warm = dir.resolve("warmup.csv");
        EarlyHelpCsv.Written w = EarlyHelpCsv.writeRows(warm, Math.min(warmupRows, rows), seed + 1);
        latencyRun(warm, w.rows(), 0, dir.resolve("home-warmup"), clock);
        out.println("warm-up run (discarded) done");
      }
      out.flush();
      List<LatencyRun> runs = new ArrayList<>();
      for (int latency : latencyMs) {
        LatencyRun r =
            latencyRun(csv, written.rows(), latency, dir.resolve("home-" + latency), clock);
        runs.add(r);
        out.printf(
            Locale.ROOT,
            "pipeline latency %d ms: %s rows in %.0f ms = %s rows/s; DynamoDB calls %s (%.3f per"
                + " row), S3 calls %d, peak DynamoDB calls in flight %d; outcome %s%n",
            r.latencyMs(),
            BenchSupport.grouped((double) r.rows()),
            r.wallNanos() / 1e6,
            BenchSupport.grouped(r.rowsPerSecond()),
            BenchSupport.grouped((double) r.dynamoCalls()),
            r.dynamoCallsPerRow(),
            r.s3Calls(),
            r.peakDynamoInFlight(),
            r.outcome());
        out.flush();
      }
      LatencyRun fastest = runs.stream().min(Comparator.comparingInt(LatencyRun::latencyMs)).get();
      LatencyRun slowest = runs.stream().max(Comparator.comparingInt(LatencyRun::latencyMs)).get();
      double ratio = slowest.rowsPerSecond() / fastest.rowsPerSecond();
      out.printf(
          Locale.ROOT,
          "ratio rows/s at %d ms / at %d ms: %.2f (target >= %.2f: %s)%n",
          slowest.latencyMs(),
          fastest.latencyMs(),
          ratio,
          LATENCY_TARGET,
          ratio >= LATENCY_TARGET ? "MET" : "NOT MET");
      out.printf(
          Locale.ROOT,
          "modelled against real DynamoDB (calls x %.0f ms / peak calls in flight, from the %d ms"
              + " run): %s rows/s (target >= 3,000: %s); an upper bound, as steps wait for their"
              + " slowest call%n",
          MODEL_LATENCY_MS,
          slowest.latencyMs(),
          BenchSupport.grouped(slowest.modelledRowsPerSecond()),
          slowest.modelledRowsPerSecond() >= 3000 ? "MET" : "NOT MET");
      ObjectNode json = BenchSupport.JSON.createObjectNode();
      json.put("bench", "store-latency");
      json.set("machine", BenchSupport.machine());
      json.put("rows", written.rows());
      ArrayNode each = json.putArray("runs");
      for (LatencyRun r : runs) {
        ObjectNode n = each.addObject();
        n.put("latencyMs", r.latencyMs());
        n.put("rowsPerSecond", Math.round(r.rowsPerSecond()));
        n.put("dynamoCalls", r.dynamoCalls());
        n.put("dynamoCallsPerRow", Math.round(r.dynamoCallsPerRow() * 1000) / 1000.0);
        n.put("s3Calls", r.s3Calls());
        n.put("peakDynamoInFlight", r.peakDynamoInFlight());
        n.put("modelledRowsPerSecond", Math.round(r.modelledRowsPerSecond()));
      }
      json.put("ratio", Math.round(ratio * 1000) / 1000.0);
      json.put("meetsTarget", ratio >= LATENCY_TARGET);
      out.println("JSON " + BenchSupport.json(json));
      out.flush();
      return 0;
    } finally {
      TempFolders.deleteTree(dir);
    }
  }

  private LatencyRun latencyRun(Path csv, long csvRows, int latency, Path home, Clock clock)
      throws IOException {
    try (EmbeddedAws aws =
            EmbeddedAws.start(
                EmbeddedAws.Options.defaults().withDynamoMode(EmbeddedAws.DynamoMode.SERVER));
        InstrumentedHttpClient dynamoHttp =
            new InstrumentedHttpClient(
                UrlConnectionHttpClient.create(), java.time.Duration.ofMillis(latency));
        InstrumentedHttpClient s3Http =
            new InstrumentedHttpClient(
                EmbeddedAws.s3HttpClient(), java.time.Duration.ofMillis(latency));
        DynamoDbClient ddb =
            aws.newDynamoDbClient(dynamoHttp, ClientOverrideConfiguration.builder().build());
        S3Client s3 = aws.newS3Client(s3Http, ClientOverrideConfiguration.builder().build())) {
      RetentionPolicy retention =
          new RetentionPolicy(
              LocalFamilyLink.DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS);
      LocalFamilyLink familyLink =
          new LocalFamilyLink(
              aws, s3, ddb, home, clock, IngestSettings.defaults(retention), Continuations.NONE);
      var put =
          aws.s3()
              .putObject(b -> b.bucket(aws.bucket()).key(OBJECT_KEY), RequestBody.fromFile(csv));
      String event =
          new S3Events(clock, aws.region().id())
              .objectCreated(
                  aws.bucket(), OBJECT_KEY, Files.size(csv), put.eTag(), "AWS:AIDABENCHEARLYHELP");
      dynamoHttp.resetCounts();
      s3Http.resetCounts();
      BenchSupport.Stopwatch watch = BenchSupport.start();
      familyLink.sink().deliver(event);
      BenchSupport.Timing timing = watch.stop();
      String outcome =
          lastIngestDetails(aws.dynamoDb())
              .getOrDefault("outcome", AttributeValue.fromS("NONE"))
              .s();
      if (!"ACCEPTED".equals(outcome)) {
        throw new IllegalStateException(
            "the bench extract was not ACCEPTED (outcome " + outcome + ")");
      }
      return new LatencyRun(
          latency,
          csvRows,
          timing.wallNanos(),
          dynamoHttp.calls(),
          s3Http.calls(),
          dynamoHttp.peakInFlight(),
          outcome);
    }
  }

  /** Items shaped like the pipeline's record items: keys, GSI keys, expiry, ~14 attributes. */
  static List<Map<String, AttributeValue>> rawItems(
      int count, long expiresAt, SplittableRandom random) {
    List<Map<String, AttributeValue>> items = new ArrayList<>(count);
    String[] needs = {"EDUCATION", "HEALTH", "HOUSING", "CRIME"};
    for (int i = 0; i < count; i++) {
      String pk = "REC#early-help#" + token(random);
      String person =
          "PERSON#P" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(DynamoDbTables.PK, AttributeValue.fromS(pk));
      item.put(DynamoDbTables.SK, AttributeValue.fromS("REC"));
      item.put(DynamoDbTables.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
      item.put(
          DynamoDbTables.EXPIRY_PK, AttributeValue.fromS(DynamoDbTables.expiryPk(pk, expiresAt)));
      item.put("person", AttributeValue.fromS(person.substring("PERSON#".length())));
      item.put("partner", AttributeValue.fromS("early-help"));
      item.put("dataset", AttributeValue.fromS("early-help"));
      item.put("recordToken", AttributeValue.fromS(pk.substring("REC#early-help#".length())));
      item.put("indicators", AttributeValue.fromSs(List.of(needs[random.nextInt(needs.length)])));
      item.put(
          "eventDate",
          AttributeValue.fromS("2024-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10)));
      item.put(
          "birthYearMonth",
          AttributeValue.fromS((1970 + random.nextInt(50)) + "-0" + (1 + random.nextInt(9))));
      item.put("expectantParent", AttributeValue.fromBool(random.nextInt(10) == 0));
      item.put(
          "attributes",
          AttributeValue.fromM(
              Map.of("needs_identified", AttributeValue.fromS("EDUCATION;HEALTH"))));
      item.put("fileId", AttributeValue.fromS("0123456789abcdef0123456789abcdef"));
      item.put(DynamoDbTables.GSI1_PK, AttributeValue.fromS(person));
      item.put(DynamoDbTables.GSI1_SK, AttributeValue.fromS(pk));
      items.add(item);
    }
    return items;
  }

  /** 43 base64url characters, the length of an HMAC-SHA256 token. */
  private static String token(SplittableRandom random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char[] c = new char[43];
    for (int i = 0; i < c.length; i++) {
      c[i] = alphabet.charAt(random.nextInt(64));
    }
    return new String(c);
  }

  /** Single-threaded BatchWriteItem, 25 a call, resending UnprocessedItems until none are left. */
  static void batchWrite(
      DynamoDbClient ddb, String table, List<Map<String, AttributeValue>> items) {
    for (int from = 0; from < items.size(); from += BATCH) {
      List<WriteRequest> requests = new ArrayList<>(BATCH);
      for (Map<String, AttributeValue> item :
          items.subList(from, Math.min(items.size(), from + BATCH))) {
        requests.add(
            WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      }
      Map<String, List<WriteRequest>> pending = Map.of(table, requests);
      for (int attempt = 0; !pending.isEmpty(); attempt++) {
        if (attempt == 20) {
          throw new IllegalStateException(
              "BatchWriteItem still had unprocessed items after 20 attempts");
        }
        Map<String, List<WriteRequest>> request = pending;
        BatchWriteItemResponse resp = ddb.batchWriteItem(b -> b.requestItems(request));
        pending = resp.hasUnprocessedItems() ? resp.unprocessedItems() : Map.of();
      }
    }
  }

  /** The truth: a counting Scan over the whole table. */
  static long countItems(DynamoDbClient ddb, String table) {
    long count = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse resp =
          ddb.scan(
              b -> {
                b.tableName(table).select(Select.COUNT);
                if (from != null) {
                  b.exclusiveStartKey(from);
                }
              });
      count += resp.count();
      start =
          resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty()
              ? resp.lastEvaluatedKey()
              : null;
    } while (start != null);
    return count;
  }

  /** Details of the latest INGEST audit entry (empty when there is none). */
  static Map<String, AttributeValue> lastIngestDetails(DynamoDbClient ddb) {
    List<Map<String, AttributeValue>> entries = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse resp =
          ddb.scan(
              b -> {
                b.tableName(LocalFamilyLink.AUDIT_TABLE);
                if (from != null) {
                  b.exclusiveStartKey(from);
                }
              });
      resp.items().stream()
          .filter(i -> i.containsKey("kind") && "INGEST".equals(i.get("kind").s()))
          .forEach(entries::add);
      start =
          resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty()
              ? resp.lastEvaluatedKey()
              : null;
    } while (start != null);
    return entries.stream()
        .max(Comparator.comparing(i -> Instant.parse(i.get("at").s())))
        .map(i -> i.get("details").m())
        .orElse(Map.of());
  }
}
