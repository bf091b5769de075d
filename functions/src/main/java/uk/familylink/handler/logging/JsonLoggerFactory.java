package uk.familylink.handler.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** One {@link JsonLogger} per name; the threshold is INFO under uk.familylink, WARN elsewhere. */
final class JsonLoggerFactory implements ILoggerFactory {

  static final String OWN_PREFIX = "uk.familylink";

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final JsonLines out;

  JsonLoggerFactory(JsonLines out) {
    this.out = out;
  }

  @Override
  public Logger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new JsonLogger(n, threshold(n), out));
  }

  static Level threshold(String name) {
    return name.equals(OWN_PREFIX) || name.startsWith(OWN_PREFIX + ".") ? Level.INFO : Level.WARN;
  }
}
