package uk.familylink.handler.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class JsonLoggerTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final JsonLoggerFactory factory =
      new JsonLoggerFactory(new JsonLines(new PrintStream(bytes, true, StandardCharsets.UTF_8)));

  private String[] lines() {
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? new String[0] : text.split("\n", -1);
  }

  @Test
  void theMetricsLoggersEmfLinesAreWrittenAsTheyAreNotWrapped() throws Exception {
    String emf = "{\"_aws\":{\"Timestamp\":1},\"rowsAccepted\":3}";
    factory.getLogger(JsonLoggerFactory.METRICS).info(emf);
    factory.getLogger("uk.familylink.handler.IngestHandler").info("other");

    String[] lines = lines();
    assertThat(lines[0]).isEqualTo(emf);
    assertThat(new ObjectMapper().readTree(lines[1]).path("message").asText()).isEqualTo("other");
    assertThat(uk.familylink.adapter.metrics.EmfMetrics.LOGGER)
        .isEqualTo(JsonLoggerFactory.METRICS);
  }

  @Test
  void fluentKeyValuePairsBecomeFieldsOfOneJsonLine() throws Exception {
    Logger log = factory.getLogger("uk.familylink.handler.IngestHandler");
    log.atInfo()
        .addKeyValue("event", "ingest.done")
        .addKeyValue("rows", 250)
        .addKeyValue("complete", true)
        .log("ingest \"done\"\n\tnext");

    String[] lines = lines();
    assertThat(lines).hasSize(2); // the line and the empty rest after its newline
    JsonNode json = new ObjectMapper().readTree(lines[0]);
    assertThat(json.path("log.level").asText()).isEqualTo("INFO");
    assertThat(json.path("message").asText()).isEqualTo("ingest \"done\"\n\tnext");
    assertThat(json.path("event").asText()).isEqualTo("ingest.done");
    assertThat(json.path("rows").isNumber()).isTrue();
    assertThat(json.path("rows").asInt()).isEqualTo(250);
    assertThat(json.path("complete").isBoolean()).isTrue();
    assertThat(json.path("log.logger").asText()).isEqualTo("uk.familylink.handler.IngestHandler");
    assertThat(json.path("@timestamp").asText()).endsWith("Z");
  }

  @Test
  void ownCodeLogsFromInfoAndLibrariesFromWarn() {
    Logger own = factory.getLogger("uk.familylink.domain.ingest.IngestService");
    Logger sdk = factory.getLogger("software.amazon.awssdk.request");
    Logger lookalike = factory.getLogger("uk.familylinkish.Other");

    own.debug("not shown");
    own.info("shown {}", 1);
    sdk.info("not shown");
    sdk.warn("shown");
    lookalike.info("not shown");

    assertThat(lines()).hasSize(3);
    assertThat(own.isInfoEnabled()).isTrue();
    assertThat(own.isDebugEnabled()).isFalse();
    assertThat(sdk.isInfoEnabled()).isFalse();
    assertThat(lookalike.isInfoEnabled()).isFalse();
  }

  @Test
  void anErrorCarriesItsTypeMessageAndStackTraceAndControlCharactersAreEscaped() throws Exception {
    Logger log = factory.getLogger("uk.familylink.X");
    log.atError()
        .setCause(new IllegalStateException("bad\u0001state"))
        .addKeyValue("event", "x.failed")
        .log("failed");

    JsonNode json = new ObjectMapper().readTree(lines()[0]);
    assertThat(lines()[0]).doesNotContain("\u0001").contains("\\u0001");
    assertThat(json.path("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.path("error.message").asText()).isEqualTo("bad\u0001state");
    assertThat(json.path("error.stack_trace").asText())
        .contains("anErrorCarriesItsTypeMessageAndStackTraceAndControlCharactersAreEscaped");
  }

  @Test
  void theFunctionsTestsAndTheLambdaJarLogThroughThisProvider() {
    // src/lambda's service file is on the test class path, as in the shaded jar
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(JsonLoggerFactory.class);
  }
}
