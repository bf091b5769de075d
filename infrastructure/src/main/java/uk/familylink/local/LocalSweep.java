package uk.familylink.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.adapter.aws.DynamoDbExpiredItems;
import uk.familylink.domain.retention.DailyRetention;
import uk.familylink.domain.retention.ExpiredItemStore;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.handler.SweepConfig;
import uk.familylink.handler.SweepWiring;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;
import uk.familylink.local.population.Imperfections;
import uk.familylink.local.population.PartnerContracts;
import uk.familylink.local.population.PopulationGenerator;

/**
 * The retention sweep on the embedded services (the same domain service and adapters as the
 * Lambda), and a quiet way to put a synthetic population through the real ingest handler first.
 */
public final class LocalSweep {

  private LocalSweep() {}

  /** The sweep's index adapter for the local tables. */
  public static DynamoDbExpiredItems expiredItems(EmbeddedAws aws) {
    return SweepWiring.expiredItems(config(localRetention(), aws), aws.dynamoDb());
  }

  /** A sweep over the local tables and bucket; {@code clock} is "now" for the sweep. */
  public static RetentionSweep sweep(EmbeddedAws aws, RetentionPolicy retention, Clock clock) {
    return sweep(aws, expiredItems(aws), SweepSettings.defaults(retention, aws.bucket()), clock);
  }

  /** A sweep with a given index adapter (tests wrap it) and settings. */
  public static RetentionSweep sweep(
      EmbeddedAws aws, ExpiredItemStore items, SweepSettings settings, Clock clock) {
    return SweepWiring.sweep(
        new SweepConfig(LocalFamilyLink.TABLE, LocalFamilyLink.AUDIT_TABLE, settings),
        aws.s3(),
        aws.dynamoDb(),
        items,
        clock);
  }

  /**
   * The daily run as the sweep Lambda does it, {@code configured} being the deployment's policy:
   * re-stamp first, sweep only when settled; {@code clock} is "now" for both.
   */
  public static DailyRetention dailyRetention(
      EmbeddedAws aws, RetentionPolicy configured, Clock clock) {
    return SweepWiring.dailyRetention(config(configured, aws), aws.s3(), aws.dynamoDb(), clock);
  }

  /** The sweep function's configuration over the local tables and bucket. */
  public static SweepConfig config(RetentionPolicy configured, EmbeddedAws aws) {
    return LocalFamilyLink.sweepConfig(configured, aws.bucket());
  }

  /** The retention the local environment stamps items with ({@link LocalFamilyLink#start}). */
  public static RetentionPolicy localRetention() {
    return LocalFamilyLink.localRetention();
  }

  /**
   * Generates {@code families} synthetic families (realistic imperfections) under {@code out},
   * uploads each partner's extract to the local bucket and delivers it to the real ingest handler.
   */
  public static ExtractWriter.Summary ingestSyntheticPopulation(
      LocalFamilyLink familyLink, int families, long seed, Path out, Clock clock) {
    EmbeddedAws aws = familyLink.aws();
    ExtractWriter.Summary summary =
        new ExtractWriter(PartnerContracts.load(Optional.empty()), Imperfections.realistic())
            .write(
                new PopulationGenerator(seed, clock),
                families,
                out.resolve("extracts"),
                out.resolve("ground-truth.csv"),
                done -> {});
    IncomingPoller poller =
        new IncomingPoller(
            aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), familyLink.sink());
    for (Dataset dataset : Dataset.values()) {
      Path file = summary.files().get(dataset);
      try {
        byte[] bytes = Files.readAllBytes(file);
        aws.s3()
            .putObject(
                b -> b.bucket(aws.bucket()).key(dataset.incomingKey(file.getFileName().toString())),
                RequestBody.fromBytes(bytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      poller.pollOnce();
    }
    return summary;
  }
}
