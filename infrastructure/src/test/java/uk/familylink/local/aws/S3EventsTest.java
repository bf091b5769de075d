package uk.familylink.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;

class S3EventsTest {

  private final Clock clock =
      Clock.fixed(Instant.parse("2026-11-24T09:30:15.250Z"), ZoneOffset.UTC);
  private final S3Events events = new S3Events(clock, "eu-west-2");

  @Test
  void keysWithSpacesAndUnicodeRoundTripThroughTheSdkParser() {
    String key = "incoming/west-mercia-police/police-incidents/Ynys Môn – week 3 (final)+v2.csv";
    String json =
        events.objectCreated("familylink-landing", key, 1234, "\"abc123\"", "AIDAPARTNER");

    S3EventNotificationRecord record = S3EventNotification.fromJson(json).getRecords().get(0);
    assertThat(record.getS3().getObject().getKey())
        .isEqualTo(
            "incoming/west-mercia-police/police-incidents/Ynys+M%C3%B4n+%E2%80%93+week+3+%28final%29%2Bv2.csv");
    assertThat(record.getS3().getObject().getUrlDecodedKey()).isEqualTo(key);
    assertThat(URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8))
        .isEqualTo(key);
    assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(1234L);
    assertThat(record.getS3().getObject().getETag()).isEqualTo("abc123");
    assertThat(record.getS3().getBucket().getName()).isEqualTo("familylink-landing");
    assertThat(record.getS3().getBucket().getArn()).isEqualTo("arn:aws:s3:::familylink-landing");
    assertThat(record.getUserIdentity().getPrincipalId()).isEqualTo("AIDAPARTNER");
    assertThat(record.getEventName()).isEqualTo("ObjectCreated:Put");
    assertThat(record.getAwsRegion()).isEqualTo("eu-west-2");
    assertThat(record.getEventTime()).isEqualTo(Instant.parse("2026-11-24T09:30:15.250Z"));
  }

  @Test
  void eventsAreVersion21AndKeepTheSampleShape() throws Exception {
    JsonNode record =
        new ObjectMapper()
            .readTree(events.objectCreated("b", "incoming/a/b/c.csv", 1, "e", "p"))
            .path("Records")
            .get(0);
    assertThat(record.path("eventVersion").asText()).isEqualTo("2.1");
    assertThat(record.path("eventSource").asText()).isEqualTo("aws:s3");
    assertThat(record.path("eventTime").asText()).isEqualTo("2026-11-24T09:30:15.250Z");
    assertThat(record.path("s3").path("s3SchemaVersion").asText()).isEqualTo("1.0");
    assertThat(record.path("requestParameters").path("sourceIPAddress").asText())
        .isEqualTo("127.0.0.1");
    assertThat(record.path("s3").path("object").path("sequencer").asText()).hasSize(18);
  }

  @Test
  void sequencersIncreaseSoLaterEventsSortLater() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String first =
        json.readTree(events.objectCreated("b", "k", 1, "e", "p"))
            .at("/Records/0/s3/object/sequencer")
            .asText();
    String second =
        json.readTree(events.objectCreated("b", "k", 1, "e", "p"))
            .at("/Records/0/s3/object/sequencer")
            .asText();
    assertThat(second).isGreaterThan(first);
  }

  @Test
  void encodingKeepsSlashesAndTurnsSpacesIntoPlus() {
    assertThat(S3Events.encodeKey("a b/c d.csv")).isEqualTo("a+b/c+d.csv");
    assertThat(S3Events.encodeKey("é/ü")).isEqualTo("%C3%A9/%C3%BC");
  }
}
