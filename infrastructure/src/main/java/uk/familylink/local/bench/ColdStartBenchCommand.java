package uk.familylink.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import uk.familylink.adapter.aws.DynamoDbTables;
import uk.familylink.handler.FunctionConfig;
import uk.familylink.handler.IngestHandler;
import uk.familylink.local.TempFolders;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.S3Events;

/**
 * Cold-start proxy: a fresh JVM on the Lambda jar alone (plus {@link ColdStartProbe}), with the JVM
 * flags Lambda's java21 runtime uses, constructs the real handler through its no-arg constructor
 * (configuration from the environment, SDK clients, KMS working keys: everything Lambda's init
 * does) against moto_server (DynamoDB Local for DynamoDB with {@code --dynamodb local}), then
 * handles one small real event. Times JVM start → handler ready and → first response, N runs per
 * function; prints medians, the spread, the machine and its load.
 */
@Command(
    name = "coldstart",
    mixinStandardHelpOptions = true,
    description = {
      "Cold-start proxy: fresh JVMs on the Lambda jar construct the real handler against moto_server and handle one event.",
      "Target: median JVM start -> handler ready at most 1.0 s."
    })
final class ColdStartBenchCommand implements Callable<Integer> {

  static final double TARGET_SECONDS = 1.0;

  /**
   * Lambda's java21 runtime flags that matter here (heap for 1,769 MB, serial GC, C1 only: the
   * runtime's own default, also set in template.yaml's JAVA_TOOL_OPTIONS), and IPv4 as the runtime
   * prefers.
   */
  static final String LAMBDA_FLAGS =
      "-XX:MaxHeapSize=1503m -XX:+UseSerialGC -Xshare:auto -XX:+TieredCompilation"
          + " -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true";

  static final String BUCKET = "familylink-landing";
  static final String TABLE = "familylink-linked";
  static final String AUDIT_TABLE = "familylink-audit";
  static final String QUEUE = "familylink-continuations";
  static final Region REGION = Region.EU_WEST_2;

  @Spec CommandSpec spec;

  @Option(
      names = "--runs",
      defaultValue = "7",
      description = "Fresh JVMs per function (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--functions",
      split = ",",
      defaultValue = "ingest,subject-access",
      description = "Functions to start: ingest, subject-access (default ${DEFAULT-VALUE}).")
  List<String> functions;

  @Option(
      names = "--jar",
      defaultValue = "functions/target/familylink-functions-lambda.jar",
      description = "The Lambda jar (default ${DEFAULT-VALUE}).")
  Path jar;

  @Option(
      names = "--jvm-flags",
      defaultValue = LAMBDA_FLAGS,
      description = "Flags of the forked JVMs (default: Lambda's, '${DEFAULT-VALUE}').")
  String jvmFlags;

  @Option(
      names = "--dynamodb",
      defaultValue = "moto",
      description =
          "Where the functions' DynamoDB calls go: 'moto' (moto_server, like every other service)"
              + " or 'local' (DynamoDB Local in server mode; moto copies a whole table for every"
              + " item of a TransactWriteItems, so ingest's first response against moto measures"
              + " moto). Default ${DEFAULT-VALUE}.")
  String dynamoDb;

