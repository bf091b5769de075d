package uk.familylink.local;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run S3 and DynamoDB locally; every object uploaded under incoming/ is handed to the ingest handler. Ctrl-C stops.")
final class ServeCommand implements Callable<Integer> {

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
      names = "--home",
      defaultValue = ".familylink",
      description = "Folder of the local keyring's root key (default ${DEFAULT-VALUE}).")
  java.nio.file.Path home;

  @Option(
      names = "--poll-ms",
      defaultValue = "500",
      description =
          "How often to look for new uploads, in milliseconds (default ${DEFAULT-VALUE}).")
  long pollMillis;

  @Override
  public Integer call() throws Exception {
    if (pollMillis < 10) {
      throw new IllegalArgumentException("--poll-ms must be at least 10, was " + pollMillis);
    }
    Clock clock = Clock.systemUTC();
    EmbeddedAws aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults().withPorts(s3Port, dynamoDbPort).withBucket(bucket));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              main.interrupt();
              try {
                stopped.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "familylink-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      IncomingPoller poller =
          new IncomingPoller(
              aws.s3(),
              aws.bucket(),
              new S3Events(clock, aws.region().id()),
              LocalFamilyLink.start(aws, home, clock).sink());
      String s3 = aws.s3Endpoint().toString();
      String dynamo = aws.dynamoDbEndpoint().map(Object::toString).orElse("in-process");
      System.out.println(
          "S3:       " + s3 + "  (bucket " + aws.bucket() + ", path-style, any credentials)");
      System.out.println("DynamoDB: " + dynamo);
      System.out.println("Ready. Upload an extract, e.g.:");
      System.out.println(
          "  export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION="
              + aws.region().id());
      System.out.println(
          "  aws --endpoint-url "
              + s3
              + " s3 cp early-help.csv s3://"
              + aws.bucket()
              + "/incoming/early-help/early-help/early-help.csv");
      System.out.println("  aws --endpoint-url " + dynamo + " dynamodb list-tables");
      System.out.println("Press Ctrl-C to stop.");
      System.out.flush();
      while (!Thread.currentThread().isInterrupted()) {
        try {
          int delivered = poller.pollOnce();
          if (delivered > 0) {
            System.out.printf("Delivered %d event(s)%n", delivered);
          }
        } catch (RuntimeException e) {
          if (Thread.currentThread().isInterrupted()) {
            break;
          }
          System.err.println("Listing incoming/ failed (" + e + "); retrying");
        }
        try {
          Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
          break;
        }
      }
      System.out.println("Stopping.");
      return 0;
    } finally {
      aws.close();
      stopped.countDown();
    }
  }
}
