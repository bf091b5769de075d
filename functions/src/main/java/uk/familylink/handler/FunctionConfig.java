package uk.familylink.handler;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.retention.RetentionPolicy;

/**
 * The functions' environment variables and how each is read. Every function has its own typed
 * record ({@link IngestConfig}, {@link SweepConfig}, {@link TtlEvidenceConfig}, {@link
 * AccessConfig}) that reads only the variables it needs, once at cold start, through a {@link
 * Reader}: it collects every missing or malformed variable and fails with all of them at once, so a
 * bad deployment shows up on the first invocation.
 */
public final class FunctionConfig {

  public static final String TABLE = "FAMILYLINK_TABLE";
  public static final String AUDIT_TABLE = "FAMILYLINK_AUDIT_TABLE";
  public static final String ROOT_KEY_ID = "FAMILYLINK_ROOT_KEY_ID";
  public static final String LANDING_BUCKET = "FAMILYLINK_LANDING_BUCKET";
  public static final String PROGRAMME_END = "FAMILYLINK_PROGRAMME_END";
  public static final String RETENTION_YEARS = "FAMILYLINK_RETENTION_YEARS";
  public static final String MAX_INVALID_SHARE = "FAMILYLINK_MAX_INVALID_SHARE";
  public static final String PARTNER_PRINCIPALS = "FAMILYLINK_PARTNER_PRINCIPALS";
  public static final String SSE_KMS_KEY_ID = "FAMILYLINK_SSE_KMS_KEY_ID";

  /** First expiry month the sweep queries (yyyy-MM); default 2020-01. */
  public static final String SWEEP_EARLIEST_MONTH = "FAMILYLINK_SWEEP_EARLIEST_MONTH";

  /** Years destruction evidence is kept beyond the data it describes; default 1. */
  public static final String AUDIT_RETENTION_YEARS = "FAMILYLINK_AUDIT_RETENTION_YEARS";

  private FunctionConfig() {}

  /** Reads variables from one environment, noting every problem; {@link #check} throws them. */
  static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    /** The trimmed value, or null (and a problem) when unset or blank. */
    String required(String name) {
      String value = optional(name);
      if (value == null) {
        problems.add(name + " is not set");
      }
      return value;
    }

    /** The trimmed value, or null when unset or blank. */
    String optional(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@link #PROGRAMME_END} (required, yyyy-MM-dd) and {@link #RETENTION_YEARS} (default 6). */
    RetentionPolicy retention() {
      LocalDate programmeEnd = null;
      String end = required(PROGRAMME_END);
      if (end != null) {
        try {
          programmeEnd = LocalDate.parse(end);
        } catch (DateTimeParseException e) {
          problems.add(PROGRAMME_END + " must be a date like 2026-03-31");
        }
      }
      int years = years(RETENTION_YEARS, RetentionPolicy.DEFAULT_RETENTION_YEARS);
      return programmeEnd == null ? null : new RetentionPolicy(programmeEnd, years);
    }

    /** A whole number of years between 0 and 100. */
    int years(String name, int defaultYears) {
      String text = optional(name);
      if (text == null) {
        return defaultYears;
      }
      try {
        int years = Integer.parseInt(text);
        if (years < 0 || years > 100) {
          problems.add(name + " must be between 0 and 100");
          return defaultYears;
        }
        return years;
      } catch (NumberFormatException e) {
        problems.add(name + " must be a whole number of years");
        return defaultYears;
      }
    }

    /** {@link #AUDIT_RETENTION_YEARS} as a period. */
    Period auditRetention(Period defaultPeriod) {
      return Period.ofYears(years(AUDIT_RETENTION_YEARS, defaultPeriod.getYears()));
    }

    /** A share between 0 and 1. */
    double share(String name, double defaultShare) {
      String text = optional(name);
      if (text == null) {
        return defaultShare;
      }
      try {
        double share = Double.parseDouble(text);
        if (share < 0 || share > 1) {
          problems.add(name + " must be between 0 and 1");
          return defaultShare;
        }
        return share;
      } catch (NumberFormatException e) {
        problems.add(name + " must be a number between 0 and 1");
        return defaultShare;
      }
    }

    /** A month like 2020-01. */
    YearMonth month(String name, YearMonth defaultMonth) {
      String text = optional(name);
      if (text == null) {
        return defaultMonth;
      }
      try {
        return YearMonth.parse(text);
      } catch (DateTimeParseException e) {
        problems.add(name + " must be a month like 2020-01");
        return defaultMonth;
      }
    }

    /** One of an enum's constants by name (required); a problem lists the accepted names. */
    <E extends Enum<E>> E constant(String name, Class<E> type) {
      String text = required(name);
      if (text == null) {
        return null;
      }
      try {
        return Enum.valueOf(type, text);
      } catch (IllegalArgumentException e) {
        problems.add(
            name
                + " must be one of "
                + java.util.Arrays.stream(type.getEnumConstants())
                    .map(Enum::name)
                    .collect(java.util.stream.Collectors.joining(", ")));
        return null;
      }
    }

    /** A JSON object of strings (empty when unset). */
    Map<String, String> stringMap(String name, String what) {
      String json = optional(name);
      if (json == null) {
        return Map.of();
      }
      try {
        return Map.copyOf(new ObjectMapper().readValue(json, new TypeReference<>() {}));
      } catch (Exception e) {
        // The value is not repeated: it may be long, and it is the deployment's, not ours.
        problems.add(name + " must be a JSON object of " + what);
        return Map.of();
      }
    }

    /** Throws every problem noted so far, naming the function. */
    void check(String function) {
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "FamilyLink " + function + " configuration is invalid: " + String.join("; ", problems));
      }
    }
  }
}
