package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

  private static Map<String, String> complete() {
    Map<String, String> env = new HashMap<>();
    env.put(FunctionConfig.TABLE, "linked");
    env.put(FunctionConfig.AUDIT_TABLE, "audit");
    env.put(FunctionConfig.ROOT_KEY_ID, "arn:aws:kms:eu-west-2:111122223333:key/abc");
    env.put(FunctionConfig.LANDING_BUCKET, "landing");
    env.put(FunctionConfig.PROGRAMME_END, "2026-03-31");
    env.put(FunctionConfig.RETENTION_YEARS, "6");
    env.put(FunctionConfig.MAX_INVALID_SHARE, "0.1");
    env.put(FunctionConfig.PARTNER_PRINCIPALS, "{\"police\":\"AWS:AROAPOLICE\"}");
    env.put(FunctionConfig.SSE_KMS_KEY_ID, "alias/storage");
    env.put(FunctionConfig.SWEEP_EARLIEST_MONTH, "2031-06");
    env.put(FunctionConfig.AUDIT_RETENTION_YEARS, "3");
    env.put(
        IngestHandler.CONTINUATION_QUEUE_URL,
        "https://sqs.eu-west-2.amazonaws.com/111122223333/continuations");
    return env;
  }

  /** An environment that remembers which variables were asked for. */
  private static final class Recording extends HashMap<String, String> {
    private static final long serialVersionUID = 1L;
    final transient Set<String> read = new TreeSet<>();

    Recording(Map<String, String> env) {
      super(env);
    }

    @Override
    public String get(Object key) {
      read.add((String) key);
      return super.get(key);
    }
  }

  private static Set<String> variablesRead(Function<Map<String, String>, ?> config) {
    Recording env = new Recording(complete());
    assertThat(config.apply(env)).isNotNull();
    return env.read;
  }

  @Test
  void eachFunctionReadsExactlyTheVariablesItLists() {
    assertThat(variablesRead(IngestConfig::fromEnvironment))
        .containsExactlyInAnyOrderElementsOf(IngestConfig.VARIABLES);
    assertThat(variablesRead(SweepConfig::fromEnvironment))
        .containsExactlyInAnyOrderElementsOf(SweepConfig.VARIABLES);
    assertThat(variablesRead(TtlEvidenceConfig::fromEnvironment))
        .containsExactlyInAnyOrderElementsOf(TtlEvidenceConfig.VARIABLES);
    assertThat(variablesRead(AccessConfig::fromEnvironment))
        .containsExactlyInAnyOrderElementsOf(AccessConfig.VARIABLES);
    assertThat(variablesRead(ReviewConfig::fromEnvironment))
        .containsExactlyInAnyOrderElementsOf(ReviewConfig.VARIABLES);
    // the review function derives no key: reviews hold pseudonymous ids only
    assertThat(ReviewConfig.VARIABLES).doesNotContain(FunctionConfig.ROOT_KEY_ID);
    // Only the ingest function decides about uploads; only the sweep knows the bucket.
    assertThat(SweepConfig.VARIABLES).doesNotContain(FunctionConfig.PARTNER_PRINCIPALS);
    assertThat(AccessConfig.VARIABLES).doesNotContain(FunctionConfig.LANDING_BUCKET);
    assertThat(IngestConfig.VARIABLES).doesNotContain(FunctionConfig.LANDING_BUCKET);
  }

  @Test
  void readsACompleteIngestEnvironment() {
    IngestConfig config = IngestConfig.fromEnvironment(complete());

    assertThat(config.table()).isEqualTo("linked");
    assertThat(config.retention().expiresAt()).isEqualTo(Instant.parse("2032-04-01T00:00:00Z"));
    assertThat(config.maxInvalidShare()).isEqualTo(0.1);
    assertThat(config.partnerPrincipals()).containsEntry("police", "AWS:AROAPOLICE");
    assertThat(config.sseKmsKeyId()).isEqualTo("alias/storage");
    assertThat(config.settings().maxInvalidShare()).isEqualTo(0.1);
    assertThat(config.settings().uploaderMatches("police", "AWS:AROAPOLICE:session")).isTrue();
  }

  @Test
  void namesEveryMissingOrMalformedVariableAtOnce() {
    Map<String, String> env = complete();
    env.remove(FunctionConfig.TABLE);
    env.remove(FunctionConfig.ROOT_KEY_ID);
    env.put(FunctionConfig.PROGRAMME_END, "31/03/2026");
    env.put(FunctionConfig.PARTNER_PRINCIPALS, "not json");
    env.put(FunctionConfig.MAX_INVALID_SHARE, "2");

    assertThatThrownBy(() -> IngestConfig.fromEnvironment(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ingest configuration is invalid")
        .hasMessageContaining("FAMILYLINK_TABLE is not set")
        .hasMessageContaining("FAMILYLINK_ROOT_KEY_ID is not set")
        .hasMessageContaining("FAMILYLINK_PROGRAMME_END must be a date")
        .hasMessageContaining("FAMILYLINK_PARTNER_PRINCIPALS must be a JSON object")
        .hasMessageContaining("FAMILYLINK_MAX_INVALID_SHARE must be between 0 and 1")
        .hasMessageNotContaining("not json");
  }

  @Test
  void retentionDefaultsToSixYears() {
    Map<String, String> env = complete();
    env.remove(FunctionConfig.RETENTION_YEARS);

    assertThat(IngestConfig.fromEnvironment(env).retention().retentionYears()).isEqualTo(6);
    assertThat(AccessConfig.fromEnvironment(env).retention().retentionYears()).isEqualTo(6);
  }

  @Test
  void sweepSettingsComeFromTheEnvironmentWithDefaults() {
    Map<String, String> env = complete();
    SweepConfig custom = SweepConfig.fromEnvironment(env);
    env.remove(FunctionConfig.SWEEP_EARLIEST_MONTH);
    env.remove(FunctionConfig.AUDIT_RETENTION_YEARS);
    SweepConfig defaults = SweepConfig.fromEnvironment(env);

    assertThat(defaults.settings().earliestMonth()).isEqualTo(YearMonth.of(2020, 1));
    assertThat(defaults.settings().auditRetention()).isEqualTo(Period.ofYears(1));
    assertThat(defaults.settings().bucket()).isEqualTo("landing");
    assertThat(custom.settings().earliestMonth()).isEqualTo(YearMonth.of(2031, 6));
    assertThat(custom.settings().auditRetention()).isEqualTo(Period.ofYears(3));
    assertThat(custom.table()).isEqualTo("linked");
    assertThat(custom.auditTable()).isEqualTo("audit");

    env.put(FunctionConfig.SWEEP_EARLIEST_MONTH, "June");
    env.put(FunctionConfig.AUDIT_RETENTION_YEARS, "x");
    assertThatThrownBy(() -> SweepConfig.fromEnvironment(env))
        .hasMessageContaining("sweep configuration is invalid")
        .hasMessageContaining(FunctionConfig.SWEEP_EARLIEST_MONTH)
        .hasMessageContaining(FunctionConfig.AUDIT_RETENTION_YEARS);
  }

  @Test
  void aFunctionNeedsNoVariableItDoesNotRead() {
    for (var entry :
        Map.<Set<String>, Function<Map<String, String>, ?>>of(
                IngestConfig.VARIABLES, IngestConfig::fromEnvironment,
                SweepConfig.VARIABLES, SweepConfig::fromEnvironment,
                TtlEvidenceConfig.VARIABLES, TtlEvidenceConfig::fromEnvironment,
                AccessConfig.VARIABLES, AccessConfig::fromEnvironment,
                ReviewConfig.VARIABLES, ReviewConfig::fromEnvironment)
            .entrySet()) {
      Map<String, String> only = new HashMap<>(complete());
      only.keySet().retainAll(entry.getKey());
      assertThat(entry.getValue().apply(only)).isNotNull();
    }
  }
}
