package uk.familylink.local.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.identification.IdentificationList;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.FamilyOutcomes;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.outputs.OutputFiles;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.TempFolders;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * The outputs' cost at scale. Part 1 (always): the in-memory work of one run — building every
 * family's history, the evaluation and identification outputs and their files — over a synthetic
 * population of {@code --families} families held as the reader would deliver it (no store), with
 * the heap it needs. Part 2 ({@code --item-sample F}): ingests F generated families into DynamoDB
 * Local through the real handler and measures the linked table's items per family and their
 * DynamoDB size, from which the Scan cost of a run at {@code --families} is computed (DynamoDB
 * Local is too slow here to load 100,000 families).
 */
@Command(
    name = "outputs",
    mixinStandardHelpOptions = true,
    description =
        "Cost of one outputs run (in-memory work, heap; Scan read units from measured items).")
final class OutputsBenchCommand implements Callable<Integer> {

  @Option(names = "--families", defaultValue = "100000")
  int families;

  @Option(names = "--runs", defaultValue = "3")
  int runs;

  @Option(
      names = "--item-sample",
      defaultValue = "0",
      description = "Generated families to ingest into DynamoDB Local to measure items (0 = skip).")
  int itemSample;

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-04-01T00:00:00Z").getEpochSecond();

  @Override
  public Integer call() throws Exception {
    SyntheticPopulation population = SyntheticPopulation.of(families, 42);
    System.out.printf(
        "Synthetic population: %,d families, %,d persons, %,d records, %,d memberships%n",
        families,
        population.persons.size(),
        population.records.size(),
        population.memberships.size());
    LocalDate asOf = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
    for (int run = 0; run <= runs; run++) {
      long t0 = System.nanoTime();
      PopulationProfile.Population p =
          PopulationProfile.histories(
              population.reader(), NOW, EligibilityRule.supportingFamilies2022());
      long t1 = System.nanoTime();
      FamilyOutcomes outcomes =
          FamilyOutcomes.of(p.families(), asOf, OutcomeSettings.supportingFamilies2022());
      IdentificationList list =
          IdentificationList.of(
              p.families(), asOf, EligibilityRule.supportingFamilies2022(), Map.of());
      long t2 = System.nanoTime();
      long bytes = 0;
      for (String f : OutputFiles.evaluation(outcomes).values()) {
        bytes += f.length();
      }
      for (String f : OutputFiles.identification(list).values()) {
        bytes += f.length();
      }
      long t3 = System.nanoTime();
      Runtime rt = Runtime.getRuntime();
      System.gc();
      long heap = rt.totalMemory() - rt.freeMemory();
      System.out.printf(
          "%s: histories %,d ms, rules %,d ms, files %,d ms (%,d bytes); %,d families grouped,"
              + " %,d interventions, %,d eligible; heap in use with population and outputs held"
              + " %,d MiB%n",
          run == 0 ? "warm-up" : "run " + run,
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000,
          bytes,
          p.families().size(),
          outcomes.outcomes().size(),
          list.families().size(),
          heap >> 20);
    }
    if (itemSample > 0) {
      measureItems();
    }
    return 0;
  }

