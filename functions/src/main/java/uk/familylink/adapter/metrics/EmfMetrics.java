package uk.familylink.adapter.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.metrics.Metrics;

/**
 * {@link Metrics} as CloudWatch Embedded Metric Format: one JSON line per flush (per invocation),
 * namespace {@value #NAMESPACE}, one dimension {@code function}. On Lambda the line goes to stdout
 * through the {@value #LOGGER} logger (the Lambda jar's JSON-lines backend writes its message
 * alone, ADR 0220), where CloudWatch Logs turns it into metrics; the local tool's Log4j
 * configuration sends that logger to the workspace log file.
 *
 * <p>Thread-safe: the local tool runs several ingests at once on one instance. A flush takes what
 * was recorded so far, so under concurrency a line may hold another invocation's counts; no count
 * is lost or counted twice. Nothing is written when nothing was recorded.
 */
public final class EmfMetrics implements Metrics {

  public static final String NAMESPACE = "FamilyLink";
  public static final String LOGGER = "uk.familylink.metrics";
  private static final Logger EMF = LoggerFactory.getLogger(LOGGER);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String function;
  private final Clock clock;
  private final Consumer<String> out;
  private Map<String, Long> values = new TreeMap<>();
  private Map<String, Unit> units = new TreeMap<>();

  /** Writes through the {@value #LOGGER} logger. */
  public EmfMetrics(String function, Clock clock) {
    this(function, clock, EMF::info);
  }

  /** Writes each line to {@code out} (tests). */
  public EmfMetrics(String function, Clock clock, Consumer<String> out) {
    if (function == null || !function.matches("[a-z][a-z0-9-]{0,63}")) {
      throw new IllegalArgumentException("function names are lower case, digits and hyphens");
    }
    this.function = function;
    this.clock = clock;
    this.out = out;
  }

  @Override
  public synchronized void add(String name, long value, Unit unit) {
    Metrics.check(name);
    values.merge(name, value, Long::sum);
    units.put(name, unit);
  }

  @Override
  public void flush() {
    Map<String, Long> taken;
    Map<String, Unit> takenUnits;
    synchronized (this) {
      if (values.isEmpty()) {
        return;
      }
      taken = values;
      takenUnits = units;
      values = new TreeMap<>();
      units = new TreeMap<>();
    }
    out.accept(line(taken, takenUnits));
  }

  private String line(Map<String, Long> taken, Map<String, Unit> takenUnits) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", clock.millis());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray().add("function");
    ArrayNode metrics = directive.putArray("Metrics");
    taken.forEach(
        (name, value) ->
            metrics
                .addObject()
                .put("Name", name)
                .put("Unit", takenUnits.get(name) == Unit.COUNT ? "Count" : "Milliseconds"));
    root.put("function", function);
    taken.forEach(root::put);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("metrics line could not be written", e);
    }
  }
}
