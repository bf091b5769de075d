package uk.familylink.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTablesResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class EmbeddedAwsTest {

  @ParameterizedTest
  @EnumSource(EmbeddedAws.DynamoMode.class)
  void s3AndDynamoDbBothWorkInOneJvm(EmbeddedAws.DynamoMode mode) {
    try (EmbeddedAws aws = EmbeddedAws.start(EmbeddedAws.Options.defaults().withDynamoMode(mode))) {
      aws.s3()
          .putObject(
              b -> b.bucket(aws.bucket()).key("incoming/p/d/a file.csv"),
              RequestBody.fromString("a,b\n1,2\n"));
      String body =
          aws.s3()
              .getObjectAsBytes(b -> b.bucket(aws.bucket()).key("incoming/p/d/a file.csv"))
              .asUtf8String();
      assertThat(body).isEqualTo("a,b\n1,2\n");

      aws.dynamoDb()
          .createTable(
              b ->
                  b.tableName("things")
                      .keySchema(
                          KeySchemaElement.builder()
                              .attributeName("pk")
                              .keyType(KeyType.HASH)
                              .build())
                      .attributeDefinitions(
                          AttributeDefinition.builder()
                              .attributeName("pk")
                              .attributeType(ScalarAttributeType.S)
                              .build())
                      .billingMode(BillingMode.PAY_PER_REQUEST));
      aws.dynamoDb()
          .putItem(
              b ->
                  b.tableName("things")
                      .item(
                          Map.of(
                              "pk",
                              AttributeValue.fromS("k1"),
                              "expiresAt",
                              AttributeValue.fromN("1893456000"))));
      Map<String, AttributeValue> item =
          aws.dynamoDb()
              .getItem(b -> b.tableName("things").key(Map.of("pk", AttributeValue.fromS("k1"))))
              .item();
      assertThat(item.get("expiresAt").n()).isEqualTo("1893456000");

      assertThat(aws.s3Endpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(aws.dynamoDbEndpoint().isPresent())
          .isEqualTo(mode == EmbeddedAws.DynamoMode.SERVER);
    }
  }

  /**
   * The JDK's URL connection keeps idle connections in one cache per JVM, keyed by host and port,
   * and checks a cached connection for staleness only before a streaming POST. A DynamoDB Local
   * that ran on a port an S3 emulator later gets leaves dead connections there, and an upload (a
   * streaming PUT) took one on every SDK attempt: "Error writing request body to server" (CI, stop
   * 20). Ports are reused here on purpose; in the suite the OS reuses them by chance.
   */
  @Test
  void anUploadToAPortAnEarlierDynamoDbUsedIsNotSentOnItsDeadConnections() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (EmbeddedAws first =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, port)
                .withDynamoMode(EmbeddedAws.DynamoMode.SERVER))) {
      // Several at once, so several kept-alive connections are left idle in the cache.
      ExecutorService callers = Executors.newFixedThreadPool(6);
      try {
        List<Callable<ListTablesResponse>> calls =
            Collections.nCopies(6, () -> first.dynamoDb().listTables());
        for (Future<ListTablesResponse> call : callers.invokeAll(calls)) {
          call.get(); // a failing call fails the test instead of vanishing with its thread
        }
      } finally {
        callers.shutdownNow();
      }
    }
    try (EmbeddedAws second =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(port, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS))) {
      second
          .s3()
          .putObject(
              b -> b.bucket(second.bucket()).key("incoming/p/d/after.csv"),
              RequestBody.fromString("a,b\n1,2\n"));
      assertThat(
              second
                  .s3()
                  .getObjectAsBytes(b -> b.bucket(second.bucket()).key("incoming/p/d/after.csv"))
                  .asUtf8String())
          .isEqualTo("a,b\n1,2\n");
    }
  }

  @Test
  void closingLeavesNoNonDaemonThreadsBehind() throws Exception {
    Set<Thread> before = nonDaemonThreads();
    try (EmbeddedAws aws = EmbeddedAws.start(EmbeddedAws.Options.defaults())) {
      aws.s3().listObjectsV2(b -> b.bucket(aws.bucket()));
      aws.dynamoDb().listTables();
    }
    long deadline = System.currentTimeMillis() + 5_000;
    Set<Thread> lingering;
    do {
      lingering = nonDaemonThreads();
      lingering.removeAll(before);
      if (lingering.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    } while (System.currentTimeMillis() < deadline);
    assertThat(
            lingering.stream()
                .map(t -> t.getName() + " " + java.util.Arrays.toString(t.getStackTrace()))
                .collect(Collectors.toList()))
        .isEmpty();
  }

  @Test
  void aTakenPortIsReportedWithTheOptionToChangeIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> EmbeddedAws.start(EmbeddedAws.Options.defaults().withPorts(port, 0)))
          .isInstanceOf(EmbeddedAws.PortInUseException.class)
          .hasMessageContaining("Port " + port)
          .hasMessageContaining("--s3-port");
      assertThatThrownBy(() -> EmbeddedAws.start(EmbeddedAws.Options.defaults().withPorts(0, port)))
          .isInstanceOf(EmbeddedAws.PortInUseException.class)
          .hasMessageContaining("--dynamodb-port");
    }
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.isDaemon() && t.isAlive() && t != Thread.currentThread())
        .collect(Collectors.toSet());
  }
}
