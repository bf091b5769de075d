package uk.familylink.local.aws;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.AbstractLocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The AWS services FamilyLink needs, running inside this JVM on loopback ports: S3 (s3proxy) and
 * DynamoDB (DynamoDB Local, telemetry off), in memory or kept under a data folder (a workspace);
 * or, service by service, endpoints already running elsewhere (moto, LocalStack), with KMS then
 * too. SDK v2 clients are built once here and shared. In memory, closing discards all data.
 */
public final class EmbeddedAws implements AutoCloseable {

  /**
   * How DynamoDB Local runs: as a loopback HTTP server (reachable by the AWS CLI) or in-process
   * (about twice as fast).
   */
  public enum DynamoMode {
    SERVER,
    IN_PROCESS
  }

  /**
   * Where and how the emulators run.
   *
   * @param host loopback address the emulators listen on
   * @param s3Port S3 port, 0 for a free one
   * @param dynamoDbPort DynamoDB port (server mode), 0 for a free one
   * @param dataDir where the emulators keep their data ({@code s3/}, {@code dynamodb/}); null to
   *     keep everything in memory. With a folder, DynamoDB Local runs as a server with one shared
   *     database file ({@code -sharedDb}: any credentials and region see the same tables)
   * @param external endpoints of services already running elsewhere (moto, LocalStack, a shared
   *     test environment), used instead of starting the embedded ones
   */
  public record Options(
      String host,
      int s3Port,
      int dynamoDbPort,
      DynamoMode dynamoMode,
      String bucket,
      Region region,
      Path dataDir,
      Endpoints external) {
    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(dynamoMode, "dynamoMode");
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(external, "external");
      checkPort("S3", s3Port);
      checkPort("DynamoDB", dynamoDbPort);
    }

    /** Free ports, DynamoDB as a server, bucket {@value #DEFAULT_BUCKET}, region eu-west-2. */
    public static Options defaults() {
      return new Options(
          LOOPBACK, 0, 0, DynamoMode.SERVER, DEFAULT_BUCKET, DEFAULT_REGION, null, Endpoints.NONE);
    }

    public Options withPorts(int s3, int dynamoDb) {
      return new Options(host, s3, dynamoDb, dynamoMode, bucket, region, dataDir, external);
    }

    public Options withDynamoMode(DynamoMode mode) {
      return new Options(host, s3Port, dynamoDbPort, mode, bucket, region, dataDir, external);
    }

    public Options withBucket(String name) {
      return new Options(host, s3Port, dynamoDbPort, dynamoMode, name, region, dataDir, external);
    }

    /** Keeps the data under {@code dir} (a workspace), so it outlives this process. */
    public Options withDataDir(Path dir) {
      return new Options(host, s3Port, dynamoDbPort, dynamoMode, bucket, region, dir, external);
    }

    public Options withExternal(Endpoints endpoints) {
      return new Options(
          host, s3Port, dynamoDbPort, dynamoMode, bucket, region, dataDir, endpoints);
    }

