package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.access.SubjectAccessAnswer;
import uk.familylink.domain.access.SubjectAccessException;
import uk.familylink.domain.access.SubjectAccessRequest;
import uk.familylink.domain.identifier.IdentifierKind;

/**
 * The subject access function, invoked directly by an authorised role (no public trigger).
 *
 * <p>Request: {@code {"requester": "...", "purpose": "...", "identifiers": {"nhsNumber": "...",
 * "nino": "...", "upn": "...", "uln": "...", "pncId": "...", "givenName": "...", "familyName":
 * "...", "dateOfBirth": "...", "postcode": "...", "addressLine": "..."}}} (any of the identifiers).
 *
 * <p>Answer: {@code {"status": "ANSWERED", "answer": {...}, "report": "<readable text>"}}, or
 * {@code {"status": "REFUSED", "error": {"reason": ..., "field": ..., "message": ...}}} for a
 * request that cannot be answered as asked. Neither the answer, the error nor the logs carry a
 * value from the request's identifiers.
 */
public final class SubjectAccessHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SubjectAccessHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SubjectAccess service;

  /** Used by Lambda: wiring is built once per execution environment. */
  public SubjectAccessHandler() {
    this(AccessWiring.LAMBDA.get());
  }

  public SubjectAccessHandler(SubjectAccess service) {
    this.service = service;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Map<String, Object> response = new LinkedHashMap<>();
    try {
      SubjectAccessRequest request = parse(input);
      SubjectAccessAnswer answer = service.answer(request);
      response.put("status", "ANSWERED");
      response.put("answer", answer.toMap());
      response.put("report", answer.toText());
      LOG.atInfo()
          .addKeyValue("event", "access.answered")
          .addKeyValue("records", answer.records().size())
          .log("subject access answered");
    } catch (SubjectAccessException e) {
      response.put("status", "REFUSED");
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("reason", e.reason().name());
      error.put("field", e.field());
      error.put("message", e.getMessage());
      response.put("error", error);
      LOG.atWarn()
          .addKeyValue("event", "access.refused")
          .addKeyValue("reason", e.reason().name())
          .addKeyValue("field", e.field())
          .log("subject access request refused");
    }
    JSON.writeValue(output, response);
  }

  /** Reads the request; nothing of its content reaches an exception message. */
  static SubjectAccessRequest parse(InputStream input) {
    JsonNode root;
    try {
      root = JSON.readTree(input);
    } catch (IOException | RuntimeException e) {
      // Jackson's messages quote the input; say only that it is not JSON.
      throw new SubjectAccessException(
          SubjectAccessException.Reason.UNKNOWN_FIELD, null, "the request is not a JSON object");
    }
    if (root == null || !root.isObject()) {
      throw new SubjectAccessException(
          SubjectAccessException.Reason.UNKNOWN_FIELD, null, "the request is not a JSON object");
    }
    Map<IdentifierKind, String> identifiers = new EnumMap<>(IdentifierKind.class);
    JsonNode ids = root.path("identifiers");
    if (!ids.isMissingNode() && !ids.isNull()) {
      if (!ids.isObject()) {
        throw new SubjectAccessException(
            SubjectAccessException.Reason.UNKNOWN_FIELD,
            "identifiers",
            "identifiers must be an object of identifier fields");
      }
      for (Map.Entry<String, JsonNode> field : ids.properties()) {
        IdentifierKind kind = SubjectAccessRequest.kindOf(field.getKey());
        if (kind == null) {
          // The unknown name is not repeated: someone may have typed a value where a name belongs.
          throw new SubjectAccessException(
              SubjectAccessException.Reason.UNKNOWN_FIELD,
              null,
              "identifiers holds a field that is not one of "
                  + SubjectAccessRequest.FIELDS.values());
        }
        if (!field.getValue().isTextual() && !field.getValue().isNull()) {
          throw new SubjectAccessException(
              SubjectAccessException.Reason.INVALID_IDENTIFIER,
              field.getKey(),
              field.getKey() + " must be a string");
        }
        if (field.getValue().isTextual()) {
          identifiers.put(kind, field.getValue().asText());
        }
      }
    }
    return new SubjectAccessRequest(identifiers, text(root, "requester"), text(root, "purpose"));
  }

  private static String text(JsonNode root, String name) {
    JsonNode node = root.get(name);
    return node == null || !node.isTextual() ? null : node.asText();
  }
}
