package uk.familylink.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.adapter.aws.SqsContinuations;
import uk.familylink.domain.ingest.Continuations;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestService.UploadedObject;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.handler.IngestHandler;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.TempFolders;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.S3Events;

/**
 * A large file through the continuation path: generates an extract, ingests it through the real
 * IngestHandler against the embedded S3 and DynamoDB Local with an artificially small remaining
 * time per invocation, so the file stops at checkpoints and continues through (an in-memory
 * stand-in for) its SQS queue many times; each continuation message reaches the handler as an SQS
 * event, as on Lambda. Then checks: records = valid rows exactly once (no duplicate, no lost row),
 * every record's person exists, every active person has a record, the ledger is DONE, the report
 * and the audit entry exist and count every row. Exits 1 when a check fails.
 */
@Command(
    name = "continuation",
    mixinStandardHelpOptions = true,
    description = {
      "A large extract through the ingest's continuation path (small remaining time per invocation), then exactly-once checks.",
      "Target: 2,000,000 rows complete with no duplicate and no lost row."
    })
public final class ContinuationBenchCommand implements Callable<Integer> {

  static final String OBJECT_KEY = "incoming/early-help/early-help/continuation-bench.csv";

  @Spec CommandSpec spec;

  @Option(
      names = "--rows",
      defaultValue = "2000000",
      description = "Rows in the generated extract (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--slice-seconds",
      defaultValue = "20",
      description =
          "Linking time each invocation gets before it must continue (default ${DEFAULT-VALUE}):"
              + " its remaining time starts at the continuation margin plus this.")
  double sliceSeconds;

  @Option(
      names = "--seed",
      defaultValue = "20260301",
      description = "Generator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--max-invocations",
      defaultValue = "100000",
      description = "Stop (and fail) after this many invocations (default ${DEFAULT-VALUE}).")
  int maxInvocations;

  /** What a run found; {@link #ok()} when every check holds. */
  public record Result(
      long rows,
      int invocations,
      int continuations,
      double seconds,
      long records,
      long distinctRecords,
      long rowsValid,
      long rowsLinked,
      long activePersons,
      long recordsWithoutPerson,
      long activePersonsWithoutRecord,
      String ledgerStatus,
      boolean reportExists,
      long ingestAuditEntries,
      long uploadsLeft) {

    public boolean ok() {
      return records == rowsValid
          && distinctRecords == records
          && rowsLinked == rowsValid
          && rowsValid == rows
          && recordsWithoutPerson == 0
          && activePersonsWithoutRecord == 0
          && "DONE".equals(ledgerStatus)
          && reportExists
          && ingestAuditEntries == 1
          && uploadsLeft == 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    header(out);
    Result r = run(rows, sliceSeconds, seed, maxInvocations, out);
    return report(r, out);
  }

  /** The machine and its load average before a run. */
  public static void header(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "machine: %s%nload average before: %s%n",
        BenchSupport.machineLine(),
        loadAverage());
    out.flush();
  }