  private void measureItems() throws Exception {
    java.nio.file.Path home = java.nio.file.Files.createTempDirectory("familylink-bench");
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("familylink-bench-extracts");
    try (EmbeddedAws aws = EmbeddedAws.start(EmbeddedAws.Options.defaults())) {
      Clock clock = Clock.systemUTC();
      LocalFamilyLink familyLink = LocalFamilyLink.start(aws, home, clock);
      var summary =
          new uk.familylink.local.population.ExtractWriter(
                  uk.familylink.local.population.PartnerContracts.load(java.util.Optional.empty()),
                  uk.familylink.local.population.Imperfections.realistic())
              .write(
                  new uk.familylink.local.population.PopulationGenerator(7, clock),
                  itemSample,
                  dir.resolve("extracts"),
                  dir.resolve("ground-truth.csv"),
                  done -> {});
      var poller =
          new uk.familylink.local.aws.IncomingPoller(
              aws.s3(),
              aws.bucket(),
              new uk.familylink.local.aws.S3Events(clock, aws.region().id()),
              familyLink.sink());
      for (var d : uk.familylink.local.population.Dataset.values()) {
        java.nio.file.Path file = summary.files().get(d);
        byte[] content = java.nio.file.Files.readAllBytes(file);
        aws.s3()
            .putObject(
                b -> b.bucket(aws.bucket()).key(d.incomingKey(file.getFileName().toString())),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
        poller.pollOnce();
      }
      long items = 0;
      long bytes = 0;
      long populationItems = 0;
      long populationBytes = 0;
      Map<uk.familylink.domain.retention.ItemKind, long[]> byKind =
          new java.util.EnumMap<>(uk.familylink.domain.retention.ItemKind.class);
      for (Map<String, AttributeValue> item :
          aws.dynamoDb().scanPaginator(b -> b.tableName(LocalFamilyLink.TABLE)).items()) {
        long itemBytes = size(item);
        items++;
        bytes += itemBytes;
        var kind =
            uk.familylink.adapter.aws.LinkedTable.kindOf(item.get("pk").s(), item.get("sk").s());
        long[] acc = byKind.computeIfAbsent(kind, k -> new long[2]);
        acc[0]++;
        acc[1] += itemBytes;
        if (item.containsKey(uk.familylink.adapter.aws.DynamoDbTables.KIND_PK)) {
          populationItems++;
          populationBytes += itemBytes;
        }
      }
      double perFamily = (double) items / itemSample;
      double avg = (double) bytes / items;
      double tableBytes = perFamily * families * avg;
      double populationShare = (double) populationBytes / bytes;
      System.out.printf(
          "Linked table after %,d generated families: %,d items (%.1f per family), average %.0f"
              + " bytes (DynamoDB item size)%n",
          itemSample, items, perFamily, avg);
      for (var e : byKind.entrySet()) {
        System.out.printf(
            "  %-8s %,9d items %,12d bytes (%.1f%% of the bytes)%n",
            e.getKey(), e.getValue()[0], e.getValue()[1], 100.0 * e.getValue()[1] / bytes);
      }
      // Eventually consistent reads: 0.5 RCU per 4 KB, summed over the bytes read per page (1 MB
      // pages). A Scan reads every item whatever the filter; the byKind index holds only the
      // population's items (persons, merges, records, memberships), each read once per run.
      double readUnitsPerScan = tableBytes / 4096 * 0.5;
      double readUnitsByKind = tableBytes * populationShare / 4096 * 0.5;
      System.out.printf(
          "At %,d families: ~%,.0f items, ~%,.0f MB; a run read by Query of the byKind index"
              + " (%,d population items of %,d, %.1f%% of the bytes) ~%,.0f read units; the same"
              + " run as 4 filtered Scans (before the index) ~%,.0f read units%n",
          families,
          perFamily * families,
          tableBytes / 1e6,
          populationItems,
          items,
          100 * populationShare,
          readUnitsByKind,
          4 * readUnitsPerScan);
    } finally {
      TempFolders.deleteTree(home);
      TempFolders.deleteTree(dir);
    }
  }

  /**
   * DynamoDB's item size: attribute names plus values (strings UTF-8, numbers ~1 byte/2 digits).
   */
  static long size(Map<String, AttributeValue> item) {
    long n = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      n += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + size(e.getValue());
    }
    return n;
  }

