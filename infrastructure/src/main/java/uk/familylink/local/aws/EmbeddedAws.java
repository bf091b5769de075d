package uk.familylink.local.aws;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.AbstractLocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS services FamilyLink needs, running inside this JVM on loopback ports: S3 (s3proxy with a
 * transient in-memory store) and DynamoDB (DynamoDB Local, in memory, telemetry off). SDK v2
 * clients are built once here and shared. Nothing is written to disk; closing discards all data.
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
   */
  public record Options(
      String host,
      int s3Port,
      int dynamoDbPort,
      DynamoMode dynamoMode,
      String bucket,
      Region region) {
    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(dynamoMode, "dynamoMode");
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(region, "region");
      checkPort("S3", s3Port);
      checkPort("DynamoDB", dynamoDbPort);
    }

    /** Free ports, DynamoDB as a server, bucket {@value #DEFAULT_BUCKET}, region eu-west-2. */
    public static Options defaults() {
      return new Options(LOOPBACK, 0, 0, DynamoMode.SERVER, DEFAULT_BUCKET, DEFAULT_REGION);
    }

    public Options withPorts(int s3, int dynamoDb) {
      return new Options(host, s3, dynamoDb, dynamoMode, bucket, region);
    }

    public Options withDynamoMode(DynamoMode mode) {
      return new Options(host, s3Port, dynamoDbPort, mode, bucket, region);
    }

    public Options withBucket(String name) {
      return new Options(host, s3Port, dynamoDbPort, dynamoMode, name, region);
    }

    private static void checkPort(String service, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            service + " port " + port + " is out of range: use 1-65535, or 0 for a free port");
      }
    }
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
      aws.s3.createBucket(b -> b.bucket(options.bucket()));
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

  private void startS3() {
    ensurePortFree("S3", options.s3Port(), "--s3-port");
    URI requested = URI.create("http://" + options.host() + ":" + options.s3Port());
    s3Proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
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
    s3 =
        S3Client.builder()
            .endpointOverride(s3Endpoint)
            .forcePathStyle(true)
            .region(options.region())
            .credentialsProvider(credentials())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
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
    if (options.dynamoMode() == DynamoMode.IN_PROCESS) {
      dynamoInProcess = DynamoDBEmbedded.create(/* disableTelemetry */ true);
      dynamoDb = dynamoInProcess.dynamoDbClient();
      return;
    }
    int port = options.dynamoDbPort() == 0 ? freePort() : options.dynamoDbPort();
    ensurePortFree("DynamoDB", port, "--dynamodb-port");
    try {
      dynamoServer =
          ServerRunner.createServerFromCommandLineArgs(
              new String[] {"-inMemory", "-disableTelemetry", "-port", Integer.toString(port)});
      bindToHost(dynamoServer, options.host());
      dynamoServer.start();
    } catch (Exception e) {
      throw startFailure("DynamoDB", port, "--dynamodb-port", e);
    }
    dynamoDbEndpoint = URI.create("http://" + options.host() + ":" + port);
    dynamoDb =
        DynamoDbClient.builder()
            .endpointOverride(dynamoDbEndpoint)
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

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
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
    s3 = null;
    dynamoDb = null;
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