  @Option(
      names = "--moto",
      description = "moto_server executable (default: on PATH, else ~/.pyenv/shims).")
  Path moto;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!dynamoDb.equals("moto") && !dynamoDb.equals("local")) {
      throw new IllegalArgumentException(
          "--dynamodb must be moto or local, was '" + dynamoDb + "'");
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          jar
              + " does not exist: build it first (mvn -B -ntp -o package -pl functions -DskipTests)");
    }
    Path work = Files.createTempDirectory("familylink-coldstart-");
    Path probeDir = writeProbeClass(work);
    Path motoExe = moto != null ? moto : findMoto();
    out.printf(
        Locale.ROOT,
        "jar %s (%s)%nmachine: %s%nload average before: %s%nflags: %s%n",
        jar,
        BenchSupport.mib(Files.size(jar)),
        BenchSupport.machineLine(),
        loadAverage(),
        jvmFlags);
    out.flush();
    try (Moto server = Moto.start(motoExe, work.resolve("moto.log"));
        EmbeddedAws dynamoDbLocal =
            dynamoDb.equals("local")
                ? EmbeddedAws.start(
                    EmbeddedAws.Options.defaults()
                        .withPorts(0, 0)
                        .withDynamoMode(EmbeddedAws.DynamoMode.SERVER))
                : null) {
      URI dynamoDbEndpoint =
          dynamoDbLocal == null ? server.endpoint : dynamoDbLocal.dynamoDbEndpoint().orElseThrow();
      out.printf(
          Locale.ROOT,
          "dynamodb: %s%n",
          dynamoDbLocal == null
              ? "moto_server (as every other service)"
              : "DynamoDB Local in server mode at " + dynamoDbEndpoint);
      Environment env = Environment.create(server.endpoint, dynamoDbEndpoint);
      ObjectNode summary = BenchSupport.JSON.createObjectNode();
      boolean allMet = true;
      for (String function : functions) {
        List<Run> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          Path event = work.resolve(function + "-" + i + ".json");
          Files.writeString(event, env.event(function, i, work));
          results.add(runOnce(function, env, probeDir, event, work));
        }
        double[] ready = results.stream().mapToDouble(Run::readySeconds).toArray();
        double[] responded = results.stream().mapToDouble(Run::respondedSeconds).toArray();
        double[] main = results.stream().mapToDouble(Run::mainSeconds).toArray();
        double[] readyCpu = results.stream().mapToDouble(Run::readyCpuSeconds).toArray();
        double[] respondedCpu = results.stream().mapToDouble(Run::respondedCpuSeconds).toArray();
        double medianReady = BenchSupport.median(ready);
        allMet &= medianReady <= TARGET_SECONDS;
        out.printf(
            Locale.ROOT,
            "%-15s JVM start -> main %.3f s, -> handler ready %.3f s (min %.3f, max %.3f),"
                + " -> first response %.3f s (min %.3f, max %.3f), %d runs; response %s%n"
                + "%-15s CPU time of the JVM (all threads): at ready %.3f s, at first response %.3f s"
                + " (medians)%n",
            function,
            BenchSupport.median(main),
            medianReady,
            min(ready),
            max(ready),
            BenchSupport.median(responded),
            min(responded),
            max(responded),
            runs,
            results.get(results.size() - 1).status(),
            "",
            BenchSupport.median(readyCpu),
            BenchSupport.median(respondedCpu));
        out.flush();
        ObjectNode f = summary.putObject(function);
        f.put("medianMainSeconds", BenchSupport.median(main));
        f.put("medianReadySeconds", medianReady);
        f.put("minReadySeconds", min(ready));
        f.put("maxReadySeconds", max(ready));
        f.put("medianRespondedSeconds", BenchSupport.median(responded));
        f.put("minRespondedSeconds", min(responded));
        f.put("maxRespondedSeconds", max(responded));
        f.put("medianReadyCpuSeconds", BenchSupport.median(readyCpu));
        f.put("medianRespondedCpuSeconds", BenchSupport.median(respondedCpu));
        f.put("runs", runs);
      }
      out.printf(
          Locale.ROOT,
          "load average after: %s%ntarget: median handler ready <= %.1f s: %s%n",
          loadAverage(),
          TARGET_SECONDS,
          allMet ? "MET" : "MISSED");
      summary.put("jarBytes", Files.size(jar));
      summary.set("machine", BenchSupport.machine());
      out.println(BenchSupport.json(summary));
      out.flush();
      return 0;
    } finally {
      TempFolders.deleteTree(work);
    }
  }

  /** One forked JVM; marker lines are timed when they arrive, from just before the fork. */
  private Run runOnce(String function, Environment env, Path probeDir, Path event, Path work)
      throws IOException, InterruptedException {
    Path response = work.resolve(function + "-response.json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : jvmFlags.trim().split("\\s+", -1)) {
      if (!flag.isEmpty()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(jar.toAbsolutePath() + java.io.File.pathSeparator + probeDir);
    command.add(ColdStartProbe.class.getName());
    command.add(handlerClass(function));
    command.add(event.toString());
    command.add(response.toString());
    command.add("900000");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env.variables(function));
    Map<String, Double> marks = new LinkedHashMap<>();
    Map<String, Double> cpu = new LinkedHashMap<>();
    List<String> tail = new ArrayList<>();
    long start = System.nanoTime();
    Process process = builder.start();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        double at = (System.nanoTime() - start) / 1e9;
        if (line.startsWith(ColdStartProbe.MARKER)) {
          String[] parts = line.substring(ColdStartProbe.MARKER.length()).strip().split(" ", -1);
          marks.put(parts[0], at);
          cpu.put(parts[0], parts.length > 1 ? Long.parseLong(parts[1]) / 1000.0 : Double.NaN);
        } else {
          tail.add(line);
          if (tail.size() > 40) {
            tail.remove(0);
          }
        }
      }
    }
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || marks.size() < 3) {
      process.destroyForcibly();
      throw new IllegalStateException(
          function
              + " probe failed (markers "
              + marks.keySet()
              + "); its last output:\n"
              + String.join("\n", tail));
    }
    JsonNode answer = BenchSupport.JSON.readTree(response.toFile());
    String status = status(function, answer);
    return new Run(
        marks.get("main"),
        marks.get("ready"),
        marks.get("responded"),
        cpu.get("ready"),
        cpu.get("responded"),
        status);
  }

  /** What the function answered; a run whose event was not handled as intended fails the bench. */
  private static String status(String function, JsonNode answer) {
    if (function.equals("ingest")) {
      String outcome =
          answer.path("outcomes").fieldNames().hasNext()
              ? answer.path("outcomes").fieldNames().next()
              : "none";
      if (answer.path("failed").asInt(-1) != 0 || !outcome.equals("ACCEPTED")) {
        throw new IllegalStateException("the ingest did not accept its file: " + answer);
      }
      return "outcome " + outcome;
    }
    if (!answer.path("status").asText().equals("ANSWERED")) {
      throw new IllegalStateException(
          "subject access was not answered: " + answer.path("status").asText());
    }
    return "status ANSWERED";
  }

  /** Wall times from the fork; CPU times of the forked JVM (all threads) at the same markers. */
  record Run(
      double mainSeconds,
      double readySeconds,
      double respondedSeconds,
      double readyCpuSeconds,
      double respondedCpuSeconds,
      String status) {}

  static String handlerClass(String function) {
    return switch (function) {
      case "ingest" -> IngestHandler.class.getName();
      case "subject-access" -> "uk.familylink.handler.SubjectAccessHandler";
      default ->
          throw new IllegalArgumentException(
              "unknown function '" + function + "': use ingest or subject-access");
    };
  }

  /** The moto resources both functions need, and each function's environment and events. */
  private record Environment(
      URI endpoint, URI dynamoDbEndpoint, String rootKeyArn, String queueUrl, S3Client s3) {

    static Environment create(URI endpoint, URI dynamoDbEndpoint) {
      SdkHttpClient http = UrlConnectionHttpClient.builder().build();
      StaticCredentialsProvider credentials =
          StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));
      S3Client s3 =
          S3Client.builder()
              .endpointOverride(endpoint)
              .region(REGION)
              .credentialsProvider(credentials)
              .forcePathStyle(true)
              .httpClient(http)
              .build();
      s3.createBucket(
          b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(REGION.id())));
      s3.putBucketVersioning(
          b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
      try (DynamoDbClient ddb =
              DynamoDbClient.builder()
                  .endpointOverride(dynamoDbEndpoint)
                  .region(REGION)
                  .credentialsProvider(credentials)
                  .httpClient(http)
                  .build();
          KmsClient kms =
              KmsClient.builder()
                  .endpointOverride(endpoint)
                  .region(REGION)
                  .credentialsProvider(credentials)
                  .httpClient(http)
                  .build();
          SqsClient sqs =
              SqsClient.builder()
                  .endpointOverride(endpoint)
                  .region(REGION)
                  .credentialsProvider(credentials)
                  .httpClient(http)
                  .build()) {
        DynamoDbTables.createTable(ddb, TABLE);
        DynamoDbTables.createAuditTable(ddb, AUDIT_TABLE);
        String keyArn =
            kms.createKey(
                    b ->
                        b.keySpec(KeySpec.HMAC_256)
                            .keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)
                            .description("FamilyLink cold-start bench root key"))
                .keyMetadata()
                .arn();
        String queueUrl = sqs.createQueue(b -> b.queueName(QUEUE)).queueUrl();
        return new Environment(endpoint, dynamoDbEndpoint, keyArn, queueUrl, s3);
      }
    }

    /** What Lambda would set: the template's variables, region, credentials, the endpoint. */
    Map<String, String> variables(String function) {
      Map<String, String> env = new LinkedHashMap<>();
      String path = System.getenv("PATH");
      env.put("PATH", path == null ? "/usr/bin:/bin" : path);
      env.put("AWS_REGION", REGION.id());
      env.put("AWS_DEFAULT_REGION", REGION.id());
      env.put("AWS_ACCESS_KEY_ID", "x");
      env.put("AWS_SECRET_ACCESS_KEY", "x");
      env.put("AWS_ENDPOINT_URL", endpoint.toString());
      if (!dynamoDbEndpoint.equals(endpoint)) {
        // the SDK's service-specific endpoint variable wins over AWS_ENDPOINT_URL
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
      }
      env.put("AWS_LAMBDA_FUNCTION_NAME", "familylink-" + function);
      env.put(FunctionConfig.TABLE, TABLE);
      env.put(FunctionConfig.AUDIT_TABLE, AUDIT_TABLE);
      env.put(FunctionConfig.ROOT_KEY_ID, rootKeyArn);
      env.put(FunctionConfig.PROGRAMME_END, "2027-03-31");
      env.put(FunctionConfig.RETENTION_YEARS, "6");
      if (function.equals("ingest")) {
        env.put(FunctionConfig.LANDING_BUCKET, BUCKET);
        env.put(FunctionConfig.MAX_INVALID_SHARE, "0.05");
        env.put(IngestHandler.CONTINUATION_QUEUE_URL, queueUrl);
      }
      return env;
    }

    /** The ingest: a fresh 20-row extract per run (a new file, so each run does the whole work). */
    String event(String function, int run, Path work) throws IOException {
      if (!function.equals("ingest")) {
        return "{\"requester\":\"coldstart-bench\",\"purpose\":\"cold-start proxy\","
            + "\"identifiers\":{\"nhsNumber\":\"9434765919\"}}";
      }
      Path csv = work.resolve("extract-" + run + ".csv");
      EarlyHelpCsv.writeRows(csv, 20, 1000L + run);
      String key = "incoming/early-help/early-help/coldstart-" + run + ".csv";
      var put = s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(csv));
      String event =
          new S3Events(Clock.systemUTC(), REGION.id())
              .objectCreated(BUCKET, key, Files.size(csv), put.eTag(), "AWS:AIDACOLDSTART");
      // The landing bucket is versioned: the event names the version, as S3 sends it.
      ObjectNode tree = (ObjectNode) BenchSupport.JSON.readTree(event);
      ((ObjectNode) tree.path("Records").path(0).path("s3").path("object"))
          .put("versionId", put.versionId());
      return BenchSupport.JSON.writeValueAsString(tree);
    }
  }

  /** moto_server on a free loopback port, stopped with its process tree. */
  private static final class Moto implements AutoCloseable {
    private final Process process;
    private final URI endpoint;

    private Moto(Process process, URI endpoint) {
      this.process = process;
      this.endpoint = endpoint;
    }

    static Moto start(Path exe, Path log) throws IOException, InterruptedException {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Process p =
          new ProcessBuilder(exe.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      Moto moto = new Moto(p, endpoint);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!answers(endpoint)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          moto.close();
          throw new IllegalStateException("moto_server did not start; log: " + log);
        }
        Thread.sleep(100);
      }
      return moto;
    }

    private static boolean answers(URI endpoint) {
      try {
        HttpURLConnection c =
            (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        int code = c.getResponseCode();
        c.disconnect();
        return code > 0;
      } catch (IOException notYet) {
        return false;
      }
    }

    @Override
    public void close() {
      // the pyenv shim leaves a python child: stop the whole tree
      List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
      tree.add(process.toHandle());
      tree.forEach(ProcessHandle::destroy);
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          tree.forEach(ProcessHandle::destroyForcibly);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tree.forEach(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static Path findMoto() {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator, -1)) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d));
        }
      }
    }
    dirs.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims"));
    Optional<Path> found =
        dirs.stream()
            .map(d -> d.resolve("moto_server"))
            .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
            .findFirst();
    return found.orElseThrow(
        () ->
            new IllegalStateException(
                "moto_server not found on PATH nor in ~/.pyenv/shims: install moto[server]"));
  }

  /** The probe's single class file, copied out of this tool's class path. */
  private static Path writeProbeClass(Path work) throws IOException {
    String resource = ColdStartProbe.class.getName().replace('.', '/') + ".class";
    Path dir = work.resolve("probe");
    Path target = dir.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = ColdStartProbe.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the tool's class path");
      }
      Files.copy(in, target);
    }
    return dir;
  }

  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return String.format(Locale.ROOT, "%.2f", load);
    }
  }

  private static double min(double[] values) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double max(double[] values) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
