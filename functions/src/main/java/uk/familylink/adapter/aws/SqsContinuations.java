package uk.familylink.adapter.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import uk.familylink.domain.ingest.Continuations;
import uk.familylink.domain.ingest.IngestService.UploadedObject;

/**
 * Continuations as messages on the ingest's continuation queue (ADR 0121). The message names the
 * pinned object version (bucket, key, ETag, version id or sequencer, size, uploader); where the
 * file stopped is in the file ledger, so a message delivered twice only resumes twice (the second
 * finds the file done or leased). No file content is in the message.
 */
public final class SqsContinuations implements Continuations {

  /** Marks a message body as an ingest continuation. */
  public static final String KIND = "familylink.ingest.continuation/v1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsContinuations(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  @Override
  public void request(UploadedObject upload) {
    String body = toJson(upload);
    try {
      sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    } catch (SdkException e) {
      throw AwsAdapterException.of("SendMessage(continuation)", e);
    }
  }

  public static String toJson(UploadedObject upload) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", KIND);
    n.put("bucket", upload.bucket());
    n.put("key", upload.key());
    n.put("size", upload.size());
    n.put("eTag", upload.eTag());
    n.put("principal", upload.principal());
    n.put("versionId", upload.versionId());
    n.put("sequencer", upload.sequencer());
    return n.toString();
  }

  /** The upload a continuation message names; fails on anything else. */
  public static UploadedObject fromJson(String body) {
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("continuation message is not JSON");
    }
    if (n == null || !KIND.equals(n.path("kind").asText())) {
      throw new IllegalArgumentException("message is not an ingest continuation");
    }
    return new UploadedObject(
        text(n, "bucket"),
        text(n, "key"),
        n.path("size").asLong(-1),
        text(n, "eTag"),
        text(n, "principal"),
        text(n, "versionId"),
        text(n, "sequencer"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
