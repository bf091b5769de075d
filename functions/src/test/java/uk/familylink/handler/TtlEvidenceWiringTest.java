package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.familylink.fakes.InMemoryAuditLog;

/**
 * The TTL-evidence function keeps its entries exactly as long as the sweep keeps its destruction
 * entries: both read {@code FAMILYLINK_AUDIT_RETENTION_YEARS}. (It once hard-coded the default, so
 * with any other AuditRetentionYears the TTL evidence expired before the destruction evidence.)
 */
class TtlEvidenceWiringTest {

  private static final Clock AUGUST_2026 =
      Clock.fixed(Instant.parse("2026-08-05T01:00:00Z"), ZoneOffset.UTC);

  private static Map<String, String> environment(String auditRetentionYears) {
    Map<String, String> env = new HashMap<>();
    env.put(FunctionConfig.TABLE, "linked");
    env.put(FunctionConfig.AUDIT_TABLE, "audit");
    env.put(FunctionConfig.ROOT_KEY_ID, "alias/root");
    env.put(FunctionConfig.LANDING_BUCKET, "landing");
    env.put(FunctionConfig.PROGRAMME_END, "2026-03-31");
    env.put(FunctionConfig.RETENTION_YEARS, "0");
    if (auditRetentionYears != null) {
      env.put(AuditRetentionSetting.VARIABLE, auditRetentionYears);
    }
    return env;
  }

  private static long expiryOfRecordedEntry(Map<String, String> env) throws IOException {
    InMemoryAuditLog audit = new InMemoryAuditLog();
    var evidence =
        TtlEvidenceWiring.evidence(audit, FunctionConfig.fromEnvironment(env), env, AUGUST_2026);
    try (InputStream event =
        TtlEvidenceWiringTest.class.getResourceAsStream("/events/dynamodb-stream-ttl.json")) {
      new TtlEvidenceHandler(evidence).handleRequest(event, new ByteArrayOutputStream(), null);
    }
    assertThat(audit.entries()).hasSize(1);
    return audit.entries().get(0).expiresAt();
  }

  @Test
  void ttlEvidenceIsKeptForTheConfiguredAuditRetentionLikeTheSweepsEvidence() throws IOException {
    Map<String, String> env = environment("3");
    long ttlEvidenceExpiry = expiryOfRecordedEntry(env);

    // Both evidence kinds derive their expiry from the same configuration and the same rule.
    FunctionConfig config = FunctionConfig.fromEnvironment(env);
    var sweepSettings = SweepWiring.settings(config, env);
    long destructionExpiry =
        sweepSettings
            .retention()
            .evidenceExpiresAt(AUGUST_2026.instant(), sweepSettings.auditRetention());
    assertThat(ttlEvidenceExpiry)
        .isEqualTo(destructionExpiry)
        // data expires 2026-04-01 (0 years), "now" is later: now + 3 years
        .isEqualTo(Instant.parse("2029-08-05T01:00:00Z").getEpochSecond());
  }

  @Test
  void withoutTheVariableTheDefaultOneYearApplies() throws IOException {
    assertThat(expiryOfRecordedEntry(environment(null)))
        .isEqualTo(Instant.parse("2027-08-05T01:00:00Z").getEpochSecond());
  }

  @Test
  void aMalformedRetentionFailsFastNamingTheVariable() {
    Map<String, String> env = environment("three");
    assertThatThrownBy(
            () ->
                TtlEvidenceWiring.evidence(
                    new InMemoryAuditLog(), FunctionConfig.fromEnvironment(env), env, AUGUST_2026))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(AuditRetentionSetting.VARIABLE)
        .hasMessageNotContaining("three");
  }
}
