package uk.familylink.domain.outputs;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.identification.CaseloadAnswer;
import uk.familylink.domain.identification.IdentificationList;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.ingest.ObjectStore;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.outcome.FamilyOutcomes;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.pseudonym.Tokeniser;

/**
 * Produces the family-level outputs of the purposes a deployment serves, and answers partners'
 * caseloads (identification only). Every run and every caseload answer is audited before it returns
 * (P8: who, when, purpose, counts; never an identifier or token).
 *
 * <p>One read of the live population per run ({@link PopulationProfile#histories}); see decision
 * record 0161 for its cost and the access pattern.
 */
public final class FamilyOutputs {

  /** Audit kind of a run (lists and evaluation datasets written). */
  public static final String AUDIT_OUTPUTS = AuditEvent.Outputs.KIND;

  /** Audit kind of a caseload answer. */
  public static final String AUDIT_CASELOAD = AuditEvent.CaseloadAnswered.KIND;

  /** Column of a caseload file holding the partner's family reference. */
  public static final String CASELOAD_COLUMN = "family_ref";

  /** Most rows a caseload may have (a county's Early Help caseload is a few thousand). */
  public static final int MAX_CASELOAD_ROWS = 1_000_000;

  /**
   * What a run produces and where.
   *
   * @param outputsBucket bucket of the run's outputs (the exports bucket)
   * @param outputsPrefix prefix under it, ending in '/', e.g. {@code outputs/}
   */
  public record Settings(
      Set<Purpose> purposes,
      String outputsBucket,
      String outputsPrefix,
      EligibilityRule rule,
      OutcomeSettings outcomes,
      Map<String, Integer> contractVersions) {
    public Settings {
      purposes = Set.copyOf(purposes);
      contractVersions = Map.copyOf(contractVersions);
      if (!outputsPrefix.endsWith("/")) {
        throw new IllegalArgumentException("outputsPrefix must end with '/'");
      }
    }
  }

  /** What a run wrote: object keys and the counts the audit holds. */
  public record RunResult(LocalDate asOf, List<String> keys, Map<String, Long> counts) {}

