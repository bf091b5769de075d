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
import uk.familylink.domain.metrics.Metrics;
import uk.familylink.domain.retention.DailyRetention;
import uk.familylink.domain.retention.RestampResult;
import uk.familylink.domain.retention.RetentionRestamp;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepResult;

/**
 * The daily EventBridge schedule -> {@link DailyRetention}. The event's content is deliberately not
 * used: "now" comes from the clock, never from a payload (a payload able to choose the date could
 * destroy live data early). The sweep stops before the Lambda's remaining time runs out; the next
 * run continues. A run that could not finish clean returns normally (tomorrow's run retries); a
 * store failure fails the invocation after the sweep has audited it.
 *
 * <p>The run follows {@link DailyRetention}: re-stamp first ({@link RetentionRestamp}), sweep only
 * once every item carries the configured policy.
 */
public final class RetentionSweepHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionSweepHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DailyRetention daily;
  private final Metrics metrics;

  /** Used by Lambda: wiring is built once per execution environment. */
  public RetentionSweepHandler() {
    this(SweepWiring.LAMBDA.get());
  }

  /** A sweep without re-stamping (tests of the sweep alone). */
  public RetentionSweepHandler(RetentionSweep sweep) {
    this(new DailyRetention(null, sweep));
  }

  /**
   * @param restamp run before the sweep; null to sweep only
   */
  public RetentionSweepHandler(RetentionSweep sweep, RetentionRestamp restamp) {
    this(new DailyRetention(restamp, sweep));
  }

  public RetentionSweepHandler(DailyRetention daily) {
    this(daily, SweepWiring.metrics(java.time.Clock.systemUTC()));
  }

  /**
   * @param metrics where each run's destruction counts go, flushed once per invocation
   */
  public RetentionSweepHandler(DailyRetention daily, Metrics metrics) {
    this.daily = daily;
    this.metrics = metrics;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    try {
      handle(input, output, context);
    } finally {
      metrics.flush();
    }
  }

  private void handle(InputStream input, OutputStream output, Context context) throws IOException {
    if (input != null) {
      input.transferTo(OutputStream.nullOutputStream());
    }
    LongSupplier remaining =
        context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis();
    DailyRetention.Outcome outcome = daily.run(remaining);
    RestampResult restamped = outcome.restamp();
    if (restamped != null) {
      LOG.atInfo()
          .addKeyValue("event", "restamp.finished")
          .addKeyValue("status", restamped.status().name())
          .addKeyValue("updatedItems", restamped.updated())
          .addKeyValue("skipped", restamped.skipped())
          .addKeyValue("stragglers", restamped.stragglers())
          .addKeyValue("durationMillis", restamped.durationMillis())
          .log("retention re-stamp finished");
    }
    if (!outcome.swept()) {
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("status", "SKIPPED");
      response.put("reason", "re-stamp unfinished; the next run continues it, then sweeps");
      response.put("restamp", restampResponse(restamped));
      JSON.writeValue(output, response);
      return;
    }
    SweepResult result = outcome.sweep();
    recordMetrics(result);
    Map<String, Object> response = response(result);
    if (outcome.restampWorthReporting()) {
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

  /** Items destroyed by kind (ID, PERSON, REC, ...), objects destroyed, what expired remains. */
  private void recordMetrics(SweepResult result) {
    metrics.count("Sweep" + Metrics.camel(result.status().name()), 1);
    result
        .deletedItemsByKind()
        .forEach((kind, n) -> metrics.count("ItemsDestroyed" + Metrics.camel(kind), n));
    metrics.count("ItemsDestroyed", result.deletedItems());
    metrics.count("ObjectsDestroyed", result.deletedObjects());
    metrics.count("ExpiredItemsRemaining", result.remainingItems());
    metrics.count("ExpiredObjectsRemaining", result.remainingObjects());
    metrics.millis("SweepDuration", result.durationMillis());
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
