package uk.familylink.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds S3 event notifications as real S3 sends them today, from the SAM CLI's ObjectCreated:Put
 * sample (events/s3-put.json): eventVersion 2.1, region, bucket, URL-encoded key, size, eTag, time.
 */
public final class S3Events {

  static final String PUT_TEMPLATE = "events/s3-put.json";
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectMapper json = new ObjectMapper();
  private final ObjectNode putTemplate;
  private final Clock clock;
  private final String region;
  private final AtomicLong sequencer = new AtomicLong();

  public S3Events(Clock clock, String region) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.region = Objects.requireNonNull(region, "region");
    this.putTemplate = loadTemplate(json);
  }

  /** One ObjectCreated:Put record for {@code key} (the raw, decoded key) in {@code bucket}. */
  public String objectCreated(
      String bucket, String key, long size, String eTag, String principalId) {
    ObjectNode event = putTemplate.deepCopy();
    ObjectNode record = (ObjectNode) event.withArray("Records").get(0);
    record.put("eventVersion", "2.1");
    record.put("awsRegion", region);
    record.put("eventTime", EVENT_TIME.format(clock.instant()));
    record.put("eventName", "ObjectCreated:Put");
    record.withObjectProperty("userIdentity").put("principalId", principalId);
    String requestId = requestId(bucket, key, eTag);
    ObjectNode response = record.withObjectProperty("responseElements");
    response.put("x-amz-request-id", requestId.substring(0, 16).toUpperCase(Locale.ROOT));
    response.put("x-amz-id-2", requestId);
    ObjectNode s3 = record.withObjectProperty("s3");
    s3.put("configurationId", "familylink-local-ingest");
    ObjectNode bucketNode = s3.withObjectProperty("bucket");
    bucketNode.put("name", bucket);
    bucketNode.withObjectProperty("ownerIdentity").put("principalId", principalId);
    bucketNode.put("arn", "arn:aws:s3:::" + bucket);
    ObjectNode object = s3.withObjectProperty("object");
    object.put("key", encodeKey(key));
    object.put("size", size);
    object.put("eTag", stripQuotes(eTag));
    object.put("sequencer", String.format("%018X", sequencer.incrementAndGet()));
    try {
      return json.writeValueAsString(event);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the S3 event JSON", e);
    }
  }

  /**
   * The key as S3 writes it into event notifications: form-style URL encoding (UTF-8 percent
   * escapes, a space as '+') with '/' kept as is.
   */
  public static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }

  private static String stripQuotes(String eTag) {
    // S3 APIs return the eTag in quotes; event notifications carry it bare.
    return eTag == null ? "" : eTag.replace("\"", "");
  }

  private String requestId(String bucket, String key, String eTag) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (bucket + "\n" + key + "\n" + eTag + "\n" + clock.millis() + "\n" + sequencer.get())
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static ObjectNode loadTemplate(ObjectMapper json) {
    try (InputStream in = S3Events.class.getClassLoader().getResourceAsStream(PUT_TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(
            "The S3 event template "
                + PUT_TEMPLATE
                + " is missing from the classpath; rebuild the infrastructure module (it copies infrastructure/events/).");
      }
      JsonNode node = json.readTree(in);
      if (!(node instanceof ObjectNode object)
          || !node.path("Records").isArray()
          || node.path("Records").isEmpty()) {
        throw new IllegalStateException(
            "The S3 event template " + PUT_TEMPLATE + " has no Records array");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the S3 event template " + PUT_TEMPLATE, e);
    }
  }
}
