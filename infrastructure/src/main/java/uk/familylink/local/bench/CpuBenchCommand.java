package uk.familylink.local.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.contract.ColumnType;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ValidationPolicy;
import uk.familylink.domain.validation.ValidationReport;

/**
 * The CPU path of ingest without a store: parse, validate, normalise and pseudonymise an {@code
 * early-help} extract on ONE thread, as one ingest invocation does. Three phases, each over the
 * same file: FastCSV parse only, the validator with a no-op sink, and the validator feeding the row
 * pseudonymiser. Warm-up runs on a separate small file so the measured file can be of any size;
 * every measured run reports wall and thread CPU time and the heap pools' peak.
 */
@Command(
    name = "cpu",
    mixinStandardHelpOptions = true,
    description = {
      "Rows/s of parse + validate + normalise + pseudonymise (no store) on one thread, for the early-help contract.",
      "Target: at least 500,000 rows/s. Also shows that heap does not grow with the file: "
          + "java -Xmx256m -jar infrastructure/target/familylink.jar bench cpu --bytes 1g --runs 1"
    })
final class CpuBenchCommand implements Callable<Integer> {

  static final double TARGET_ROWS_PER_SECOND = 500_000;
  private static final List<String> PHASES = List.of("parse", "validate", "full");

  @Spec CommandSpec spec;

  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "Rows to generate (default ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--bytes",
      description = "Generate a file of about this size instead of --rows, e.g. 1g, 200m.")
  String bytes;

  @Option(
      names = "--file",
      description =
          "Use this existing early-help CSV instead of generating one (it is not deleted).")
  Path file;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "Measured runs per phase (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--warmup-rows",
      defaultValue = "200000",
      description = "Rows in the separate warm-up file (default ${DEFAULT-VALUE}).")
  long warmupRows;

  @Option(
      names = "--warmup-passes",
      defaultValue = "5",
      description = "Passes of each phase over the warm-up file (default ${DEFAULT-VALUE}).")
  int warmupPasses;

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "parse,validate,full",
      description = "Phases to measure, from parse, validate, full (default ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
  long seed;

  /** Keeps the JIT from dropping the work: every phase folds a value of every row into it. */
  static volatile long blackhole;

  /** One measured pass. */
  record Pass(
      String phase,
      int run,
      long rows,
      long bytes,
      BenchSupport.Timing timing,
      long peakHeap,
      ValidationReport report) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be at least 1");
    }
    for (String p : phases) {
      if (!PHASES.contains(p)) {
        throw new IllegalArgumentException(
            "Unknown phase '" + p + "': use parse, validate or full");
      }
    }
    DatasetContract contract =
        ContractRegistry.fromClasspath()
            .find(EarlyHelpCsv.DATASET)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "The early-help contract is missing from the classpath"));
    List<Path> generated = new ArrayList<>();
    try {
      long expectedRows;
      Path target;
      boolean generatedTarget = file == null;
      if (file != null) {
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException("No such file: " + file);
        }
        target = file;
        expectedRows = -1;
      } else {
        target = Files.createTempFile("familylink-bench-", ".csv");
        generated.add(target);
        BenchSupport.Stopwatch w = BenchSupport.start();
        EarlyHelpCsv.Written written =
            bytes != null
                ? EarlyHelpCsv.writeBytes(target, BenchSupport.parseSize(bytes), seed)
                : EarlyHelpCsv.writeRows(target, rows, seed);
        BenchSupport.Timing t = w.stop();
        expectedRows = written.rows();
        out.printf(
            Locale.ROOT,
            "generated %s: %s rows, %s bytes in %.1f s%n",
            target,
            BenchSupport.grouped((double) written.rows()),
            BenchSupport.grouped((double) written.bytes()),
            t.wallNanos() / 1e9);
      }
      long fileBytes = Files.size(target);
      Path warmup = Files.createTempFile("familylink-bench-warmup-", ".csv");
      generated.add(warmup);
      long warmRows = expectedRows > 0 ? Math.min(warmupRows, expectedRows) : warmupRows;
      EarlyHelpCsv.writeRows(warmup, Math.max(1, warmRows), seed + 1);

      ValidationPolicy policy =
          policyFitting(fileBytes, expectedRows > 0 ? expectedRows : fileBytes / 50);
      ExtractValidator validator = new ExtractValidator(contract, policy, Clock.systemUTC());
      byte[] root = new byte[32];
      new SecureRandom().nextBytes(root);
      WorkingKeys keys = new WorkingKeys(new LocalKeyring(root));

      out.println(
          "FamilyLink bench cpu: dataset early-help, "
              + contract.columns().size()
              + " columns, "
              + identifierColumns(contract)
              + " identifier columns, one thread");
      out.println("machine: " + BenchSupport.machineLine());
      out.printf(
          Locale.ROOT,
          "file: %s, %s bytes%s%n",
          target,
          BenchSupport.grouped((double) fileBytes),
          expectedRows > 0 ? ", " + BenchSupport.grouped((double) expectedRows) + " rows" : "");
      out.printf(
          Locale.ROOT,
          "warm-up: %d passes of each phase over %s rows%n",
          warmupPasses,
          BenchSupport.grouped((double) warmRows));
      out.flush();
      for (int i = 0; i < warmupPasses; i++) {
        for (String phase : phases) {
          Pass p = pass(phase, 0, warmup, validator, keys);
          if (p.report() != null && p.report().rowsInvalid() != 0) {
            out.println("warm-up file has invalid rows: " + p.report().counts());
            return 2;
          }
        }
      }

      out.printf(
          Locale.ROOT,
          "%-9s %4s %12s %10s %10s %14s %14s %9s %12s%n",
          "phase",
          "run",
          "rows",
          "wall ms",
          "cpu ms",
          "rows/s wall",
          "rows/s cpu",
          "MB/s",
          "peak heap");
      List<Pass> passes = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        for (String phase : phases) {
          Pass p = pass(phase, run, target, validator, keys);
          passes.add(p);
          out.printf(
              Locale.ROOT,
              "%-9s %4d %12s %10.1f %10.1f %14s %14s %9.1f %12s%n",
              phase,
              run,
              BenchSupport.grouped((double) p.rows()),
              p.timing().wallNanos() / 1e6,
              p.timing().cpuNanos() / 1e6,
              BenchSupport.grouped(p.timing().perSecondWall(p.rows())),
              BenchSupport.grouped(p.timing().perSecondCpu(p.rows())),
              p.bytes() / 1e6 / (p.timing().wallNanos() / 1e9),
              BenchSupport.mib(p.peakHeap()));
          out.flush();
        }
      }

      ObjectNode json = BenchSupport.JSON.createObjectNode();
      json.put("bench", "cpu");
      json.put("dataset", contract.dataset());
      json.put("columns", contract.columns().size());
      json.put("identifierColumns", identifierColumns(contract));
      json.set("machine", BenchSupport.machine());
      json.put("fileBytes", fileBytes);
      json.put("generated", generatedTarget);
      json.put("runs", runs);
      out.println();
      out.printf(
          Locale.ROOT, "%-9s %14s %14s %12s%n", "median", "rows/s wall", "rows/s cpu", "peak heap");
      boolean invalidFound = false;
      Map<String, double[]> medians = new LinkedHashMap<>();
      for (String phase : phases) {
        List<Pass> of = passes.stream().filter(p -> p.phase().equals(phase)).toList();
        double[] wall = of.stream().mapToDouble(p -> p.timing().perSecondWall(p.rows())).toArray();
        double[] cpu = of.stream().mapToDouble(p -> p.timing().perSecondCpu(p.rows())).toArray();
        long peak = of.stream().mapToLong(Pass::peakHeap).max().orElse(0);
        double medianWall = BenchSupport.median(wall);
        double medianCpu = BenchSupport.median(cpu);
        medians.put(phase, new double[] {medianWall, medianCpu});
        out.printf(
            Locale.ROOT,
            "%-9s %14s %14s %12s%n",
            phase,
            BenchSupport.grouped(medianWall),
            BenchSupport.grouped(medianCpu),
            BenchSupport.mib(peak));
        ObjectNode node = json.putObject(phase);
        Pass last = of.get(of.size() - 1);
        node.put("rows", last.rows());
        node.put("medianRowsPerSecondWall", Math.round(medianWall));
        node.put("medianRowsPerSecondCpu", Double.isNaN(medianCpu) ? -1 : Math.round(medianCpu));
        ArrayNode each = node.putArray("runs");
        for (Pass p : of) {
          ObjectNode r = each.addObject();
          r.put("rowsPerSecondWall", Math.round(p.timing().perSecondWall(p.rows())));
          r.put("rowsPerSecondCpu", Math.round(p.timing().perSecondCpu(p.rows())));
          r.put("wallMs", p.timing().wallNanos() / 1_000_000);
          r.put("cpuMs", p.timing().cpuNanos() / 1_000_000);
          r.put("peakHeapBytes", p.peakHeap());
        }
        node.put("peakHeapBytes", peak);
        if (last.report() != null) {
          node.put("rowsValid", last.report().rowsValid());
          node.put("rowsInvalid", last.report().rowsInvalid());
          node.put("status", last.report().status().name());
          for (Pass p : of) {
            invalidFound |=
                p.report().rowsInvalid() != 0
                    || p.report().status() != ValidationReport.Status.ACCEPTED
                    || (expectedRows > 0 && p.report().rowsValid() != expectedRows);
          }
        }
      }
      long rowsInvalid =
          passes.stream()
              .filter(p -> p.report() != null)
              .mapToLong(p -> p.report().rowsInvalid())
              .max()
              .orElse(0);
      out.println("rows invalid: " + rowsInvalid);
      json.put("rowsInvalid", rowsInvalid);
      json.put("targetRowsPerSecond", (long) TARGET_ROWS_PER_SECOND);
      if (medians.containsKey("full")) {
        double[] full = medians.get("full");
        boolean wallOk = full[0] >= TARGET_ROWS_PER_SECOND;
        boolean cpuOk = full[1] >= TARGET_ROWS_PER_SECOND;
        out.printf(
            Locale.ROOT,
            "target %s rows/s on one thread (full path): %s by wall time, %s by thread CPU time%n",
            BenchSupport.grouped(TARGET_ROWS_PER_SECOND),
            wallOk ? "MET" : "NOT MET",
            cpuOk ? "MET" : "NOT MET");
        json.put("meetsTargetWall", wallOk);
        json.put("meetsTargetCpu", cpuOk);
      }
      out.println("JSON " + BenchSupport.json(json));
      out.flush();
      if (invalidFound && generatedTarget) {
        out.println(
            "the generated file did not validate 100%: this is a bug in the generator or the validator");
        out.flush();
        return 2;
      }
      return 0;
    } finally {
      for (Path p : generated) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One pass of a phase over {@code file}, with the heap peaks reset just before it. */
  private static Pass pass(
      String phase, int run, Path file, ExtractValidator validator, WorkingKeys keys)
      throws IOException {
    long fileBytes = Files.size(file);
    BenchSupport.resetHeapPeaks();
    switch (phase) {
      case "parse" -> {
        long h = 0;
        long count = 0;
        BenchSupport.Stopwatch w = BenchSupport.start();
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(file)) {
          for (CsvRecord r : csv) {
            h ^= r.getFieldCount() + r.getField(0).length();
            count++;
          }
        }
        BenchSupport.Timing t = w.stop();
        blackhole ^= h;
        return new Pass(
            phase,
            run,
            count - 1,
            fileBytes,
            t,
            BenchSupport.peakHeapBytes(),
            null); // less the header
      }
      case "validate" -> {
        long[] h = {0};
        BenchSupport.Stopwatch w = BenchSupport.start();
        ValidationReport report;
        try (InputStream in = Files.newInputStream(file)) {
          report =
              validator.validate(in, row -> h[0] ^= row.rowNumber() + row.identifiers().size());
        }
        BenchSupport.Timing t = w.stop();
        blackhole ^= h[0];
        return new Pass(
            phase, run, report.rowsTotal(), fileBytes, t, BenchSupport.peakHeapBytes(), report);
      }
      case "full" -> {
        long[] h = {0};
        BenchSupport.Stopwatch w = BenchSupport.start();
        // one pseudonymiser per extract, as IngestService does
        RowPseudonymiser pseudonymiser =
            new RowPseudonymiser(keys.newTokeniser(), EarlyHelpCsv.DATASET);
        ValidationReport report;
        try (InputStream in = Files.newInputStream(file)) {
          report = validator.validate(in, row -> h[0] ^= consume(pseudonymiser.pseudonymise(row)));
        }
        BenchSupport.Timing t = w.stop();
        blackhole ^= h[0];
        return new Pass(
            phase, run, report.rowsTotal(), fileBytes, t, BenchSupport.peakHeapBytes(), report);
      }
      default -> throw new IllegalArgumentException("unknown phase " + phase);
    }
  }

  private static long consume(PseudonymisedRow row) {
    long h = row.recordToken().hashCode();
    for (IdentityKey k : row.strongKeys()) {
      h = 31 * h + k.token().hashCode();
    }
    for (IdentityKey k : row.compositeKeys()) {
      h = 31 * h + k.token().hashCode();
    }
    if (row.family() != null) {
      h = 31 * h + row.family().token().hashCode();
    }
    return h;
  }

  /**
   * The production defaults, with the row and byte limits raised only if this file would exceed
   * them (a 1 GB bench file has about 9 million rows; the Lambda's limit is 10 million).
   */
  static ValidationPolicy policyFitting(long fileBytes, long rows) {
    ValidationPolicy d = ValidationPolicy.DEFAULTS;
    return new ValidationPolicy(
        Math.max(d.maxBytes(), fileBytes + 1),
        Math.max(d.maxRows(), rows * 2),
        d.maxFieldLength(),
        d.maxInvalidShare(),
        d.maxListedIssues());
  }

  private static long identifierColumns(DatasetContract contract) {
    return contract.columns().stream().filter(c -> c.type() == ColumnType.IDENTIFIER).count();
  }
}
