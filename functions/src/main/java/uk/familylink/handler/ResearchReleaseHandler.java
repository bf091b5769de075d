package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.release.ReleaseRequest;
import uk.familylink.report.ReleasePublisher;

/**
 * The research release function, invoked only by the release approver's role. Request: {@code
 * {"releaseId", "study", "approver", "purpose", "legalBasis", "expiresOn": "yyyy-MM-dd", "k"}}.
 * Answer: {@code {"status": "RELEASED", "keys": [...], "rows", "generalised", "withheld",
 * "expiresOn"}} or {@code {"status": "REFUSED", "reason"}} for a request that cannot be released as
 * asked. Logs the release id and counts only.
 */
public final class ResearchReleaseHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ResearchReleaseHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReleasePublisher publisher;

  /** Used by Lambda: wiring is built once per execution environment. */
  public ResearchReleaseHandler() {
    this(OutputsWiring.release());
  }

  public ResearchReleaseHandler(ReleasePublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Map<String, Object> response = new LinkedHashMap<>();
    try {
      ReleaseRequest request = parse(JSON.readTree(input));
      ReleasePublisher.Written written = publisher.publish(request);
      response.put("status", "RELEASED");
      response.put("releaseId", written.releaseId());
      response.put("keys", written.keys());
      response.put("rows", written.rows());
      response.put("generalised", written.generalised());
      response.put("withheld", written.withheld());
      response.put("expiresOn", written.expiresOn());
      LOG.atInfo()
          .addKeyValue("event", "release.written")
          .addKeyValue("releaseId", written.releaseId())
          .addKeyValue("rows", written.rows())
          .addKeyValue("withheld", written.withheld())
          .log("research release written");
    } catch (IllegalArgumentException e) {
      // messages name fields and rules, never a value of the linked data
      response.put("status", "REFUSED");
      response.put("reason", e.getMessage());
    }
    JSON.writeValue(output, response);
  }

  static ReleaseRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("the request must be a JSON object");
    }
    LocalDate expires = null;
    String text = body.path("expiresOn").asText("");
    if (!text.isBlank()) {
      try {
        expires = LocalDate.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("expiresOn must be a date like 2028-03-31");
      }
    }
    return new ReleaseRequest(
        body.path("releaseId").asText(null),
        body.path("study").asText(null),
        body.path("approver").asText(null),
        body.path("purpose").asText(null),
        body.path("legalBasis").asText(null),
        expires,
        body.path("k").asInt(ReleaseRequest.DEFAULT_K));
  }
}
