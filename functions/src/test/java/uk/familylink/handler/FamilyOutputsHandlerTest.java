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
              FamilyOutputsWiring.settings(
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
            () -> FamilyOutputsConfig.fromEnvironment(Map.of(FamilyOutputsConfig.PURPOSE, "BOTH")))
        .hasMessageContaining("FAMILYLINK_PURPOSE must be one of IDENTIFICATION, EVALUATION")
        .hasMessageContaining("FAMILYLINK_EXPORTS_BUCKET is not set")
        .hasMessageContaining("FAMILYLINK_TABLE is not set");
  }

  @Test
  void onlyTheIdentificationFunctionNeedsTheRootKeyAndThePartnersPrincipals() {
    Map<String, String> env =
        Map.of(
            FamilyOutputsConfig.PURPOSE, "EVALUATION",
            FunctionConfig.TABLE, "t",
            FunctionConfig.AUDIT_TABLE, "a",
            FunctionConfig.PROGRAMME_END, "2026-03-31",
            FamilyOutputsConfig.EXPORTS_BUCKET, "e");
    FamilyOutputsConfig evaluation = FamilyOutputsConfig.fromEnvironment(env);
    assertThat(evaluation.rootKeyId()).isNull();
    assertThat(evaluation.partnerPrincipals()).isEmpty();
    var identification = new java.util.HashMap<>(env);
    identification.put(FamilyOutputsConfig.PURPOSE, "IDENTIFICATION");
    assertThatThrownBy(() -> FamilyOutputsConfig.fromEnvironment(identification))
        .hasMessageContaining("FAMILYLINK_ROOT_KEY_ID is not set");
    assertThat(FamilyOutputsConfig.variables(Purpose.EVALUATION))
        .doesNotContain(FunctionConfig.ROOT_KEY_ID, FunctionConfig.PARTNER_PRINCIPALS);
  }
}
