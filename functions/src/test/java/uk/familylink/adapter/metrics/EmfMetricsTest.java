package uk.familylink.adapter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.metrics.Metrics;

class EmfMetricsTest {

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private final List<String> lines = new ArrayList<>();
  private final EmfMetrics metrics =
      new EmfMetrics("retention-sweep", Clock.fixed(NOW, ZoneOffset.UTC), lines::add);

  @Test
  void oneFlushIsOneEmfLineWithEveryMetricDeclaredAndItsSummedValue() throws Exception {
    metrics.count("ItemsDestroyedRec", 3);
    metrics.count("ItemsDestroyedRec", 4);
    metrics.millis("SweepDuration", 120);

    metrics.flush();
    metrics.flush(); // nothing recorded since: no line

    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").path(0);
    assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
    assertThat(directive.path("Namespace").asText()).isEqualTo("FamilyLink");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"function\"]]");
    assertThat(directive.path("Metrics").toString())
        .isEqualTo(
            "[{\"Name\":\"ItemsDestroyedRec\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"SweepDuration\",\"Unit\":\"Milliseconds\"}]");
    assertThat(line.path("function").asText()).isEqualTo("retention-sweep");
    assertThat(line.path("ItemsDestroyedRec").asLong()).isEqualTo(7);
    assertThat(line.path("SweepDuration").asLong()).isEqualTo(120);
  }

  @Test
  void aNameThatCouldBeAValueIsRefused() {
    for (String name : List.of("Jane Smith", "HR1 2AB", "9434765919", "", "Rows.Accepted")) {
      assertThatThrownBy(() -> metrics.count(name, 1))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining(name.isEmpty() ? "\u0000" : name);
      assertThatThrownBy(() -> Metrics.NONE.count(name, 1))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    metrics.flush();
    assertThat(lines).isEmpty();
  }

  @Test
  void codeConstantsBecomeNameParts() {
    assertThat(Metrics.camel("ACCEPTED_WITH_ERRORS")).isEqualTo("AcceptedWithErrors");
    assertThat(Metrics.camel("REC")).isEqualTo("Rec");
  }
}
