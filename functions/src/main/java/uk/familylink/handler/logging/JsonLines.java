package uk.familylink.handler.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;

/**
 * Writes log events as single-line JSON objects with the field names the ECS layout used before
 * ({@code @timestamp}, {@code log.level}, {@code log.logger}, {@code process.thread.name}, {@code
 * message}, {@code error.type}, {@code error.message}, {@code error.stack_trace}); key-value pairs
 * are fields of their own. Numbers and booleans stay JSON numbers and booleans.
 */
final class JsonLines {

  private final PrintStream out;

  JsonLines(PrintStream out) {
    this.out = out;
  }

  void write(
      Level level,
      String logger,
      String thread,
      String message,
      List<KeyValuePair> pairs,
      Throwable error) {
    StringBuilder json = new StringBuilder(256);
    json.append('{');
    field(json, "@timestamp", Instant.now().toString());
    field(json, "log.level", level.name());
    field(json, "message", message);
    for (KeyValuePair pair : pairs) {
      if (pair.value instanceof Number || pair.value instanceof Boolean) {
        name(json, pair.key).append(pair.value).append(',');
      } else {
        field(json, pair.key, String.valueOf(pair.value));
      }
    }
    field(json, "process.thread.name", thread);
    field(json, "log.logger", logger);
    if (error != null) {
      field(json, "error.type", error.getClass().getName());
      field(json, "error.message", error.getMessage());
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      field(json, "error.stack_trace", trace.toString());
    }
    json.setLength(json.length() - 1); // the last field's comma
    json.append('}');
    // One println per event: whole lines even when threads log at once.
    out.println(json);
  }

  /** A line written as it is: CloudWatch reads an EMF metrics line only when it is the object. */
  void raw(String line) {
    out.println(line);
  }

  private static void field(StringBuilder json, String name, String value) {
    name(json, name);
    if (value == null) {
      json.append("null");
    } else {
      quoted(json, value);
    }
    json.append(',');
  }

  private static StringBuilder name(StringBuilder json, String name) {
    quoted(json, name);
    return json.append(':');
  }

  /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259). */
  static void quoted(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
