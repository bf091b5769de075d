package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.adapter.aws.LinkedTable;
import uk.familylink.domain.retention.TtlEvidence;
import uk.familylink.domain.retention.TtlEvidence.StreamRecord;

/**
 * The linked table's DynamoDB stream -> {@link TtlEvidence}: counts the TTL service's deletions in
 * the audit. The event is parsed with Jackson (only the fields needed). Keys are handed to the
 * domain for their prefix and never logged; a malformed event fails without echoing its content.
 */
public final class TtlEvidenceHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(TtlEvidenceHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TtlEvidence evidence;

  /** Used by Lambda: wiring is built once per execution environment. */
  public TtlEvidenceHandler() {
    this(TtlEvidenceWiring.LAMBDA.get());
  }

  public TtlEvidenceHandler(TtlEvidence evidence) {
    this.evidence = evidence;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    List<StreamRecord> records = parse(input);
    TtlEvidence.Result result = evidence.record(records);
    LOG.atInfo()
        .addKeyValue("event", "ttl-evidence.recorded")
        .addKeyValue("records", records.size())
        .addKeyValue("ttlDeletions", result.ttlDeletions())
        .addKeyValue("entries", result.recorded())
        .addKeyValue("alreadyRecorded", result.alreadyRecorded())
        .addKeyValue("ignored", result.ignored())
        .addKeyValue("unusable", result.unusable())
        .log("TTL deletions recorded");
    if (result.unusable() > 0) {
      LOG.atWarn()
          .addKeyValue("event", "ttl-evidence.unusable")
          .addKeyValue("unusable", result.unusable())
          .log("TTL removals without a time or sequence number were not counted");
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("ttlDeletions", result.ttlDeletions());
    response.put("recorded", result.recorded());
    response.put("alreadyRecorded", result.alreadyRecorded());
    response.put("ignored", result.ignored());
    response.put("unusable", result.unusable());
    response.put("entryIds", result.entryIds());
    JSON.writeValue(output, response);
  }

  /** The records of a stream event; an unreadable event fails (retried, then the failure queue). */
  static List<StreamRecord> parse(InputStream input) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(input);
    } catch (JacksonException e) {
      // Jackson's message quotes the input, which may hold keys (tokens): say only where.
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new IOException("stream event is not JSON" + where);
    }
    if (root == null || !root.path("Records").isArray()) {
      throw new IOException("stream event has no Records array");
    }
    List<StreamRecord> out = new ArrayList<>();
    for (JsonNode r : root.path("Records")) {
      JsonNode ddb = r.path("dynamodb");
      JsonNode keys = ddb.path("Keys");
      String pk = text(keys.path("pk").path("S"));
      String sk = text(keys.path("sk").path("S"));
      out.add(
          new StreamRecord(
              text(r.path("eventName")),
              text(r.path("userIdentity").path("type")),
              text(r.path("userIdentity").path("principalId")),
              pk,
              sk,
              LinkedTable.kindOf(pk, sk),
              time(ddb.path("ApproximateCreationDateTime")),
              text(ddb.path("SequenceNumber"))));
    }
    return out;
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  /** Epoch seconds, possibly with a fraction (newer streams give milliseconds as a decimal). */
  private static Instant time(JsonNode node) {
    if (!node.isNumber()) {
      return null;
    }
    BigDecimal seconds = node.decimalValue();
    return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
  }
}
