package uk.familylink.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;

class IncomingPollerTest {

  static EmbeddedAws aws;

  @BeforeAll
  static void start() {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults().withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @BeforeEach
  void emptyIncoming() {
    aws.s3()
        .listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix(IncomingPoller.INCOMING_PREFIX))
        .contents()
        .forEach(o -> aws.s3().deleteObject(b -> b.bucket(aws.bucket()).key(o.key())));
  }

  @Test
  void deliversEachUploadOnceAndAgainWhenItIsReplaced() {
    List<String> keys = new ArrayList<>();
    S3EventSink sink =
        json ->
            keys.add(
                S3EventNotification.fromJson(json)
                    .getRecords()
                    .get(0)
                    .getS3()
                    .getObject()
                    .getUrlDecodedKey());
    IncomingPoller poller =
        new IncomingPoller(
            aws.s3(),
            aws.bucket(),
            new S3Events(
                Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), "eu-west-2"),
            sink);
    String key = "incoming/dwp/dwp-benefits/week 1.csv";
    aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString("a\n1\n"));
    aws.s3()
        .putObject(
            b -> b.bucket(aws.bucket()).key("reports/dwp/r.json"), RequestBody.fromString("{}"));

    assertThat(poller.pollOnce()).isEqualTo(1);
    assertThat(poller.pollOnce()).isZero();
    aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString("a\n2\n"));
    assertThat(poller.pollOnce()).isEqualTo(1);
    aws.s3().deleteObject(b -> b.bucket(aws.bucket()).key(key));
    assertThat(poller.pollOnce()).isZero();
    aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString("a\n2\n"));
    assertThat(poller.pollOnce()).isEqualTo(1);
    assertThat(keys).containsExactly(key, key, key);
  }

  @Test
  void aFailedDeliveryIsRetriedOnTheNextPoll() {
    int[] calls = {0};
    S3EventSink flaky =
        json -> {
          if (calls[0]++ == 0) {
            throw new IllegalStateException("handler unavailable");
          }
        };
    IncomingPoller poller =
        new IncomingPoller(
            aws.s3(), aws.bucket(), new S3Events(Clock.systemUTC(), "eu-west-2"), flaky);
    aws.s3()
        .putObject(
            b -> b.bucket(aws.bucket()).key("incoming/p/health/retry.csv"),
            RequestBody.fromString("x"));
    assertThat(poller.pollOnce()).isZero();
    assertThat(poller.pollOnce()).isEqualTo(1);
    assertThat(poller.pollOnce()).isZero();
    assertThat(calls[0]).isEqualTo(2);
  }
}
