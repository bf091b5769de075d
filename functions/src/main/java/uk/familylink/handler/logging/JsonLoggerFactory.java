package uk.familylink.handler.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** One {@link JsonLogger} per name; the threshold is INFO under uk.familylink, WARN elsewhere. */
final class JsonLoggerFactory implements ILoggerFactory {

  static final String OWN_PREFIX = "uk.familylink";

  /**
   * The metrics logger ({@code EmfMetrics.LOGGER}): its messages are EMF objects already and are
   * written as they are, not wrapped in a log event.
   */
  static final String METRICS = "uk.familylink.metrics";

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final JsonLines out;

  JsonLoggerFactory(JsonLines out) {
    this.out = out;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(
        name, n -> new JsonLogger(n, threshold(n), out, n.equals(METRICS)));
  }

  static Level threshold(String name) {
    return name.equals(OWN_PREFIX) || name.startsWith(OWN_PREFIX + ".") ? Level.INFO : Level.WARN;
  }
}
