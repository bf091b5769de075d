package uk.familylink.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchModelFit;
import uk.familylink.domain.linkage.MatchScorer;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.ExtractWriter;
import uk.familylink.local.population.FebrlExtracts;
import uk.familylink.local.population.Imperfections;
import uk.familylink.local.population.LinkageErrors;
import uk.familylink.local.population.PartnerContracts;
import uk.familylink.local.population.PopulationGenerator;

/**
 * Linkage quality measured, not asserted (issue 9 item 9): ingests a synthetic population with
 * every real-world error kind, and optionally a FEBRL-format benchmark file, through the real
 * ingest handler on the embedded stack, one file at a time, in the demo's order and reversed; then
 * compares who was linked with whom against the ground truth, which never reaches the service.
 */
@Command(
    name = "linkage-quality",
    mixinStandardHelpOptions = true,
    description =
        "Ingest a synthetic population with real-world errors (and optionally a FEBRL file) through the "
            + "real handler, one file at a time in two orders, and print pairwise precision, recall, F1 "
            + "and link rates by age band against the ground truth.")
final class LinkageQualityCommand implements Callable<Integer> {

  static final double TARGET_PRECISION = 0.995;
  static final double TARGET_RECALL = 0.99;
  static final double TARGET_F1_ORDER_DIFFERENCE = 0.002;

