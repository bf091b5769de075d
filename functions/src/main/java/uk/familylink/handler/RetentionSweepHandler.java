package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.retention.RestampResult;
import uk.familylink.domain.retention.RetentionRestamp;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepResult;

/**
 * The daily EventBridge schedule -> {@link RetentionSweep}. The event's content is deliberately not
 * used: "now" comes from the clock, never from a payload (a payload able to choose the date could
 * destroy live data early). The sweep stops before the Lambda's remaining time runs out; the next
 * run continues. A run that could not finish clean returns normally (tomorrow's run retries); a
 * store failure fails the invocation after the sweep has audited it.
 *
 * <p>Before sweeping, the run re-stamps the items if the configured programme end or retention
 * years differ from the policy the items carry ({@link RetentionRestamp}). The sweep runs only once
 * every item carries the configured policy: sweeping half re-stamped data could delete items whose
 * expiry was just moved later.
 */
public final class RetentionSweepHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionSweepHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RetentionSweep sweep;
  private final RetentionRestamp restamp;

  /** Used by Lambda: wiring is built once per execution environment. */
  public RetentionSweepHandler() {
    this(SweepWiring.instance().sweep(), SweepWiring.instance().restamp());
  }

  /** A sweep without re-stamping (tests of the sweep alone). */
  public RetentionSweepHandler(RetentionSweep sweep) {
    this(sweep, null);
  }

  /**
   * @param restamp run before the sweep; null to sweep only
   */
  public RetentionSweepHandler(RetentionSweep sweep, RetentionRestamp restamp) {
    this.sweep = sweep;
    this.restamp = restamp;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    if (input != null) {
      input.transferTo(OutputStream.nullOutputStream());
    }
    LongSupplier remaining =
        context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis();
    RestampResult restamped = null;
    if (restamp != null) {
      restamped = restamp.run(remaining);
      LOG.atInfo()
          .addKeyValue("event", "restamp.finished")
          .addKeyValue("status", restamped.status().name())
          .addKeyValue("updatedItems", restamped.updated())
          .addKeyValue("skipped", restamped.skipped())
          .addKeyValue("stragglers", restamped.stragglers())
          .addKeyValue("durationMillis", restamped.durationMillis())
          .log("retention re-stamp finished");
      if (!restamped.settled()) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", "SKIPPED");
        response.put("reason", "re-stamp unfinished; the next run continues it, then sweeps");
        response.put("restamp", restampResponse(restamped));
        JSON.writeValue(output, response);
        return;
      }
    }
    SweepResult result = sweep.run(remaining);
    Map<String, Object> response = response(result);
    if (restamped != null && restamped.status() != RestampResult.Status.UP_TO_DATE) {
      response.put("restamp", restampResponse(restamped));
    }
    LOG.atInfo()
        .addKeyValue("event", "sweep.finished")
        .addKeyValue("status", result.status().name())
        .addKeyValue("deletedItems", result.deletedItems())
        .addKeyValue("deletedObjects", result.deletedObjects())
        .addKeyValue("remainingItems", result.remainingItems())
        .addKeyValue("remainingObjects", result.remainingObjects())
        .addKeyValue("durationMillis", result.durationMillis())
        .log("retention sweep finished");
    JSON.writeValue(output, response);
  }

  static Map<String, Object> response(SweepResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", result.status().name());
    out.put("asOf", result.asOf().toString());
    out.put("deletedItems", result.deletedItems());
    out.put("deletedItemsByKind", result.deletedItemsByKind());
    out.put("deletedObjectsByPrefix", result.deletedObjectsByPrefix());
    out.put("remainingItems", result.remainingItems());
    out.put("remainingObjects", result.remainingObjects());
    out.put("durationMillis", result.durationMillis());
    out.put("auditEntryId", result.auditEntryId());
    if (result.unbacked() != null) {
      Map<String, Object> unbacked = new LinkedHashMap<>();
      unbacked.put("notesChecked", result.unbacked().notesChecked());
      unbacked.put("personsRemoved", result.unbacked().personsRemoved());
      unbacked.put("membershipsRemoved", result.unbacked().membershipsRemoved());
      unbacked.put("restoredAfterRelink", result.unbacked().restoredAfterRelink());
      out.put("unbacked", unbacked);
    }
    return out;
  }

  static Map<String, Object> restampResponse(RestampResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", result.status().name());
    out.put("updatedItems", result.updated());
    out.put("updatedItemsByKind", result.updatedByKind());
    out.put("skipped", result.skipped());
    out.put("stragglers", result.stragglers());
    out.put("auditEntryId", result.auditEntryId());
    return out;
  }
}
