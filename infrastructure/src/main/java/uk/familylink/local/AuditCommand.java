package uk.familylink.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.retention.RetentionRestamp;
import uk.familylink.domain.retention.RetentionSweep;
import uk.familylink.domain.retention.TtlEvidence;

/**
 * Lists the audit trail by date range and kind, one partition query per day (never a scan). The
 * local stores live for one run, so the extracts given with {@code --extract} are ingested first
 * and the listing shows the entries that produced.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "List audit entries by date range (UTC days, inclusive) and kind: one query per day, never a scan.",
      "Reads the workspace (or the running serve's stores); --extract <dataset>=<file.csv> ingests an extract first.",
      "Dates as yyyy-MM-dd or dd/MM/yyyy. Exit status: 0 listed (perhaps nothing), 2 a usage error."
    })
final class AuditCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--from", description = "First day (default: today, UTC).")
  LocalDate from;

  @Option(names = "--to", description = "Last day (default: the first day).")
  LocalDate to;

  /** The kinds of entry the functions write; another is refused rather than listing nothing. */
  static final List<String> KINDS =
      List.of(
          "INGEST",
          SubjectAccess.AUDIT_KIND,
          uk.familylink.domain.audit.AuditEvent.LinkReviewDecision.KIND,
          uk.familylink.domain.audit.AuditEvent.MergeSplit.KIND,
          RetentionSweep.AUDIT_KIND,
          RetentionRestamp.AUDIT_KIND,
          TtlEvidence.AUDIT_KIND);

  @Option(
      names = "--kind",
      description =
          "Only entries of this kind: INGEST, SUBJECT_ACCESS, LINK_REVIEW, MERGE_SPLIT, DESTRUCTION,"
              + " RESTAMP, TTL_DELETIONS.")
  String kind;

  @Option(names = "--json", description = "One JSON object a line instead of text.")
  boolean json;

  @Option(
      names = "--totals",
      description =
          "Instead of the entries, TTL deletions per day and kind (from TTL_DELETIONS entries).")
  boolean totals;

  @Option(
      names = "--extract",
      paramLabel = "DATASET=FILE",
      description = "An extract to ingest first (repeatable).")
  Map<String, Path> extracts = new LinkedHashMap<>();

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    if (kind != null) {
      kind = kind.trim().toUpperCase(java.util.Locale.ROOT);
      if (!KINDS.contains(kind)) {
        throw new CliException("--kind must be one of " + String.join(", ", KINDS));
      }
    }
    LocalDate first = from == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : from;
    LocalDate last = to == null ? first : to;
    try (LocalSession session =
        LocalSession.open(workspace, LocalCommands.embedded(), clock, true)) {
      LocalFamilyLink familyLink = session.familyLink();
      LocalExtracts.ingest(familyLink, extracts, clock, System.err);
      if (totals) {
        return printTotals(
            LocalExtracts.auditTrail(familyLink).list(first, last, TtlEvidence.AUDIT_KIND),
            first,
            last);
      }
      List<AuditEntry> entries = LocalExtracts.auditTrail(familyLink).list(first, last, kind);
      for (AuditEntry e : entries) {
        System.out.println(json ? JSON.writeValueAsString(asMap(e)) : asText(e));
      }
      System.err.printf(
          "%d audit entries from %s to %s%s%n",
          entries.size(), first, last, kind == null ? "" : " of kind " + kind);
      return 0;
    }
  }

  private int printTotals(List<AuditEntry> entries, LocalDate first, LocalDate last)
      throws Exception {
    if (kind != null && !kind.isBlank() && !TtlEvidence.AUDIT_KIND.equalsIgnoreCase(kind.trim())) {
      System.err.println(
          "--totals sums "
              + TtlEvidence.AUDIT_KIND
              + " entries; leave out --kind or give that kind");
      return 2;
    }
    SortedMap<LocalDate, SortedMap<String, Long>> byDay = TtlEvidence.dailyTotals(entries);
    for (Map.Entry<LocalDate, SortedMap<String, Long>> day : byDay.entrySet()) {
      System.out.println(
          json
              ? JSON.writeValueAsString(totalsAsMap(day.getKey(), day.getValue()))
              : totalsAsText(day.getKey(), day.getValue()));
    }
    System.err.printf("TTL deletions on %d of the days from %s to %s%n", byDay.size(), first, last);
    return 0;
  }

  static String totalsAsText(LocalDate day, SortedMap<String, Long> totals) {
    List<String> parts = new ArrayList<>();
    totals.forEach((k, v) -> parts.add(k + "=" + v));
    return day + "  " + TtlEvidence.AUDIT_KIND + "  " + String.join(" ", parts);
  }

  private static Map<String, Object> totalsAsMap(LocalDate day, SortedMap<String, Long> totals) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("day", day.toString());
    m.putAll(totals);
    return m;
  }

  static String asText(AuditEntry e) {
    List<String> details = new ArrayList<>();
    new java.util.TreeMap<>(e.details()).forEach((k, v) -> details.add(k + "=" + v));
    return e.at() + "  " + e.kind() + "  " + String.join(" ", details);
  }

  private static Map<String, Object> asMap(AuditEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("at", e.at().toString());
    m.put("kind", e.kind());
    m.put("details", new java.util.TreeMap<>(e.details()));
    m.put("expiresAt", e.expiresAt());
    return m;
  }
}