  @Option(
      names = "--families",
      defaultValue = "1000",
      description = "Synthetic families (default ${DEFAULT-VALUE}); 0 skips the generator.")
  int families;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--febrl",
      description =
          "A FEBRL-format file (e.g. FEBRL dataset 3) to measure too; its soc_sec_id is not used.")
  Path febrl;

  @Option(
      names = "--out",
      defaultValue = "target/familylink-linkage",
      description = "Working folder for extracts and ground truth (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--home",
      defaultValue = ".familylink",
      description = "Folder of the local keyring's root key (default ${DEFAULT-VALUE}).")
  Path home;

  @Option(
      names = "--one-order",
      description = "Ingest only in the demo's order (faster; no order-difference figure).")
  boolean oneOrder;

  @Option(
      names = "--diagnose",
      description =
          "Also print where true pairs are lost: pair completeness of the blocking keys, and the "
              + "scorer's decision on the true pairs that share a block; and write each run's "
              + "placements (record, linked person ID) to <out>/<data>-<order>-placements.csv.")
  boolean diagnose;

  @Option(
      names = "--subject-access-every",
      defaultValue = "0",
      description =
          "In each order's run, before the last file is uploaded, send every N-th valid row of it"
              + " (its own identifiers) as a subject access request through the real service; after"
              + " the upload, count the answers that named exactly where ingest put the row (0, the"
              + " default: not checked).")
  int subjectAccessEvery;

  @Option(
      names = "--review",
      description =
          "After each order's run, work the possible-link review queue as a reviewer who could"
              + " see the ground truth would (simulated: link when most records of both persons"
              + " are one true person, else keep apart), through the real review service, and"
              + " measure again: what working the queue adds, and how many decisions it takes.")
  boolean review;

  @Option(
      names = "--model",
      description =
          "A match model JSON file (from --fit-model) to score tier 3 with instead of the shipped"
              + " one; 'prior' for the hand-set prior.")
  String modelFile;

  @Option(
      names = "--fit-model",
      description =
          "Instead of measuring: fit m/u by EM on the candidate pairs blocking produces on the"
              + " generated population (--families, --seed; never the ground truth) and write the"
              + " model to this JSON file.")
  Path fitModel;

  @Option(
      names = "--fit-u",
      defaultValue = "by-pass",
      description =
          "With --fit-model, how m and u are estimated: 'by-pass' (u from random record pairs; m by"
              + " EM on each blocking pass's pairs without the fields it blocks on, averaged),"
              + " 'random' (u from random pairs; m by EM on all candidate pairs) or 'em' (m and u"
              + " by EM on all candidate pairs). Default ${DEFAULT-VALUE}.")
  String fitU;

  @Option(
      names = "--fit-version",
      defaultValue = "fs-v2-em",
      description = "With --fit-model, the fitted model's version (default ${DEFAULT-VALUE}).")
  String fitVersion;

  /** Random record pairs scored to estimate u. */
  static final int RANDOM_PAIRS = 1_000_000;

  /**
   * One measured run.
   *
   * @param reviewed the queue worked after it ({@code --review}), else null
   * @param afterReview the same run measured after that, else null
   */
  record Run(
      String name,
      String order,
      LinkageQuality quality,
      long millis,
      TruthReviewer.Worked reviewed,
      LinkageQuality afterReview) {}

  @Override
  public Integer call() throws Exception {
    if (families < 0) {
      throw new IllegalArgumentException("--families must be 0 or more, was " + families);
    }
    if (subjectAccessEvery < 0) {
      throw new IllegalArgumentException(
          "--subject-access-every must be 0 or more, was " + subjectAccessEvery);
    }
    if (families == 0 && febrl == null) {
      throw new IllegalArgumentException("Nothing to measure: give --families above 0 or --febrl");
    }
    Files.createDirectories(out);
    // two runs in one working folder would overwrite each other's extracts and ground truth;
    // closing the channel releases the lock
    try (FileChannel channel =
        FileChannel.open(
            out.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      lockOrRefuse(channel);
      return measure();
    }
  }

  private void lockOrRefuse(FileChannel channel) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new CliException(
          "another linkage-quality run is using the working folder "
              + out
              + "; wait for it to finish or give this run its own --out");
    }
  }

  private Integer measure() throws Exception {
    Clock clock = Clock.systemUTC();
    PartnerContracts contracts = PartnerContracts.load(Optional.empty());
    if (fitModel != null) {
      return fit(contracts, clock);
    }
    MatchModel model = model();
    System.out.printf("Scoring with match model %s%n", model.version());
    List<Run> runs = new ArrayList<>();
    System.out.printf(
        "Targets: precision >= %.3f, recall >= %.3f, F1 difference between orders <= %.3f%n",
        TARGET_PRECISION, TARGET_RECALL, TARGET_F1_ORDER_DIFFERENCE);
    if (families > 0) {
      Path dir = out.resolve("generator");
      ExtractWriter.Summary summary =
          new ExtractWriter(contracts, Imperfections.realistic())
              .write(
                  new PopulationGenerator(seed, clock, LinkageErrors.realWorld()),
                  families,
                  dir.resolve("extracts"),
                  dir.resolve("ground-truth.csv"),
                  done -> {});
      System.out.printf(
          "Generator: %,d families, %,d people, %,d rows, every error kind (seed %d)%n",
          summary.families(), summary.people(), summary.totalRows(), seed);
      Map<String, Path> uploads = new LinkedHashMap<>();
      for (Dataset dataset : Dataset.values()) {
        Path file = summary.files().get(dataset);
        uploads.put(dataset.incomingKey(file.getFileName().toString()), file);
      }
      measureBothOrders("generator", uploads, summary.groundTruth(), 0.05, clock, model, runs);
    }
    if (febrl != null) {
      if (!Files.isRegularFile(febrl)) {
        throw new IllegalArgumentException("No FEBRL file at " + febrl);
      }
      FebrlExtracts.Written written = FebrlExtracts.write(febrl, contracts, out.resolve("febrl"));
      System.out.printf(
          "FEBRL file: %,d records (names, date of birth, address; soc_sec_id not used)%n",
          written.records());
      Map<String, Path> uploads = new LinkedHashMap<>();
      uploads.put(Dataset.POLICE_INCIDENTS.incomingKey("febrl-originals.csv"), written.originals());
      uploads.put(
          Dataset.POLICE_INCIDENTS.incomingKey("febrl-duplicates.csv"), written.duplicates());
      // The benchmark has records without a name or date of birth, which nothing can link; they
      // are refused row by row, and must not make the whole file refused (about 8% of its rows).
      measureBothOrders("febrl", uploads, written.groundTruth(), 0.5, clock, model, runs);
    }
    print(runs);
    return 0;
  }

  private void measureBothOrders(
      String name,
      Map<String, Path> uploads,
      Path groundTruth,
      double maxInvalidShare,
      Clock clock,
      MatchModel model,
      List<Run> runs)
      throws Exception {
    if (diagnose) {
      print(
          name,
          PairDiagnosis.measure(
              uploads,
              groundTruth,
              WorkingKeys.forIngest(new LocalKeyring(home.resolve("root.key"))),
              clock,
              model));
    }
    List<Map.Entry<String, Path>> order = new ArrayList<>(uploads.entrySet());
    runs.add(
        measure(
            name, "demo", order, groundTruth, maxInvalidShare, clock, model, subjectAccessEvery));
    if (!oneOrder) {
      Collections.reverse(order);
      runs.add(
          measure(
              name,
              "reversed",
              order,
              groundTruth,
              maxInvalidShare,
              clock,
              model,
              subjectAccessEvery));
    }
  }

  private Run measure(
      String name,
      String orderName,
      List<Map.Entry<String, Path>> order,
      Path groundTruth,
      double maxInvalidShare,
      Clock clock,
      MatchModel model,
      int askEvery)
      throws Exception {
    long start = System.nanoTime();
    try (EmbeddedAws aws = EmbeddedAws.start(EmbeddedAws.Options.defaults())) {
      LocalFamilyLink familyLink =
          new LocalFamilyLink(
              aws,
              home,
              clock,
              LocalFamilyLink.ingestConfig().withMaxInvalidShare(maxInvalidShare),
              model,
              // the same persons on every run with the same key and seed: before and after a
              // change differ by the change, not by which random ID won a tie
              new ReproduciblePersonIds(seed));
      IncomingPoller poller =
          new IncomingPoller(
              aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), familyLink.sink());
      SubjectAccessAgreement agreement = null;
      for (Map.Entry<String, Path> upload : order) {
        if (askEvery > 0 && upload == order.get(order.size() - 1)) {
          agreement =
              SubjectAccessAgreement.askBefore(
                  upload.getKey(),
                  upload.getValue(),
                  familyLink.subjectAccess(clock),
                  familyLink.keys().newTokeniser(),
                  clock,
                  askEvery);
        }
        aws.s3()
            .putObject(
                b -> b.bucket(aws.bucket()).key(upload.getKey()),
                RequestBody.fromFile(upload.getValue()));
        poller.pollOnce(); // one file at a time
      }
      LinkageQuality quality =
          LinkageQuality.measure(
              groundTruth,
              familyLink.linkedData(),
              familyLink.keys().newTokeniser(),
              clock.instant(),
              diagnose ? out.resolve(name + "-" + orderName + "-placements.csv") : null);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (agreement != null) {
        System.out.printf(
            "%s, %s order, last file: %s%n",
            name, orderName, agreement.compare(familyLink.linkedData()).describe());
      }
      if (!review) {
        return new Run(name, orderName, quality, millis, null, null);
      }
      Map<PersonId, PersonId> mergedInto =
          LinkageQuality.mergedInto(familyLink.linkedData(), clock.instant());
      TruthReviewer.Worked worked =
          TruthReviewer.work(
              familyLink.linkReviews(clock),
              LinkageQuality.truePersonOf(
                  groundTruth,
                  familyLink.linkedData(),
                  familyLink.keys().newTokeniser(),
                  clock.instant(),
                  mergedInto),
              mergedInto);
      LinkageQuality after =
          LinkageQuality.measure(
              groundTruth,
              familyLink.linkedData(),
              familyLink.keys().newTokeniser(),
              clock.instant());
      return new Run(name, orderName, quality, millis, worked, after);
    }
  }

  private MatchModel model() throws java.io.IOException {
    if (modelFile == null) {
      return MatchModel.shipped();
    }
    if (modelFile.equals("prior")) {
      return MatchModel.prior();
    }
    return MatchModel.fromJson(Files.readAllBytes(Path.of(modelFile)));
  }

  /** Fits a model on the generated population's candidate pairs; the ground truth is not read. */
  private int fit(PartnerContracts contracts, Clock clock) throws Exception {
    if (families == 0) {
      throw new IllegalArgumentException("--fit-model fits on the generator: give --families");
    }
    if (!List.of("by-pass", "random", "em").contains(fitU)) {
      throw new IllegalArgumentException(
          "--fit-u must be 'by-pass', 'random' or 'em', was " + fitU);
    }
    Path dir = out.resolve("fit");
    ExtractWriter.Summary summary =
        new ExtractWriter(contracts, Imperfections.realistic())
            .write(
                new PopulationGenerator(seed, clock, LinkageErrors.realWorld()),
                families,
                dir.resolve("extracts"),
                dir.resolve("ground-truth.csv"),
                done -> {});
    Map<String, Path> uploads = new LinkedHashMap<>();
    for (Dataset dataset : Dataset.values()) {
      Path file = summary.files().get(dataset);
      uploads.put(dataset.incomingKey(file.getFileName().toString()), file);
    }
    WorkingKeys keys = WorkingKeys.forIngest(new LocalKeyring(home.resolve("root.key")));
    List<CandidatePairs.Seen> records =
        new ArrayList<>(CandidatePairs.read(uploads, keys, clock).values());
    MatchModel start = MatchModel.prior();
    MatchScorer scorer = new MatchScorer(start);
    MatchModelFit.Result result;
    if (fitU.equals("em")) {
      result =
          MatchModelFit.fit(
              start, CandidatePairs.blockedPatterns(records, scorer), null, fitVersion);
    } else {
      MatchModelFit.Patterns random =
          CandidatePairs.randomPatterns(records, scorer, RANDOM_PAIRS, seed);
      result =
          fitU.equals("random")
              ? MatchModelFit.fit(
                  start, CandidatePairs.blockedPatterns(records, scorer), random, fitVersion)
              : MatchModelFit.fitByPass(
                  start, CandidatePairs.blockedPatternsByPass(records, scorer), random, fitVersion);
    }
    Files.writeString(fitModel, result.model().toJson());
    System.out.printf(
        "Fitted %s on %,d records (generator, %,d families, seed %d): %,d candidate pairs, %,d"
            + " random pairs for u; match share %.4f; %d EM iterations%s%n",
        fitVersion,
        records.size(),
        families,
        seed,
        result.candidatePairs(),
        result.randomPairs(),
        result.matchShare(),
        result.iterations(),
        result.converged() ? "" : " (NOT converged)");
    System.out.printf(
        "%-14s %-10s %9s %9s %7s   %9s %9s %7s%n",
        "field", "level", "m prior", "u prior", "w", "m fitted", "u fitted", "w");
    for (var f : start.mu().entrySet()) {
      for (var l : f.getValue().keySet()) {
        System.out.printf(
            "%-14s %-10s %9.5f %9.6f %7.2f   %9.5f %9.6f %7.2f%n",
            f.getKey(),
            l,
            start.m(f.getKey(), l),
            start.u(f.getKey(), l),
            start.weight(f.getKey(), l),
            result.model().m(f.getKey(), l),
            result.model().u(f.getKey(), l),
            result.model().weight(f.getKey(), l));
      }
    }
    System.out.printf("Wrote %s%n", fitModel);
    return 0;
  }

  static void print(String name, PairDiagnosis d) {
    System.out.printf(
        "%s: pair completeness %.4f of all true pairs (%.4f of pairs of valid records; any route"
            + " incl. strong and composite keys %.4f); %,d true pairs, %,d of valid records, %,d"
            + " share a block%n",
        name,
        d.pairCompleteness(),
        d.pairCompletenessOfValid(),
        d.anyRouteCompleteness(),
        d.truePairs(),
        d.validPairs(),
        d.blockedPairs());
    System.out.printf("%s: scorer on blocked true pairs alone: %s%n", name, d.decisions());
    System.out.printf(
        "%s: scorer on all %,d blocked pairs alone: %,d links, %,d of different persons"
            + " (precision %.4f)%n",
        name,
        d.candidatePairs(),
        d.candidateLinks(),
        d.falseCandidateLinks(),
        d.candidatePrecision());
    d.missedPatterns().forEach((k, v) -> System.out.printf("  %,7d  %s%n", v, k));
  }

  static void print(List<Run> runs) {
    System.out.println();
    System.out.printf(
        "%-10s %-9s %8s %8s %9s %9s %8s %8s %8s %8s  %s%n",
        "data",
        "order",
        "records",
        "stored",
        "true-prs",
        "linked-prs",
        "prec",
        "recall",
        "rec(st)",
        "F1",
        "verdict");
    for (Run run : runs) {
      LinkageQuality q = run.quality();
      boolean met = q.precision() >= TARGET_PRECISION && q.recallOfAllRecords() >= TARGET_RECALL;
      System.out.printf(
          "%-10s %-9s %,8d %,8d %,9d %,9d %8.4f %8.4f %8.4f %8.4f  %s (%d ms)%n",
          run.name(),
          run.order(),
          q.allRecords(),
          q.records(),
          q.allTruePairs(),
          q.linkedPairs(),
          q.precision(),
          q.recallOfAllRecords(),
          q.recall(),
          q.f1(),
          met ? "met" : "NOT MET",
          run.millis());
    }
    System.out.println("(recall counts every true pair; rec(st) only pairs of stored records)");
    for (int i = 0; i + 1 < runs.size(); i++) {
      Run a = runs.get(i);
      Run b = runs.get(i + 1);
      if (a.name().equals(b.name())) {
        double diff = Math.abs(a.quality().f1() - b.quality().f1());
        System.out.printf(
            "%s: F1 difference between upload orders %.4f (target <= %.3f: %s)%n",
            a.name(),
            diff,
            TARGET_F1_ORDER_DIFFERENCE,
            diff <= TARGET_F1_ORDER_DIFFERENCE ? "met" : "NOT MET");
      }
    }
    if (runs.stream().anyMatch(r -> r.reviewed() != null)) {
      System.out.println(
          "After the review queue was worked with the ground truth as reviewer (simulated; the"
              + " data team decides on AWS and with `review` locally):");
      for (Run run : runs) {
        TruthReviewer.Worked w = run.reviewed();
        LinkageQuality q = run.afterReview();
        System.out.printf(
            "  %-10s %-9s %,d pending: %,d linked, %,d kept apart, %,d refused; precision %.4f"
                + " recall %.4f F1 %.4f (%s)%n",
            run.name(),
            run.order(),
            w.pending(),
            w.linked(),
            w.keptApart(),
            w.refused(),
            q.precision(),
            q.recallOfAllRecords(),
            q.f1(),
            q.precision() >= TARGET_PRECISION && q.recallOfAllRecords() >= TARGET_RECALL
                ? "met"
                : "NOT MET");
      }
    }
    System.out.println("Link rate (true pairs linked) by age band of the true person:");
    for (Run run : runs) {
      StringBuilder line =
          new StringBuilder(String.format("  %-10s %-9s", run.name(), run.order()));
      for (String band : ExtractWriter.AGE_BANDS) {
        double rate = run.quality().linkRate(band);
        if (!Double.isNaN(rate)) {
          line.append(String.format(" %s:%.3f", band, rate));
        }
      }
      System.out.println(line);
    }
  }
}
