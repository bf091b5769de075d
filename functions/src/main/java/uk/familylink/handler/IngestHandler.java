package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import uk.familylink.adapter.aws.SqsContinuations;
import uk.familylink.domain.ingest.Budget;
import uk.familylink.domain.ingest.IncomingKey;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestService.UploadedObject;

/**
 * S3 ObjectCreated under {@code incoming/} -> {@link IngestService}. Thin: decodes the event
 * (URL-decoded keys, '+' is a space; the object's version id and sequencer), hands every record to
 * the service with Lambda's remaining time, and fails the invocation after trying all records if
 * any failed, so Lambda retries (ingest is idempotent). The same function consumes its continuation
 * queue (SQS events): each message resumes a large file where an earlier invocation stopped.
 */
public final class IngestHandler implements RequestStreamHandler {

  /** The ingest's continuation queue (ADR 0121); the template sets it for the ingest only. */
  public static final String CONTINUATION_QUEUE_URL = "FAMILYLINK_CONTINUATION_QUEUE_URL";

  private static final Logger LOG = LoggerFactory.getLogger(IngestHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final IngestService service;

  /** Used by Lambda: wiring is built once per execution environment. */
  public IngestHandler() {
    this(IngestWiring.LAMBDA.get());
  }

  public IngestHandler(IngestService service) {
    this.service = service;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    try {
      handle(input, output, context);
    } finally {
      // One metrics line per invocation, whatever its outcome.
      service.metrics().flush();
    }
  }

  private void handle(InputStream input, OutputStream output, Context context) throws IOException {
    byte[] payload = input.readAllBytes();
    JsonNode tree;
    try {
      tree = JSON.readTree(payload);
    } catch (IOException e) {
      tree = null;
    }
    if (tree != null
        && "aws:sqs".equals(tree.path("Records").path(0).path("eventSource").asText())) {
      continuations(tree.path("Records"), output, context);
      return;
    }
    S3EventNotification event;
    try {
      event = S3EventNotification.fromJson(new String(payload, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      // Not retryable: the same bytes will never parse. Nothing from the payload is logged.
      LOG.atError()
          .addKeyValue("event", "ingest.bad_event")
          .log("event is not an S3 event notification");
      throw new IllegalArgumentException("event is not an S3 event notification");
    }
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    List<RuntimeException> failures = new ArrayList<>();
    int skipped = 0;
    List<S3EventNotificationRecord> records =
        event.getRecords() == null ? List.of() : event.getRecords();
    for (S3EventNotificationRecord record : records) {
      String key =
          record.getS3() == null || record.getS3().getObject() == null
              ? null
              : record.getS3().getObject().getUrlDecodedKey();
      if (record.getEventName() == null
          || !record.getEventName().startsWith("ObjectCreated")
          || key == null
          || !key.startsWith(IncomingKey.PREFIX)) {
        skipped++;
        continue;
      }
      UploadedObject upload =
          new UploadedObject(
              record.getS3().getBucket().getName(),
              key,
              record.getS3().getObject().getSizeAsLong() == null
                  ? -1
                  : record.getS3().getObject().getSizeAsLong(),
              record.getS3().getObject().getETag(),
              record.getUserIdentity() == null ? null : record.getUserIdentity().getPrincipalId(),
              record.getS3().getObject().getVersionId(),
              record.getS3().getObject().getSequencer());
      try {
        IngestService.IngestResult result = service.ingest(upload, budget(context));
        outcomes.merge(result.outcome().name(), 1, Integer::sum);
      } catch (RuntimeException e) {
        LOG.atError()
            .addKeyValue("event", "ingest.failed")
            .addKeyValue("objectKeyHash", IngestService.objectKeyHash(key))
            .addKeyValue("errorType", e.getClass().getName())
            .log("ingest failed; will be retried");
        failures.add(e);
      }
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("records", records.size());
    response.put("skipped", skipped);
    response.put("outcomes", outcomes);
    response.put("failed", failures.size());
    respond(output, response, failures);
  }

  /**
   * Continuation messages from the ingest's own queue (ADR 0121): each resumes its file from the
   * ledger's checkpoint. A failure fails the batch, so SQS redelivers it and, after the queue's
   * receive limit, moves it to the failure queue (alarmed).
   */
  private void continuations(JsonNode records, OutputStream output, Context context)
      throws IOException {
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (JsonNode record : records) {
      UploadedObject upload;
      try {
        upload = SqsContinuations.fromJson(record.path("body").asText());
      } catch (IllegalArgumentException e) {
        LOG.atError()
            .addKeyValue("event", "ingest.bad_continuation")
            .log("queue message is not an ingest continuation; dropped");
        continue;
      }
      try {
        outcomes.merge(service.ingest(upload, budget(context)).outcome().name(), 1, Integer::sum);
      } catch (RuntimeException e) {
        LOG.atError()
            .addKeyValue("event", "ingest.failed")
            .addKeyValue("objectKeyHash", IngestService.objectKeyHash(upload.key()))
            .addKeyValue("errorType", e.getClass().getName())
            .log("continuation failed; the queue will redeliver it");
        failures.add(e);
      }
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("continuations", records.size());
    response.put("outcomes", outcomes);
    response.put("failed", failures.size());
    respond(output, response, failures);
  }

  /**
   * Writes the response, then fails the invocation with the first failure (the others suppressed on
   * it) so that Lambda, or SQS, retries: every record was attempted before any failure is thrown.
   */
  private static void respond(
      OutputStream output, Map<String, Object> response, List<RuntimeException> failures)
      throws IOException {
    JSON.writeValue(output, response);
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /** Lambda's remaining time; no deadline when invoked without a context (local tool, tests). */
  static Budget budget(Context context) {
    return context == null ? Budget.UNLIMITED : context::getRemainingTimeInMillis;
  }
}