  private static long size(AttributeValue v) {
    if (v.s() != null) {
      return v.s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    if (v.n() != null) {
      return v.n().length() / 2L + 1;
    }
    if (v.bool() != null || v.nul() != null) {
      return 1;
    }
    if (v.hasSs()) {
      return v.ss().stream()
          .mapToLong(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
          .sum();
    }
    if (v.hasM()) {
      return 3 + size(v.m()) + v.m().size();
    }
    if (v.hasL()) {
      return 3 + v.l().stream().mapToLong(x -> 1 + size(x)).sum();
    }
    return 0;
  }

  /**
   * Families shaped like the generator's: two adults and two children; Early Help episodes (half
   * closed), police, school, DWP, health, housing and social care rows at the generator's rates.
   */
  static final class SyntheticPopulation {
    final List<PersonEntry> persons = new ArrayList<>();
    final List<LinkedRecord> records = new ArrayList<>();
    final List<FamilyMembership> memberships = new ArrayList<>();

    static SyntheticPopulation of(int families, long seed) {
      SyntheticPopulation p = new SyntheticPopulation();
      SplittableRandom random = new SplittableRandom(seed);
      LocalDate today = LocalDate.of(2026, 6, 1);
      int rec = 0;
      for (int f = 0; f < families; f++) {
        FamilyKey family = new FamilyKey("FAMILY_REF", "F" + f);
        FamilyKey household = new FamilyKey("HOUSEHOLD_REF", "H" + f);
        List<PersonId> members = new ArrayList<>();
        for (int m = 0; m < 4; m++) {
          PersonId id = new PersonId("P" + f + "_" + m);
          members.add(id);
          p.persons.add(PersonEntry.created(id, NOW));
        }
        boolean earlyHelp = random.nextDouble() < 0.3;
        LocalDate referral = today.minusDays(30 + random.nextInt(700));
        String closure =
            random.nextBoolean() ? referral.plusDays(30 + random.nextInt(270)).toString() : null;
        for (int m = 0; m < 4; m++) {
          String born = m < 2 ? "1985-03" : "2015-0" + (1 + m);
          if (earlyHelp) {
            p.memberships.add(
                new FamilyMembership(
                    family,
                    members.get(m),
                    m < 2 ? "PARENT_CARER" : "CHILD",
                    "early-help",
                    EXPIRES));
            p.records.add(
                record(
                    "early-help",
                    "r" + rec++,
                    members.get(m),
                    family,
                    Set.of(Need.FAMILY_RELATIONSHIPS),
                    referral,
                    born,
                    closure == null ? Map.of() : Map.of("closure_date", closure)));
          }
          if (m >= 2) {
            for (int t = 0; t < 2; t++) {
              p.records.add(
                  record(
                      "school-attendance",
                      "r" + rec++,
                      members.get(m),
                      null,
                      random.nextDouble() < 0.15 ? Set.of(Need.EDUCATION) : Set.of(),
                      today.minusDays(20 + 120 * t),
                      born,
                      Map.of("unauthorised_absences", Integer.toString(random.nextInt(20)))));
            }
          }
        }
        if (random.nextDouble() < 0.2) {
          p.records.add(
              record(
                  "police-incidents",
                  "r" + rec++,
                  members.get(0),
                  null,
                  Set.of(Need.CRIME),
                  today.minusDays(1 + random.nextInt(365)),
                  "1985-03",
                  Map.of("incident_type", "OFFENCE")));
        }
        if (random.nextDouble() < 0.3) {
          p.records.add(
              record(
                  "dwp-benefits",
                  "r" + rec++,
                  members.get(1),
                  null,
                  Set.of(Need.FINANCIAL_STABILITY),
                  today.minusDays(1 + random.nextInt(1000)),
                  "1985-03",
                  Map.of("benefit", "UNIVERSAL_CREDIT")));
        }
        if (random.nextDouble() < 0.25) {
          p.records.add(
              record(
                  "health",
                  "r" + rec++,
                  members.get(0),
                  null,
                  Set.of(Need.HEALTH),
                  today.minusDays(1 + random.nextInt(365)),
                  "1985-03",
                  Map.of("service", "GP")));
        }
        if (random.nextDouble() < 0.15) {
          for (PersonId m : members) {
            p.memberships.add(new FamilyMembership(household, m, null, "housing", EXPIRES));
            p.records.add(
                record(
                    "housing",
                    "r" + rec++,
                    m,
                    household,
                    Set.of(Need.HOUSING),
                    today.minusDays(1 + random.nextInt(540)),
                    "1985-03",
                    Map.of()));
          }
        }
        if (random.nextDouble() < 0.1) {
          p.memberships.add(
              new FamilyMembership(family, members.get(2), null, "social-care", EXPIRES));
          p.records.add(
              record(
                  "social-care",
                  "r" + rec++,
                  members.get(2),
                  family,
                  Set.of(Need.CHILD_SAFETY),
                  today.minusDays(1 + random.nextInt(730)),
                  "2015-03",
                  Map.of("category", "CHILD_IN_NEED")));
        }
      }
      return p;
    }

    private static LinkedRecord record(
        String dataset,
        String token,
        PersonId person,
        FamilyKey family,
        Set<Need> needs,
        LocalDate date,
        String born,
        Map<String, String> attributes) {
      return new LinkedRecord(
          dataset,
          dataset,
          token,
          person,
          family,
          needs,
          date,
          born,
          false,
          attributes,
          "f",
          EXPIRES);
    }

    /** The population as the outputs' reader delivers it. */
    LinkedDataReader reader() {
      return LinkedDataReader.of(persons, records, memberships);
    }
  }
}