  /** A caseload that cannot be answered as sent (the message never quotes the file). */
  public static final class CaseloadRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaseloadRefused(String message) {
      super(message);
    }
  }

  private final LinkedDataReader reader;
  private final ObjectStore store;
  private final AuditLog audit;
  private final Clock clock;
  private final Settings settings;
  private final Tokeniser tokeniser;
  private final LongSupplier expiresAt;

  /**
   * Wires the service to its ports.
   *
   * @param tokeniser the token working key's tokeniser, null for an evaluation-only deployment
   *     (which then cannot pseudonymise a caseload at all)
   * @param expiresAt the data's expiry (epoch seconds) for audit entries
   */
  public FamilyOutputs(
      LinkedDataReader reader,
      ObjectStore store,
      AuditLog audit,
      Clock clock,
      Settings settings,
      Tokeniser tokeniser,
      LongSupplier expiresAt) {
    this.reader = reader;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.tokeniser = tokeniser;
    this.expiresAt = expiresAt;
  }

  /** Writes the outputs of every configured purpose under {@code <prefix><as-of date>/}. */
  public RunResult run(String requester) {
    Instant now = clock.instant();
    LocalDate asOf = LocalDate.ofInstant(now, ZoneOffset.UTC);
    PopulationProfile.Population population =
        PopulationProfile.histories(reader, now, settings.rule());
    String base = settings.outputsPrefix() + asOf + "/";
    Map<String, String> files = new LinkedHashMap<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("families", (long) population.families().size());
    if (settings.purposes().contains(Purpose.EVALUATION)) {
      FamilyOutcomes outcomes = FamilyOutcomes.of(population.families(), asOf, settings.outcomes());
      files.putAll(OutputFiles.evaluation(outcomes));
      counts.put("interventions", (long) outcomes.outcomes().size());
      counts.put("sustainedProgress", (long) outcomes.sustainedProgress().size());
      counts.put("childReferrals", outcomes.children().total().referrals());
      counts.put("familyReferrals", outcomes.families().total().referrals());
    }
    if (settings.purposes().contains(Purpose.IDENTIFICATION)) {
      IdentificationList list =
          IdentificationList.of(
              population.families(), asOf, settings.rule(), settings.contractVersions());
      files.putAll(OutputFiles.identification(list));
      counts.put("eligibleFamilies", (long) list.families().size());
    }
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      String key = base + f.getKey();
      store.put(
          settings.outputsBucket(),
          key,
          f.getValue().getBytes(StandardCharsets.UTF_8),
          f.getKey().endsWith(".csv") ? "text/csv; charset=utf-8" : "text/plain; charset=utf-8");
      keys.add(key);
    }
    audit.append(
        new AuditEvent.Outputs(
                requester,
                settings.purposes().stream().map(Enum::name).sorted().toList(),
                asOf,
                keys.size(),
                counts)
            .entry(now, expiresAt.getAsLong()));
    return new RunResult(asOf, List.copyOf(keys), counts);
  }

  /**
   * Answers a partner's caseload file (a CSV with a {@code family_ref} column): writes {@code
   * reports/<partner>/caseload/<file>.eligibility.csv} and {@code .summary.txt} to {@code
   * reportsBucket}. Matching is limited to families {@code dataset} named ({@link CaseloadAnswer}).
   *
   * @return the keys written
   */
  public List<String> answerCaseload(
      String partner, String dataset, String fileName, InputStream csv, String reportsBucket) {
    if (!settings.purposes().contains(Purpose.IDENTIFICATION) || tokeniser == null) {
      throw new IllegalStateException("identification is not a purpose of this deployment");
    }
    Instant now = clock.instant();
    LocalDate asOf = LocalDate.ofInstant(now, ZoneOffset.UTC);
    List<String> tokens = caseloadTokens(csv);
    PopulationProfile.Population population =
        PopulationProfile.histories(reader, now, settings.rule());
    IdentificationList list =
        IdentificationList.of(
            population.families(), asOf, settings.rule(), settings.contractVersions());
    CaseloadAnswer answer = CaseloadAnswer.answer(dataset, tokens, list, population.families());
    String base = "reports/" + partner + "/caseload/" + fileName;
    store.put(
        reportsBucket,
        base + ".eligibility.csv",
        OutputFiles.caseloadCsv(answer).getBytes(StandardCharsets.UTF_8),
        "text/csv; charset=utf-8");
    store.put(
        reportsBucket,
        base + ".summary.txt",
        OutputFiles.caseloadSummary(answer, list.datasets()).getBytes(StandardCharsets.UTF_8),
        "text/plain; charset=utf-8");
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (CaseloadAnswer.Status s : CaseloadAnswer.Status.values()) {
      byStatus.put(s.name().toLowerCase(Locale.ROOT), answer.count(s));
    }
    audit.append(
        new AuditEvent.CaseloadAnswered(
                partner,
                dataset,
                asOf,
                answer.rows().size(),
                byStatus,
                answer.eligibleNotInCaseload())
            .entry(now, expiresAt.getAsLong()));
    return List.of(base + ".eligibility.csv", base + ".summary.txt");
  }

  /** Prefix of caseload uploads: {@code caseload/<partner>/<dataset>/<file>.csv}. */
  public static final String CASELOAD_PREFIX = "caseload/";

  /** How an uploaded caseload object was handled. */
  public enum CaseloadOutcome {
    ANSWERED,
    REFUSED,
    /** Not a caseload key, or the uploader is not the partner the key names: left to expire. */
    IGNORED
  }

  /**
   * Handles one uploaded caseload object: checks the key names a partner and one of its datasets
   * and that the uploader is that partner, answers it under the partner's own {@code reports/}
   * prefix (a refusal gets a summary saying why), then deletes the upload (P2).
   *
   * @param uploaderMatches (partner, principal) → whether the principal is the partner's role
   * @param allowed (partner, dataset) → whether the partner sends that dataset
   */
  public CaseloadOutcome caseload(
      String bucket,
      String key,
      String eTag,
      String principal,
      java.util.function.BiPredicate<String, String> uploaderMatches,
      java.util.function.BiPredicate<String, String> allowed) {
    String[] parts = key.startsWith(CASELOAD_PREFIX) ? key.split("/", -1) : new String[0];
    if (parts.length != 4 || parts[1].isEmpty() || parts[2].isEmpty() || parts[3].isEmpty()) {
      return CaseloadOutcome.IGNORED;
    }
    String partner = parts[1];
    String dataset = parts[2];
    String file = parts[3];
    if (!uploaderMatches.test(partner, principal)) {
      return CaseloadOutcome.IGNORED;
    }
    CaseloadOutcome outcome;
    if (!allowed.test(partner, dataset)) {
      refuse(bucket, partner, file, "the partner does not send the dataset the key names");
      outcome = CaseloadOutcome.REFUSED;
    } else {
      try (InputStream in = store.open(bucket, key, eTag)) {
        answerCaseload(partner, dataset, file, in, bucket);
        outcome = CaseloadOutcome.ANSWERED;
      } catch (CaseloadRefused e) {
        refuse(bucket, partner, file, e.getMessage());
        outcome = CaseloadOutcome.REFUSED;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "caseload could not be read", new IOException("read failed"));
      }
    }
    store.delete(bucket, key);
    return outcome;
  }

  private void refuse(String bucket, String partner, String file, String reason) {
    Instant now = clock.instant();
    store.put(
        bucket,
        "reports/" + partner + "/caseload/" + file + ".summary.txt",
        ("FamilyLink caseload refused: " + reason + "\n").getBytes(StandardCharsets.UTF_8),
        "text/plain; charset=utf-8");
    audit.append(new AuditEvent.CaseloadRefused(partner, reason).entry(now, expiresAt.getAsLong()));
  }

  /** Each data row's keyed family-reference pseudonym (null for an invalid reference). */
  List<String> caseloadTokens(InputStream csv) {
    List<String> tokens = new ArrayList<>();
    try (CsvReader<CsvRecord> rows =
        CsvReader.builder()
            .skipEmptyLines(true)
            .ofCsvRecord(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
      int column = -1;
      for (CsvRecord row : rows) {
        if (column < 0) {
          for (int i = 0; i < row.getFieldCount(); i++) {
            String name = row.getField(i).replace("\uFEFF", "").trim();
            if (CASELOAD_COLUMN.equalsIgnoreCase(name)) {
              column = i;
            }
          }
          if (column < 0) {
            throw new CaseloadRefused("the caseload header has no " + CASELOAD_COLUMN + " column");
          }
          continue;
        }
        if (tokens.size() >= MAX_CASELOAD_ROWS) {
          throw new CaseloadRefused("the caseload has more than " + MAX_CASELOAD_ROWS + " rows");
        }
        String raw = column < row.getFieldCount() ? row.getField(column) : null;
        String normalised = Identifiers.normalise(IdentifierKind.FAMILY_REF, raw);
        tokens.add(
            normalised == null ? null : tokeniser.token(IdentifierKind.FAMILY_REF, normalised));
      }
      if (column < 0) {
        throw new CaseloadRefused("the caseload is empty");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("caseload could not be read", new IOException("read failed"));
    } catch (RuntimeException e) {
      if (e instanceof CaseloadRefused) {
        throw e;
      }
      // FastCSV's messages may quote the file; say only that it is not readable CSV.
      throw new CaseloadRefused("the caseload is not readable CSV");
    }
    return tokens;
  }
}
