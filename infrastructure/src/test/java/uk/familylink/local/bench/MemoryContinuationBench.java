package uk.familylink.local.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import uk.familylink.adapter.aws.S3ObjectStore;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.ingest.Continuations;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestService.UploadedObject;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.ingest.Sleeper;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryFileLedger;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.handler.IngestHandler;
import uk.familylink.handler.IngestWiring;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * {@code bench continuation} over the in-memory link store, file ledger and audit log instead of
 * DynamoDB Local: the same real handler, continuation path, embedded S3 and checks, without
 * DynamoDB Local's ~220 rows/s here, so that a 2,000,000-row file fits a working session. The
 * in-memory link store is held to the adapter's contract by {@code LinkStoreContract}. It lives
 * with the tests because the fakes do (they are not part of the local tool); run it with the test
 * class path (README, "Performance"):
 *
 * <pre>
 * java -cp ... uk.familylink.local.bench.MemoryContinuationBench --rows 2000000 --slice-seconds 20
 * </pre>
 */
public final class MemoryContinuationBench implements ContinuationBenchCommand.Store {

  private final InMemoryLinkedData linked = new InMemoryLinkedData();
  private final InMemoryFileLedger ledger = new InMemoryFileLedger();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  @Override
  public IngestHandler handler(
      EmbeddedAws aws, Path work, IngestSettings settings, Continuations continuations) {
    Clock clock = Clock.systemUTC();
    return new IngestHandler(
        new IngestService(
            ContractRegistry.fromClasspath(),
            new S3ObjectStore(aws.s3()),
            linked,
            ledger,
            audit,
            WorkingKeys.forIngest(new LocalKeyring(work.resolve("root.key"))),
            settings,
            clock,
            IngestWiring::newPersonId,
            continuations,
            Sleeper.REAL));
  }

  @Override
  public ContinuationBenchCommand.Tally tally(EmbeddedAws aws, UploadedObject upload) {
    var population = new ContinuationBenchCommand.PopulationCheck();
    var now = Clock.systemUTC().instant();
    linked.forEachRecord(
        now, r -> population.record(r.dataset() + "#" + r.recordToken(), r.person().value()));
    linked.forEachPerson(now, p -> population.person(p.id().value(), p.isActive()));
    long rowsValid = -1;
    long rowsLinked = -1;
    long ingestEntries = 0;
    for (AuditEntry entry : audit.entries()) {
      if ("INGEST".equals(entry.kind())) {
        ingestEntries++;
        rowsValid = ((Number) entry.details().get("rowsValid")).longValue();
        rowsLinked = ((Number) entry.details().get("rowsLinked")).longValue();
      }
    }
    String status = ledger.status(IngestService.fileId(upload));
    return population.tally(status == null ? "NONE" : status, rowsValid, rowsLinked, ingestEntries);
  }

  /** {@code --rows N --slice-seconds S --seed N --max-invocations N}, as the command's options. */
  public static void main(String[] args) throws Exception {
    long rows = 2_000_000;
    double slice = 20;
    long seed = 20260301;
    int maxInvocations = 100_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(args[i + 1]);
        case "--slice-seconds" -> slice = Double.parseDouble(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--max-invocations" -> maxInvocations = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    out.println("store: in-memory link store, file ledger and audit log (not DynamoDB Local)");
    ContinuationBenchCommand.header(out);
    var result =
        ContinuationBenchCommand.run(
            rows, slice, seed, maxInvocations, out, new MemoryContinuationBench());
    System.exit(ContinuationBenchCommand.report(result, out));
  }
}
