package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
    return env;
  }

  @Test
  void readsACompleteEnvironment() {
    FunctionConfig config = FunctionConfig.fromEnvironment(complete());

    assertThat(config.table()).isEqualTo("linked");
    assertThat(config.retention().expiresAt()).isEqualTo(Instant.parse("2032-04-01T00:00:00Z"));
    assertThat(config.maxInvalidShare()).isEqualTo(0.1);
    assertThat(config.partnerPrincipals()).containsEntry("police", "AWS:AROAPOLICE");
    assertThat(config.sseKmsKeyId()).isEqualTo("alias/storage");
  }

  @Test
  void namesEveryMissingOrMalformedVariableAtOnce() {
    Map<String, String> env = complete();
    env.remove(FunctionConfig.TABLE);
    env.remove(FunctionConfig.ROOT_KEY_ID);
    env.put(FunctionConfig.PROGRAMME_END, "31/03/2026");
    env.put(FunctionConfig.PARTNER_PRINCIPALS, "not json");

    assertThatThrownBy(() -> FunctionConfig.fromEnvironment(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("FAMILYLINK_TABLE is not set")
        .hasMessageContaining("FAMILYLINK_ROOT_KEY_ID is not set")
        .hasMessageContaining("FAMILYLINK_PROGRAMME_END must be a date")
        .hasMessageContaining("FAMILYLINK_PARTNER_PRINCIPALS must be a JSON object");
  }

  @Test
  void retentionDefaultsToSixYears() {
    Map<String, String> env = complete();
    env.remove(FunctionConfig.RETENTION_YEARS);

    assertThat(FunctionConfig.fromEnvironment(env).retention().retentionYears()).isEqualTo(6);
  }

  @Test
  void everyVariableReadIsListed() {
    assertThat(FunctionConfig.VARIABLES).containsExactlyInAnyOrderElementsOf(complete().keySet());
  }
}
