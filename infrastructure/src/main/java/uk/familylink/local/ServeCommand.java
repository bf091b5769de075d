package uk.familylink.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3EventSink;
import uk.familylink.local.aws.S3Events;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run S3 and DynamoDB locally on the workspace; every object uploaded under incoming/ is handed to the ingest handler",
      "(several at once, as Lambda would). Stop with Ctrl-C: the data stays in the workspace; an upload caught mid-ingest",
      "is finished once on the next start. While it runs, access, audit, sweep and restamp use its endpoints."
    })
final class ServeCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  @Option(
      names = "--s3-port",
      defaultValue = "4566",
      description = "S3 port on 127.0.0.1, 0 for a free one (default ${DEFAULT-VALUE}).")
  int s3Port;

  @Option(
      names = "--dynamodb-port",
      defaultValue = "8000",
      description = "DynamoDB port on 127.0.0.1, 0 for a free one (default ${DEFAULT-VALUE}).")
  int dynamoDbPort;

  @Option(
      names = "--bucket",
      defaultValue = EmbeddedAws.DEFAULT_BUCKET,
      description = "Landing bucket (default ${DEFAULT-VALUE}).")
  String bucket;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Uploads ingested at once (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--poll-ms",
      defaultValue = "500",
      description =
          "How often to look for new uploads, in milliseconds (default ${DEFAULT-VALUE}).")
  long pollMillis;

  /** Counted down once serve is ready (tests wait on it). */
  final CountDownLatch ready = new CountDownLatch(1);

  /** Set by a test instead of Ctrl-C. */
  volatile boolean stopRequested;

  @Override
  public Integer call() throws Exception {
    if (pollMillis < 10) {
      throw new CliException("--poll-ms must be at least 10, was " + pollMillis);
    }
    if (workers < 1 || workers > 64) {
      throw new CliException("--workers must be between 1 and 64, was " + workers);
    }
    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;
    ExecutorService pool = Executors.newFixedThreadPool(workers, daemon());
    Thread main = Thread.currentThread();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopRequested = true;
              main.interrupt();
              try {
                stopped.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "familylink-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (LocalSession session =
        LocalSession.open(
            workspace,
            EmbeddedAws.Options.defaults().withPorts(s3Port, dynamoDbPort).withBucket(bucket),
            clock,
            false)) {
      EmbeddedAws aws = session.aws();
      AtomicInteger done = new AtomicInteger();
      IncomingPoller poller =
          new IncomingPoller(
              aws.s3(),
              aws.bucket(),
              new S3Events(clock, aws.region().id()),
              reporting(session.familyLink().sink(), out, done),
              pool);
      String s3 = aws.s3Endpoint().toString();
      String dynamo = aws.dynamoDbEndpoint().map(Object::toString).orElse("in-process");
      if (session.workspace() != null) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("s3", s3);
        endpoints.put("dynamodb", dynamo);
        endpoints.put("bucket", aws.bucket());
        session.workspace().recordServe(endpoints);
        out.println("Workspace: " + session.workspace().home().toAbsolutePath());
      }
      out.println("S3:        " + s3 + "  (bucket " + aws.bucket() + ", path-style)");
      out.println("DynamoDB:  " + dynamo);
      out.println("Ready. In another terminal (any credentials work; these are examples):");
      out.println(
          "  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION="
              + aws.region().id());
      out.println(
          "  aws --endpoint-url "
              + s3
              + " s3 cp early-help.csv s3://"
              + aws.bucket()
              + "/incoming/early-help/early-help/early-help.csv");
      out.println("  aws --endpoint-url " + dynamo + " dynamodb list-tables");
      out.println("Press Ctrl-C to stop.");
      out.flush();
      ready.countDown();
      while (!stopRequested && !Thread.currentThread().isInterrupted()) {
        try {
          poller.pollOnce();
        } catch (RuntimeException e) {
          if (stopRequested || Thread.currentThread().isInterrupted()) {
            break;
          }
          System.err.println("Listing incoming/ failed (" + e.getMessage() + "); retrying");
        }
        try {
          Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
          break;
        }
      }
      Thread.interrupted(); // the stop request; waiting below must not be cut short by it
      int inFlight = poller.inFlight();
      out.println(
          inFlight == 0
              ? "Stopping."
              : "Stopping: finishing " + inFlight + " upload(s) in flight (up to 30 s)...");
      pool.shutdown();
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        out.println("Stopped with uploads unfinished: they are finished on the next start.");
      }
      out.printf("Ingested %d upload(s) this run.%n", done.get());
      return 0;
    } finally {
      pool.shutdownNow();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
  }

  /** The handler's outcome for each upload, one line, as it finishes. */
  private static S3EventSink reporting(S3EventSink sink, PrintStream out, AtomicInteger done) {
    return json -> {
      sink.deliver(json);
      done.incrementAndGet();
      out.println("Ingested " + keyOf(json) + " (report under reports/)");
      out.flush();
    };
  }

  private static String keyOf(String eventJson) {
    try {
      JsonNode key = JSON.readTree(eventJson).path("Records").path(0).path("s3").path("object");
      return URLDecoder.decode(key.path("key").asText(), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "an upload";
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "familylink-ingest-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
