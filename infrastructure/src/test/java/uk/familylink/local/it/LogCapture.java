package uk.familylink.local.it;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures every log event our code emits at any level, and what other libraries emit at their
 * configured levels, rendered with its message, context data (the key-value pairs) and exception,
 * so a test can search it for values that must not escape.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {

  private final List<String> lines = new ArrayList<>();
  private final List<String> metrics = new ArrayList<>();
  private final LoggerContext context;

  private LogCapture(LoggerContext context) {
    super("pii-capture", null, PatternLayout.createDefaultLayout(), true, Property.EMPTY_ARRAY);
    this.context = context;
  }

  static LogCapture attach() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    LogCapture capture = new LogCapture(context);
    capture.start();
    Configuration config = context.getConfiguration();
    // Our code at every level; third-party loggers at the levels the tool configures for them.
    LoggerConfig ours = config.getLoggerConfig("uk.familylink");
    if (!"uk.familylink".equals(ours.getName())) {
      ours = new LoggerConfig("uk.familylink", org.apache.logging.log4j.Level.ALL, true);
      config.addLogger("uk.familylink", ours);
    }
    ours.setLevel(org.apache.logging.log4j.Level.ALL);
    for (LoggerConfig logger : config.getLoggers().values()) {
      logger.addAppender(capture, null, null);
    }
    if (!config.getLoggers().containsValue(config.getRootLogger())) {
      config.getRootLogger().addAppender(capture, null, null);
    }
    context.updateLoggers();
    return capture;
  }

  @Override
  public synchronized void append(LogEvent event) {
    StringBuilder line = new StringBuilder();
    line.append(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage());
    line.append(' ').append(event.getContextData().toMap());
    Throwable t = event.getThrown();
    while (t != null) {
      line.append(" | ").append(t);
      t = t.getCause();
    }
    lines.add(line.toString());
    if (uk.familylink.adapter.metrics.EmfMetrics.LOGGER.equals(event.getLoggerName())) {
      metrics.add(event.getMessage().getFormattedMessage());
    }
  }

  /** The CloudWatch EMF lines the functions' metrics wrote, as written. */
  synchronized List<String> metricsLines() {
    return List.copyOf(metrics);
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    for (LoggerConfig logger : config.getLoggers().values()) {
      logger.removeAppender(getName());
    }
    config.getRootLogger().removeAppender(getName());
    context.reconfigure();
    stop();
  }
}