  /** Prints a run's figures and checks (text, then one JSON line); 0 when every check holds. */
  public static int report(Result r, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "%,d rows in %.1f s through %d invocations (%d continuations), %,.0f rows/s%n"
            + "records %,d (distinct %,d), valid rows %,d, rows linked %,d, active persons %,d%n"
            + "records without a person %d, active persons without a record %d, ledger %s,"
            + " report %s, ingest audit entries %d, uploads left %d%n"
            + "load average after: %s%n%s%n",
        r.rows(),
        r.seconds(),
        r.invocations(),
        r.continuations(),
        r.rows() / r.seconds(),
        r.records(),
        r.distinctRecords(),
        r.rowsValid(),
        r.rowsLinked(),
        r.activePersons(),
        r.recordsWithoutPerson(),
        r.activePersonsWithoutRecord(),
        r.ledgerStatus(),
        r.reportExists() ? "present" : "MISSING",
        r.ingestAuditEntries(),
        r.uploadsLeft(),
        loadAverage(),
        r.ok()
            ? "exactly once: every valid row is one record, no duplicate, no lost row"
            : "CHECK FAILED");
    ObjectNode json = BenchSupport.JSON.valueToTree(r);
    json.put("ok", r.ok());
    json.set("machine", BenchSupport.machine());
    out.println(BenchSupport.json(json));
    out.flush();
    return r.ok() ? 0 : 1;
  }

  /** One run on fresh embedded services (DynamoDB Local in-process, the faster mode). */
  public static Result run(
      long rows, double sliceSeconds, long seed, int maxInvocations, PrintWriter progress)
      throws Exception {
    return run(rows, sliceSeconds, seed, maxInvocations, progress, new DynamoDbStore());
  }

  /**
   * Where the linked data, the file ledger and the audit trail live during a run, and how the
   * checks read them back. The object store is always the embedded S3 and the handler always the
   * real {@link IngestHandler} over {@link IngestService}.
   */
  public interface Store {
    /** The ingest handler over this store; {@code work} holds the local root key. */
    IngestHandler handler(
        EmbeddedAws aws, Path work, IngestSettings settings, Continuations continuations);

    /** What the store holds for the file after the run. */
    Tally tally(EmbeddedAws aws, UploadedObject upload) throws Exception;
  }

  /** The store's side of the checks (the S3 side is read the same way for every store). */
  public record Tally(
      long records,
      long distinctRecords,
      long activePersons,
      long recordsWithoutPerson,
      long activePersonsWithoutRecord,
      String ledgerStatus,
      long rowsValid,
      long rowsLinked,
      long ingestAuditEntries) {}

  /**
   * Counts records, persons and their links from a stream of records (key, person) and persons (id,
   * active), as every store's check does.
   */
  public static final class PopulationCheck {
    private long records;
    private final Set<String> recordKeys = new HashSet<>();
    private final Map<String, Boolean> personActive = new HashMap<>();
    private final Set<String> personsWithRecords = new HashSet<>();

    public void record(String key, String person) {
      records++;
      recordKeys.add(key);
      personsWithRecords.add(person);
    }

    public void person(String id, boolean active) {
      personActive.put(id, active);
    }

    public Tally tally(
        String ledgerStatus, long rowsValid, long rowsLinked, long ingestAuditEntries) {
      long recordsWithoutPerson =
          personsWithRecords.stream().filter(p -> !personActive.containsKey(p)).count();
      long active = personActive.values().stream().filter(a -> a).count();
      long activeWithoutRecord =
          personActive.entrySet().stream()
              .filter(e -> e.getValue() && !personsWithRecords.contains(e.getKey()))
              .count();
      return new Tally(
          records,
          recordKeys.size(),
          active,
          recordsWithoutPerson,
          activeWithoutRecord,
          ledgerStatus,
          rowsValid,
          rowsLinked,
          ingestAuditEntries);
    }
  }

  /** One run on fresh embedded services, linking into {@code store}. */
  public static Result run(
      long rows,
      double sliceSeconds,
      long seed,
      int maxInvocations,
      PrintWriter progress,
      Store store)
      throws Exception {
    Path work = Files.createTempDirectory("familylink-continuation-");
    try (EmbeddedAws aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults().withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS))) {
      Path csv = work.resolve("extract.csv");
      EarlyHelpCsv.writeRows(csv, rows, seed);
      ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
      IngestSettings settings = IngestSettings.defaults(LocalFamilyLink.localRetention());
      IngestHandler handler =
          store.handler(aws, work, settings, upload -> queue.add(SqsContinuations.toJson(upload)));
      var put =
          aws.s3()
              .putObject(b -> b.bucket(aws.bucket()).key(OBJECT_KEY), RequestBody.fromFile(csv));
      String event =
          new S3Events(Clock.systemUTC(), aws.region().id())
              .objectCreated(
                  aws.bucket(), OBJECT_KEY, Files.size(csv), put.eTag(), "AWS:AIDABENCHEARLYHELP");
      UploadedObject upload = uploadOf(event);
      Files.delete(csv);

      long budgetMillis = settings.continuationMargin().toMillis() + (long) (sliceSeconds * 1000);
      long started = System.nanoTime();
      JsonNode response = deliver(handler, event, budgetMillis);
      int invocations = 1;
      int continuations = 0;
      String body;
      while ((body = queue.poll()) != null) {
        if (invocations >= maxInvocations) {
          throw new IllegalStateException("still continuing after " + invocations + " invocations");
        }
        continuations++;
        ObjectNode sqs = BenchSupport.JSON.createObjectNode();
        sqs.putArray("Records")
            .addObject()
            .put("eventSource", "aws:sqs")
            .put("messageId", "continuation-" + continuations)
            .put("body", body);
        response = deliver(handler, BenchSupport.JSON.writeValueAsString(sqs), budgetMillis);
        invocations++;
        if (progress != null && invocations % 10 == 0) {
          progress.printf(
              Locale.ROOT,
              "  %d invocations, %.0f s%n",
              invocations,
              (System.nanoTime() - started) / 1e9);
          progress.flush();
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      if (response.path("failed").asInt(-1) != 0) {
        throw new IllegalStateException("the last invocation failed: " + response);
      }
      return check(aws, upload, rows, invocations, continuations, seconds, store);
    } finally {
      TempFolders.deleteTree(work);
    }
  }

  /** The DynamoDB adapters over the embedded DynamoDB Local, as the local tool wires them. */
  static final class DynamoDbStore implements Store {
    @Override
    public IngestHandler handler(
        EmbeddedAws aws, Path work, IngestSettings settings, Continuations continuations) {
      return new LocalFamilyLink(
              aws, aws.s3(), aws.dynamoDb(), work, Clock.systemUTC(), settings, continuations)
          .handler();
    }

    @Override
    public Tally tally(EmbeddedAws aws, UploadedObject upload) {
      DynamoDbClient ddb = aws.dynamoDb();
      PopulationCheck population = new PopulationCheck();
      for (Map<String, AttributeValue> item : scan(ddb, LocalFamilyLink.TABLE)) {
        String sk = item.get("sk").s();
        if (sk.equals("REC")) {
          population.record(item.get("pk").s(), item.get("person").s());
        } else if (sk.equals("PERSON")) {
          population.person(
              item.get("pk").s().substring("PERSON#".length()), !item.containsKey("mergedInto"));
        }
      }
      Map<String, AttributeValue> ledger =
          ddb.getItem(
                  b ->
                      b.tableName(LocalFamilyLink.TABLE)
                          .key(
                              Map.of(
                                  "pk",
                                  AttributeValue.fromS("FILE#" + IngestService.fileId(upload)),
                                  "sk",
                                  AttributeValue.fromS("FILE"))))
              .item();
      long rowsValid = -1;
      long rowsLinked = -1;
      long ingestEntries = 0;
      for (Map<String, AttributeValue> item : scan(ddb, LocalFamilyLink.AUDIT_TABLE)) {
        if (item.containsKey("kind") && "INGEST".equals(item.get("kind").s())) {
          ingestEntries++;
          Map<String, AttributeValue> details = item.get("details").m();
          rowsValid = Long.parseLong(details.get("rowsValid").n());
          rowsLinked = Long.parseLong(details.get("rowsLinked").n());
        }
      }
      return population.tally(
          ledger == null || !ledger.containsKey("status") ? "NONE" : ledger.get("status").s(),
          rowsValid,
          rowsLinked,
          ingestEntries);
    }
  }

  private static UploadedObject uploadOf(String event) throws IOException {
    JsonNode record = BenchSupport.JSON.readTree(event).path("Records").path(0);
    JsonNode object = record.path("s3").path("object");
    return new UploadedObject(
        record.path("s3").path("bucket").path("name").asText(),
        OBJECT_KEY,
        object.path("size").asLong(),
        object.path("eTag").asText(),
        record.path("userIdentity").path("principalId").asText(),
        object.hasNonNull("versionId") ? object.path("versionId").asText() : null,
        object.hasNonNull("sequencer") ? object.path("sequencer").asText() : null);
  }

  private static JsonNode deliver(IngestHandler handler, String event, long budgetMillis)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
        out,
        context(System.nanoTime() + budgetMillis * 1_000_000L));
    return BenchSupport.JSON.readTree(out.toByteArray());
  }

  /** A Lambda context whose remaining time runs out at {@code deadlineNanos}. */
  private static Context context(long deadlineNanos) {
    return (Context)
        Proxy.newProxyInstance(
            Context.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getRemainingTimeInMillis" ->
                      (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000L);
                  case "getAwsRequestId" -> "continuation-bench";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> method.getReturnType() == int.class ? 0 : null;
                });
  }

  private static Result check(
      EmbeddedAws aws,
      UploadedObject upload,
      long rows,
      int invocations,
      int continuations,
      double seconds,
      Store store)
      throws Exception {
    Tally t = store.tally(aws, upload);
    String report =
        "reports/early-help/early-help/continuation-bench.csv."
            + upload.versionTag()
            + ".report.json";
    boolean reportExists =
        aws
            .s3()
            .listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix("reports/"))
            .contents()
            .stream()
            .anyMatch(o -> o.key().equals(report));
    long uploadsLeft =
        aws
            .s3()
            .listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix("incoming/"))
            .contents()
            .stream()
            .count();
    return new Result(
        rows,
        invocations,
        continuations,
        seconds,
        t.records(),
        t.distinctRecords(),
        t.rowsValid(),
        t.rowsLinked(),
        t.activePersons(),
        t.recordsWithoutPerson(),
        t.activePersonsWithoutRecord(),
        t.ledgerStatus(),
        reportExists,
        t.ingestAuditEntries(),
        uploadsLeft);
  }

  /**
   * Every item of a table, one sequential scan: DynamoDB Local answers segmented scans by scanning
   * everything per segment (a 200,000-row run's four segments had not finished after 20 minutes).
   */
  private static Iterable<Map<String, AttributeValue>> scan(DynamoDbClient ddb, String table) {
    return ddb.scanPaginator(b -> b.tableName(table)).items();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
