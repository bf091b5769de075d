package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.outputs.FamilyOutputs;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;

class FamilyOutputsHandlerTest {

  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final FamilyOutputsHandler handler =
      new FamilyOutputsHandler(
          new FamilyOutputs(
              new InMemoryLinkedData(),
              new InMemoryObjectStore(),
              audit,
              Clock.fixed(Instant.parse("2026-06-01T09:00:00Z"), ZoneOffset.UTC),
              OutputsWiring.settings(
                  Purpose.EVALUATION, "exports", ContractRegistry.fromClasspath()),
              null,
              () -> 1L),
          (p, principal) -> true,
          (p, d) -> true);

  private String invoke(String json) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theScheduleAndANamedRequesterRunAndAreAuditedByWhoAsked() throws Exception {
    assertThat(invoke("{\"source\": \"aws.events\"}"))
        .contains("outputs/evaluation/2026-06-01/outcomes.csv");
    invoke("{\"requester\": \"analyst\"}");
    assertThat(audit.entries())
        .extracting(e -> e.details().get("requester"))
        .containsExactly("schedule", "analyst");
  }

  @Test
  void anInvocationThatNamesNoRequesterIsRefusedAndNothingIsWritten() {
    assertThatThrownBy(() -> invoke("{\"requester\": \" \"}"))
        .hasMessageContaining("must name its requester");
    assertThatThrownBy(() -> invoke("not json")).hasMessage("event is not JSON");
    assertThat(audit.entries()).isEmpty();
  }

  @Test
  void configurationNamesEveryProblemAtOnce() {
    assertThatThrownBy(
            () ->
                OutputsWiring.OutputsConfig.fromEnvironment(Map.of(OutputsWiring.PURPOSE, "BOTH")))
        .hasMessageContaining("FAMILYLINK_PURPOSE must be IDENTIFICATION or EVALUATION")
        .hasMessageContaining("FAMILYLINK_EXPORTS_BUCKET is required");
  }
}
