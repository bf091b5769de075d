package uk.familylink.handler;

import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import uk.familylink.adapter.aws.DynamoDbAuditLog;
import uk.familylink.adapter.aws.DynamoDbExpiredItems;
import uk.familylink.adapter.aws.DynamoDbRestamp;
import uk.familylink.adapter.aws.DynamoDbUnbackedLinks;
import uk.familylink.adapter.aws.S3AgedObjects;
import uk.familylink.domain.retention.RetentionRestamp;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.domain.retention.UnbackedLinkRemoval;

/**
 * Builds the retention sweep's collaborators once per execution environment (cold start), from the
 * same configuration as the other functions plus two optional variables of its own. Public only for
 * its variable names, which the template tests compare with what the template sets.
 */
public final class SweepWiring {

  /** First expiry month the sweep queries (yyyy-MM); default 2020-01. */
  public static final String EARLIEST_MONTH = "FAMILYLINK_SWEEP_EARLIEST_MONTH";

  /** Years a destruction entry is kept beyond the data it describes; default 1. */
  public static final String AUDIT_RETENTION_YEARS = AuditRetentionSetting.VARIABLE;

  /** The sweep's own optional variables, read in addition to {@link FunctionConfig#VARIABLES}. */
  public static final Set<String> VARIABLES = Set.of(EARLIEST_MONTH, AUDIT_RETENTION_YEARS);

  private static volatile SweepWiring instance;

  private final RetentionSweep sweep;
  private final RetentionRestamp restamp;

  private SweepWiring(FunctionConfig config, SweepSettings settings) {
    var http = UrlConnectionHttpClient.builder().build();
    S3Client s3 = S3Client.builder().httpClient(http).build();
    DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(http).build();
    DynamoDbAuditLog audit = new DynamoDbAuditLog(dynamo, config.auditTable());
    this.sweep =
        new RetentionSweep(
            new DynamoDbExpiredItems(dynamo, config.table(), config.auditTable()),
            new S3AgedObjects(s3),
            audit,
            settings,
            Clock.systemUTC(),
            new UnbackedLinkRemoval(
                new DynamoDbUnbackedLinks(dynamo, config.table(), config.auditTable())));
    this.restamp =
        new RetentionRestamp(
            new DynamoDbRestamp(dynamo, config.table(), config.auditTable()),
            audit,
            settings,
            Clock.systemUTC());
  }

  static SweepWiring instance() {
    SweepWiring local = instance;
    if (local == null) {
      synchronized (SweepWiring.class) {
        local = instance;
        if (local == null) {
          Map<String, String> env = System.getenv();
          FunctionConfig config = FunctionConfig.fromEnvironment(env);
          local = new SweepWiring(config, settings(config, env));
          instance = local;
        }
      }
    }
    return local;
  }

  RetentionSweep sweep() {
    return sweep;
  }

  RetentionRestamp restamp() {
    return restamp;
  }

  /** The sweep's settings; fails fast, naming every malformed variable. */
  static SweepSettings settings(FunctionConfig config, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    SweepSettings settings = SweepSettings.defaults(config.retention(), config.landingBucket());
    String month = env.get(EARLIEST_MONTH);
    if (month != null && !month.isBlank()) {
      try {
        settings = settings.withEarliestMonth(YearMonth.parse(month.trim()));
      } catch (DateTimeParseException e) {
        problems.add(EARLIEST_MONTH + " must be a month like 2020-01");
      }
    }
    settings = settings.withAuditRetention(AuditRetentionSetting.read(env, problems));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "FamilyLink sweep configuration is invalid: " + String.join("; ", problems));
    }
    return settings;
  }
}
