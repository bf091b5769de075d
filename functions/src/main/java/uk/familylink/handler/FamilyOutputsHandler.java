package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import uk.familylink.domain.outputs.FamilyOutputs;

/**
 * The outputs functions (one deployed per purpose). Three kinds of event:
 *
 * <ul>
 *   <li>the monthly EventBridge schedule ({@code "source": "aws.events"}): a run as {@code
 *       schedule};
 *   <li>a direct invocation by the data team's role, {@code {"requester": "..."}}: a run in that
 *       name (a request without a requester is refused: every run is audited by who asked);
 *   <li>an S3 event for {@code caseload/<partner>/<dataset>/<file>.csv} (identification only): the
 *       partner's caseload answered under its own {@code reports/} prefix, the upload deleted.
 * </ul>
 *
 * Logs carry counts and outcomes only.
 */
public final class FamilyOutputsHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(FamilyOutputsHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FamilyOutputs outputs;
  private final BiPredicate<String, String> uploaderMatches;
  private final BiPredicate<String, String> allowed;

  /** Used by Lambda: wiring is built once per execution environment. */
  public FamilyOutputsHandler() {
    this(FamilyOutputsWiring.LAMBDA.get());
  }

  private FamilyOutputsHandler(FamilyOutputsWiring wiring) {
    this(wiring.outputs(), wiring.uploaders()::uploaderMatches, wiring.contracts()::isAllowed);
  }

  public FamilyOutputsHandler(
      FamilyOutputs outputs,
      BiPredicate<String, String> uploaderMatches,
      BiPredicate<String, String> allowed) {
    this.outputs = outputs;
    this.uploaderMatches = uploaderMatches;
    this.allowed = allowed;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] bytes = input.readAllBytes();
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("event is not JSON");
    }
    Map<String, Object> response = new LinkedHashMap<>();
    if (root != null && root.has("Records")) {
      response.put("caseloads", caseloads(bytes));
    } else {
      String requester;
      if (root != null && "aws.events".equals(root.path("source").asText())) {
        requester = "schedule";
      } else if (root != null
          && root.path("requester").isTextual()
          && !root.path("requester").asText().isBlank()) {
        requester = root.path("requester").asText().trim();
      } else {
        throw new IllegalArgumentException(
            "a direct invocation must name its requester: {\"requester\": \"...\"}");
      }
      FamilyOutputs.RunResult result = outputs.run(requester);
      response.put("asOf", result.asOf().toString());
      response.put("objects", result.keys());
      response.put("counts", result.counts());
      LOG.atInfo()
          .addKeyValue("event", "outputs.written")
          .addKeyValue("objects", result.keys().size())
          .log("outputs written");
    }
    JSON.writeValue(output, response);
  }

  private Map<String, Integer> caseloads(byte[] bytes) {
    S3EventNotification event;
    try {
      event =
          S3EventNotification.fromJson(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("event is not an S3 event notification");
    }
    Map<String, Integer> outcomes = new LinkedHashMap<>();
    RuntimeException failure = null;
    List<S3EventNotificationRecord> records =
        event.getRecords() == null ? List.of() : event.getRecords();
    for (S3EventNotificationRecord record : records) {
      if (record.getS3() == null
          || record.getS3().getObject() == null
          || record.getEventName() == null
          || !record.getEventName().startsWith("ObjectCreated")) {
        outcomes.merge("SKIPPED", 1, Integer::sum);
        continue;
      }
      try {
        FamilyOutputs.CaseloadOutcome outcome =
            outputs.caseload(
                record.getS3().getBucket().getName(),
                record.getS3().getObject().getUrlDecodedKey(),
                record.getS3().getObject().getETag(),
                record.getUserIdentity() == null ? null : record.getUserIdentity().getPrincipalId(),
                uploaderMatches,
                allowed);
        outcomes.merge(outcome.name(), 1, Integer::sum);
      } catch (RuntimeException e) {
        LOG.atError()
            .addKeyValue("event", "caseload.failed")
            .addKeyValue("errorType", e.getClass().getName())
            .log("caseload failed; will be retried");
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    LOG.atInfo()
        .addKeyValue("event", "caseload.handled")
        .addKeyValue("outcomes", outcomes)
        .log("caseloads handled");
    if (failure != null) {
      throw failure;
    }
    return outcomes;
  }
}
