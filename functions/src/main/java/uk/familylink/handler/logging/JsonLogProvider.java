package uk.familylink.handler.logging;

import java.io.PrintStream;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The Lambda jar's SLF4J backend (ADR 0220): one JSON object per line on stdout, which CloudWatch
 * keeps as one event. {@code uk.familylink} logs from INFO, everything else from WARN. It replaces
 * Log4j 2, whose configuration and JSON layout cost 0.5-1 s of every cold start. Registered only
 * inside the Lambda jar (the shade plugin adds its service file), so the local tool keeps its own
 * Log4j set-up.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {

  /** The SLF4J API this provider is written against. */
  public static final String REQUESTED_API_VERSION = "2.0.99";

  private ILoggerFactory loggers;
  private IMarkerFactory markers;
  private MDCAdapter mdc;

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return REQUESTED_API_VERSION;
  }

  @Override
  public void initialize() {
    loggers = new JsonLoggerFactory(new JsonLines(stdout()));
    markers = new BasicMarkerFactory();
    // Nothing here uses the MDC; context travels as key-value pairs on each event.
    mdc = new NOPMDCAdapter();
  }

  @SuppressWarnings("SystemOut") // stdout is where Lambda's logs go
  private static PrintStream stdout() {
    return System.out;
  }
}