    private static void checkPort(String service, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            service + " port " + port + " is out of range: use 1-65535, or 0 for a free port");
      }
    }
  }

  /**
   * Endpoints of services already running; each null one is embedded (KMS: null means the local
   * keyring).
   */
  public record Endpoints(URI s3, URI dynamoDb, URI kms) {
    public static final Endpoints NONE = new Endpoints(null, null, null);
  }

  public static final String LOOPBACK = "127.0.0.1";
  public static final String DEFAULT_BUCKET = "familylink-landing";
  public static final Region DEFAULT_REGION = Region.EU_WEST_2;

  /** Dummy credentials: the emulators accept any, the SDK insists on some. */
  public static final String DUMMY_ACCESS_KEY = "x";

  public static final String DUMMY_SECRET_KEY = "x";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAws.class);

  private final Options options;
  private S3Proxy s3Proxy;
  private DynamoDBProxyServer dynamoServer;
  private AmazonDynamoDBLocal dynamoInProcess;
  private URI s3Endpoint;
  private URI dynamoDbEndpoint;
  private S3Client s3;
  private DynamoDbClient dynamoDb;
  private KmsClient kms;

  private EmbeddedAws(Options options) {
    this.options = options;
  }

  /**
   * Starts both emulators and creates the landing bucket; on failure everything started so far is
   * stopped.
   */
  public static EmbeddedAws start(Options options) {
    EmbeddedAws aws = new EmbeddedAws(options);
    long startNanos = System.nanoTime();
    try {
      aws.startS3();
      aws.startDynamoDb();
      aws.startKms();
      aws.createBucketIfAbsent();
    } catch (RuntimeException e) {
      aws.close();
      throw e;
    }
    LOG.info(
        "Local AWS started in {} ms (S3 {}, DynamoDB {})",
        (System.nanoTime() - startNanos) / 1_000_000,
        aws.s3Endpoint,
        aws.dynamoDbEndpoint == null ? "in-process" : aws.dynamoDbEndpoint);
    return aws;
  }

  private void createBucketIfAbsent() {
    try {
      s3.createBucket(b -> b.bucket(options.bucket()));
    } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
      // A workspace or an external S3 that has it already.
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        throw e;
      }
    }
  }

  private void startS3() {
    if (options.external().s3() != null) {
      s3Endpoint = options.external().s3();
      s3 = s3Client(s3Endpoint);
      return;
    }
    ensurePortFree("S3", options.s3Port(), "--s3-port");
    URI requested = URI.create("http://" + options.host() + ":" + options.s3Port());
    s3Proxy =
        S3Proxy.builder()
            .blobStore(blobStore())
            .endpoint(requested)
            // Anonymous: accepts any (dummy) signature, so both the SDK and the AWS CLI get in.
            .awsAuthentication(AuthenticationType.NONE, null, null)
            .jettyMaxThreads(32)
            .build();
    try {
      s3Proxy.start();
      awaitStarted(s3Proxy);
    } catch (Exception e) {
      throw startFailure("S3", options.s3Port(), "--s3-port", e);
    }
    s3Endpoint = URI.create("http://" + options.host() + ":" + s3Proxy.getPort());
    s3 = s3Client(s3Endpoint);
  }

  /**
   * In memory, or s3proxy's filesystem store under the data folder. The filesystem store refuses
   * server-side-encryption headers, so the local ingest is configured without SSE (its reports are
   * files in the workspace, protected by the folder's permissions).
   */
  private BlobStore blobStore() {
    if (options.dataDir() == null) {
      return new TransientNio2BlobStore();
    }
    // Absolute: the filesystem store lists nothing under a relative base folder.
    Path dir = options.dataDir().toAbsolutePath().resolve("s3");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the S3 folder " + dir, e);
    }
    return new FilesystemNio2BlobStore(dir.toString());
  }

  private S3Client s3Client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(options.region())
        .credentialsProvider(credentials())
        .httpClient(s3HttpClient())
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(new OneConnectionPerRequest())
                .build())
        .build();
  }

  /**
   * For the embedded s3proxy only: each request on a connection of its own, without {@code Expect:
   * 100-continue}. No connection is left idle, so stopping the emulator does not wait two seconds
   * for kept-alive ones to drain; loopback connections cost next to nothing.
   */
  private static final class OneConnectionPerRequest
      implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
    @Override
    public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
        software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
      return context.httpRequest().toBuilder()
          .removeHeader("Expect")
          .putHeader("Connection", "close")
          .build();
    }
  }

  /**
   * The HTTP client for S3 emulator clients: Apache's, with a pool of its own. Not the JDK's URL
   * connection: that keeps idle connections in one cache per JVM, keyed by host and port, and
   * checks them for staleness only before a streaming POST. When an S3 emulator got a port a
   * DynamoDB Local (or an earlier emulator) had used, an upload (a streaming PUT) took one dead
   * connection per SDK attempt and failed four times with "Error writing request body to server"
   * (CI, and the fault suite; {@code EmbeddedAwsTest} reproduces it).
   */
  public static SdkHttpClient s3HttpClient() {
    return Apache5HttpClient.create();
  }

  private void startKms() {
    if (options.external().kms() != null) {
      kms =
          KmsClient.builder()
              .endpointOverride(options.external().kms())
              .region(options.region())
              .credentialsProvider(credentials())
              .httpClient(UrlConnectionHttpClient.create())
              .build();
    }
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    // s3proxy's start() returns before Jetty reports STARTED on some machines.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    if (!"STARTED".equals(proxy.getState())) {
      throw new IllegalStateException(
          "S3 emulator did not reach STARTED within 10 s (state " + proxy.getState() + ")");
    }
  }

  private void startDynamoDb() {
    if (options.external().dynamoDb() != null) {
      dynamoDbEndpoint = options.external().dynamoDb();
      dynamoDb = dynamoDbClient(dynamoDbEndpoint);
      return;
    }
    if (options.dynamoMode() == DynamoMode.IN_PROCESS && options.dataDir() == null) {
      dynamoInProcess = DynamoDBEmbedded.create(/* disableTelemetry */ true);
      dynamoDb = dynamoInProcess.dynamoDbClient();
      return;
    }
    int port = options.dynamoDbPort() == 0 ? freePort() : options.dynamoDbPort();
    ensurePortFree("DynamoDB", port, "--dynamodb-port");
    try {
      // DynamoDB Local prints its configuration on stdout, where the command's results go.
      PrintStream stdout = System.out;
      System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
      try {
        dynamoServer = ServerRunner.createServerFromCommandLineArgs(dynamoArgs(port));
        bindToHost(dynamoServer, options.host());
        dynamoServer.start();
      } finally {
        System.setOut(stdout);
      }
    } catch (Exception e) {
      throw startFailure("DynamoDB", port, "--dynamodb-port", e);
    }
    dynamoDbEndpoint = URI.create("http://" + options.host() + ":" + port);
    dynamoDb = dynamoDbClient(dynamoDbEndpoint);
  }

  /** In memory, or one shared database file under the data folder (any credentials see it). */
  private String[] dynamoArgs(int port) {
    String portText = Integer.toString(port);
    if (options.dataDir() == null) {
      return new String[] {"-inMemory", "-disableTelemetry", "-port", portText};
    }
    Path dir = options.dataDir().toAbsolutePath().resolve("dynamodb");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the DynamoDB folder " + dir, e);
    }
    return new String[] {
      "-dbPath", dir.toString(), "-sharedDb", "-disableTelemetry", "-port", portText
    };
  }

  private DynamoDbClient dynamoDbClient(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(options.region())
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * DynamoDB Local's server listens on every interface; it has no option for the address. Its Jetty
   * connector is reachable by reflection and accepts a host before start, which keeps personal test
   * data off the network. If that ever stops working we say so and carry on.
   */
  private static void bindToHost(DynamoDBProxyServer proxy, String host) {
    try {
      Server server = (Server) field(DynamoDBProxyServer.class, "server").get(proxy);
      for (Connector connector : server.getConnectors()) {
        if (connector instanceof ServerConnector serverConnector) {
          serverConnector.setHost(host);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Could not restrict DynamoDB Local to {} ({}); it listens on all interfaces",
          host,
          e.getClass().getSimpleName());
    }
  }

  private void ensurePortFree(String service, int port, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(options.host()), port));
    } catch (IOException e) {
      throw new PortInUseException(service, options.host(), port, option);
    }
  }

  private int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(options.host()), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(
          "No free port on " + options.host() + ": " + e.getMessage(), e);
    }
  }

  private RuntimeException startFailure(String service, int port, String option, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new PortInUseException(service, options.host(), port, option);
      }
    }
    return new IllegalStateException("Could not start the local " + service + " emulator: " + e, e);
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(DUMMY_ACCESS_KEY, DUMMY_SECRET_KEY));
  }

  public S3Client s3() {
    return s3;
  }

  /**
   * A new S3 client for the emulator over {@code http} (e.g. an {@link InstrumentedHttpClient}
   * around {@link #s3HttpClient()}; see there why not the JDK's URL connection), with {@code
   * override} (interceptors, retries). The caller closes it.
   */
  public S3Client newS3Client(SdkHttpClient http, ClientOverrideConfiguration override) {
    return S3Client.builder()
        .endpointOverride(s3Endpoint)
        .forcePathStyle(true)
        .region(options.region())
        .credentialsProvider(credentials())
        .httpClient(http)
        .overrideConfiguration(
            override.toBuilder().addExecutionInterceptor(new OneConnectionPerRequest()).build())
        .build();
  }

  /**
   * A new DynamoDB client over {@code http}; only in {@link DynamoMode#SERVER} (in-process DynamoDB
   * Local has no HTTP layer to decorate). The caller closes it.
   */
  public DynamoDbClient newDynamoDbClient(
      SdkHttpClient http, ClientOverrideConfiguration override) {
    if (dynamoDbEndpoint == null) {
      throw new IllegalStateException("DynamoDB Local runs in-process: no HTTP endpoint");
    }
    return DynamoDbClient.builder()
        .endpointOverride(dynamoDbEndpoint)
        .region(options.region())
        .credentialsProvider(credentials())
        .httpClient(http)
        .overrideConfiguration(override)
        .build();
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  /** The KMS client when an external KMS endpoint was given; absent means the local keyring. */
  public Optional<KmsClient> kms() {
    return Optional.ofNullable(kms);
  }

  public URI s3Endpoint() {
    return s3Endpoint;
  }

  /** The DynamoDB endpoint, absent when DynamoDB runs in-process. */
  public Optional<URI> dynamoDbEndpoint() {
    return Optional.ofNullable(dynamoDbEndpoint);
  }

  public String bucket() {
    return options.bucket();
  }

  public Region region() {
    return options.region();
  }

  public Options options() {
    return options;
  }

  /** Stops both emulators and closes the clients; safe to call twice and after a failed start. */
  @Override
  public void close() {
    closeQuietly(s3, "S3 client");
    closeQuietly(dynamoDb, "DynamoDB client");
    closeQuietly(kms, "KMS client");
    s3 = null;
    dynamoDb = null;
    kms = null;
    if (s3Proxy != null) {
      try {
        s3Proxy.stop();
      } catch (Exception e) {
        LOG.warn("Stopping the S3 emulator failed: {}", e.toString());
      }
      s3Proxy = null;
    }
    if (dynamoServer != null) {
      stopBackgroundJobs(dynamoServer);
      try {
        dynamoServer.stop();
      } catch (Exception e) {
        LOG.warn("Stopping DynamoDB Local failed: {}", e.toString());
      }
      dynamoServer = null;
    }
    if (dynamoInProcess != null) {
      // shutdownNow: shutdown() leaves the sleeping shard-rollover job, a non-daemon thread, alive.
      dynamoInProcess.shutdownNow();
      dynamoInProcess = null;
    }
  }

  /**
   * DynamoDB Local's server stop() only calls shutdown() on its databases, which leaves a sleeping
   * non-daemon shard-rollover thread and keeps the JVM alive. Interrupt the jobs through the same
   * handler chain the server uses; if the internals change, the CLI still exits via System.exit.
   */
  private static void stopBackgroundJobs(DynamoDBProxyServer proxy) {
    try {
      Object serverHandler = field(DynamoDBProxyServer.class, "serverHandler").get(proxy);
      Object primary =
          field(AbstractLocalDynamoDBServerHandler.class, "primaryHandler").get(serverHandler);
      if (primary instanceof LocalDynamoDBRequestHandler) {
        Map<?, ?> databases =
            (Map<?, ?>) field(LocalDynamoDBRequestHandler.class, "dbRequestHandlers").get(primary);
        for (Object database : List.copyOf(databases.values())) {
          ((AmazonDynamoDBLocal) database).shutdownNow();
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "Could not interrupt DynamoDB Local's background jobs ({})",
          e.getClass().getSimpleName());
    }
  }

  private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
    Field field = owner.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }

  private static void closeQuietly(AutoCloseable closeable, String what) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("Closing the {} failed: {}", what, e.toString());
    }
  }

  /** A port the emulator needs is taken: names the port, the service and how to choose another. */
  public static final class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int port;

    PortInUseException(String service, String host, int port, String option) {
      super(
          "Port "
              + port
              + " on "
              + host
              + " is already in use, so the local "
              + service
              + " emulator cannot start. Stop whatever is listening there (e.g. an earlier 'serve'), or choose another port with "
              + option
              + " <port> (0 picks a free one).");
      this.port = port;
    }

    public int port() {
      return port;
    }
  }
}
