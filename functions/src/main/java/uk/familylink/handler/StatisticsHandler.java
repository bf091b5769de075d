package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.disclosure.UnsafeReleaseException;
import uk.familylink.domain.metrics.Metrics;
import uk.familylink.report.StatisticsPublisher;

/**
 * The statistics function: quarterly from its schedule, or invoked by the data team's role ({@code
 * {"requester": "..."}}). Answers {@code {"status": "PUBLISHED", ...}} with the object keys and the
 * counts of hidden cells, or {@code {"status": "REFUSED"}} when the attacker check refuses the
 * release (nothing is written). Logs counts only.
 */
public final class StatisticsHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StatisticsHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StatisticsPublisher publisher;
  private final Metrics metrics;
  private final Clock clock;

  /** Used by Lambda: wiring is built once per execution environment. */
  public StatisticsHandler() {
    this(OutputsWiring.statistics());
  }

  public StatisticsHandler(StatisticsPublisher publisher) {
    this(publisher, OutputsWiring.statisticsMetrics(Clock.systemUTC()), Clock.systemUTC());
  }

  /**
   * @param metrics where each run's counts and duration go, flushed once per invocation
   */
  public StatisticsHandler(StatisticsPublisher publisher, Metrics metrics, Clock clock) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode event = JSON.readTree(input);
    String requester =
        event != null && "aws.events".equals(event.path("source").asText())
            ? "schedule"
            : event == null ? "" : event.path("requester").asText("");
    Map<String, Object> response = new LinkedHashMap<>();
    if (requester.isBlank()) {
      response.put("status", "REFUSED");
      response.put("reason", "requester is required (who asks)");
    } else {
      Instant started = clock.instant();
      try {
        StatisticsPublisher.Published published = publisher.publish(requester);
        metrics.count("StatisticsPublished", 1);
        metrics.count("StatisticsFiles", published.keys().size());
        metrics.count("CellsPrimarySuppressed", published.primary());
        metrics.count("CellsSecondarySuppressed", published.secondary());
        response.put("status", "PUBLISHED");
        response.put("asOf", published.asOf());
        response.put("keys", published.keys());
        response.put("primarySuppressed", published.primary());
        response.put("secondarySuppressed", published.secondary());
        LOG.atInfo()
            .addKeyValue("event", "statistics.published")
            .addKeyValue("files", published.keys().size())
            .addKeyValue("primarySuppressed", published.primary())
            .addKeyValue("secondarySuppressed", published.secondary())
            .log("statistics published");
      } catch (UnsafeReleaseException e) {
        response.put("status", "REFUSED");
        response.put("reason", "the attacker check refused the release; nothing was written");
        LOG.atWarn().addKeyValue("event", "statistics.refused").log("statistics refused");
        metrics.count("StatisticsRefused", 1);
      } finally {
        metrics.millis("StatisticsDuration", Duration.between(started, clock.instant()).toMillis());
        metrics.flush();
      }
    }
    JSON.writeValue(output, response);
  }
}
