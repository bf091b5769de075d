package uk.familylink.handler;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.familylink.domain.retention.RetentionPolicy;

/**
 * The functions' configuration, read once from the environment at cold start. Fails fast, naming
 * every missing or malformed variable at once, so a bad deployment shows up on first invocation.
 */
public record FunctionConfig(
    String table,
    String auditTable,
    String rootKeyId,
    String landingBucket,
    RetentionPolicy retention,
    double maxInvalidShare,
    Map<String, String> partnerPrincipals,
    String sseKmsKeyId) {

  public static final String TABLE = "FAMILYLINK_TABLE";
  public static final String AUDIT_TABLE = "FAMILYLINK_AUDIT_TABLE";
  public static final String ROOT_KEY_ID = "FAMILYLINK_ROOT_KEY_ID";
  public static final String LANDING_BUCKET = "FAMILYLINK_LANDING_BUCKET";
  public static final String PROGRAMME_END = "FAMILYLINK_PROGRAMME_END";
  public static final String RETENTION_YEARS = "FAMILYLINK_RETENTION_YEARS";
  public static final String MAX_INVALID_SHARE = "FAMILYLINK_MAX_INVALID_SHARE";
  public static final String PARTNER_PRINCIPALS = "FAMILYLINK_PARTNER_PRINCIPALS";
  public static final String SSE_KMS_KEY_ID = "FAMILYLINK_SSE_KMS_KEY_ID";

  /** Every environment variable the functions read; the template must set each one. */
  public static final Set<String> VARIABLES =
      Set.of(
          TABLE,
          AUDIT_TABLE,
          ROOT_KEY_ID,
          LANDING_BUCKET,
          PROGRAMME_END,
          RETENTION_YEARS,
          MAX_INVALID_SHARE,
          PARTNER_PRINCIPALS,
          SSE_KMS_KEY_ID);

  public static FunctionConfig fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String table = required(env, TABLE, problems);
    String auditTable = required(env, AUDIT_TABLE, problems);
    String rootKeyId = required(env, ROOT_KEY_ID, problems);
    String bucket = required(env, LANDING_BUCKET, problems);
    LocalDate programmeEnd = null;
    String end = required(env, PROGRAMME_END, problems);
    if (end != null) {
      try {
        programmeEnd = LocalDate.parse(end);
      } catch (DateTimeParseException e) {
        problems.add(PROGRAMME_END + " must be a date like 2026-03-31");
      }
    }
    int years = RetentionPolicy.DEFAULT_RETENTION_YEARS;
    String yearsText = env.get(RETENTION_YEARS);
    if (yearsText != null && !yearsText.isBlank()) {
      try {
        years = Integer.parseInt(yearsText.trim());
        if (years < 0 || years > 100) {
          problems.add(RETENTION_YEARS + " must be between 0 and 100");
        }
      } catch (NumberFormatException e) {
        problems.add(RETENTION_YEARS + " must be a whole number of years");
      }
    }
    double maxInvalid = 0.05;
    String share = env.get(MAX_INVALID_SHARE);
    if (share != null && !share.isBlank()) {
      try {
        maxInvalid = Double.parseDouble(share.trim());
        if (maxInvalid < 0 || maxInvalid > 1) {
          problems.add(MAX_INVALID_SHARE + " must be between 0 and 1");
        }
      } catch (NumberFormatException e) {
        problems.add(MAX_INVALID_SHARE + " must be a number between 0 and 1");
      }
    }
    Map<String, String> principals = Map.of();
    String principalsJson = env.get(PARTNER_PRINCIPALS);
    if (principalsJson != null && !principalsJson.isBlank()) {
      try {
        principals =
            new ObjectMapper()
                .readValue(principalsJson, new TypeReference<Map<String, String>>() {});
      } catch (Exception e) {
        problems.add(PARTNER_PRINCIPALS + " must be a JSON object of partner to principal ID");
      }
    }
    String sseKey = env.get(SSE_KMS_KEY_ID);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "FamilyLink configuration is invalid: " + String.join("; ", problems));
    }
    return new FunctionConfig(
        table,
        auditTable,
        rootKeyId,
        bucket,
        new RetentionPolicy(programmeEnd, years),
        maxInvalid,
        principals,
        sseKey == null || sseKey.isBlank() ? null : sseKey);
  }

  private static String required(Map<String, String> env, String name, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      problems.add(name + " is not set");
      return null;
    }
    return value.trim();
  }
}
