package uk.familylink.handler.logging;

import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * A logger that writes each enabled event as one JSON line. Fluent-API events ({@code
 * atInfo().addKeyValue(...)}) arrive whole through {@link LoggingEventAware}, so their key-value
 * pairs become JSON fields instead of being pasted into the message.
 */
final class JsonLogger extends LegacyAbstractLogger implements LoggingEventAware {

  private static final long serialVersionUID = 1L;

  private final Level threshold;
  private final transient JsonLines out;
  private final boolean raw;

  /**
   * @param raw whether messages are written as they are (the metrics logger's EMF lines)
   */
  JsonLogger(String name, Level threshold, JsonLines out, boolean raw) {
    this.name = name;
    this.threshold = threshold;
    this.out = out;
    this.raw = raw;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= threshold.toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    write(level, pattern, arguments, throwable, List.of());
  }

  @Override
  public void log(LoggingEvent event) {
    if (enabled(event.getLevel())) {
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      write(
          event.getLevel(),
          event.getMessage(),
          event.getArgumentArray(),
          event.getThrowable(),
          pairs == null ? List.of() : pairs);
    }
  }

  private void write(
      Level level,
      String pattern,
      Object[] arguments,
      Throwable throwable,
      List<KeyValuePair> pairs) {
    String message =
        arguments == null || arguments.length == 0
            ? pattern
            : MessageFormatter.basicArrayFormat(pattern, arguments);
    if (raw) {
      out.raw(message);
      return;
    }
    out.write(level, name, Thread.currentThread().getName(), message, pairs, throwable);
  }
}
