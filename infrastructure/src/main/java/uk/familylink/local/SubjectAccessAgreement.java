package uk.familylink.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import uk.familylink.domain.access.SubjectAccess;
import uk.familylink.domain.access.SubjectAccessAnswer;
import uk.familylink.domain.access.SubjectAccessAnswer.RecordView;
import uk.familylink.domain.access.SubjectAccessException;
import uk.familylink.domain.access.SubjectAccessRequest;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.Tokeniser;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ValidationPolicy;

/**
 * Issue 9 item 6 measured on a whole population, on rows the service has not seen: before the last
 * file is uploaded, every N-th valid row of it is sent (its own identifiers, as the DPO would type
 * them) as a subject access request through the real service; after the upload, each answer is
 * compared with where ingest put that row. They agree when the answer holds exactly the records,
 * stored before the last file, of the person the row joined (none, when ingest gave the row a new
 * person). Runs beside the service like {@link LinkageQuality}: the plaintext comes from the
 * extract on disk, never from the store.
 *
 * <p>Rows of the last file can also change each other's placement (two rows of one household
 * corroborate each other; a row bridges two persons), which a request asked alone cannot foresee:
 * such rows are counted as disagreements, not excused.
 */
final class SubjectAccessAgreement {

  /** A request sent before the row was ingested, and what it answered. */
  private record Asked(String recordKey, Set<RecordView> answered, String basis) {}

  /**
   * @param asked rows sent as a request (rows without a strong identifier or full name and birth
   *     date cannot be asked and are not counted)
   * @param agreed the answer was exactly the earlier records of the person the row joined
   * @param answeredButNew the answer named someone; ingest gave the row a new person
   * @param emptyButLinked the answer was empty; ingest linked the row to earlier records
   * @param different both named earlier records, not the same ones
   * @param byBasis agreed answers by how the request was matched ("NONE": both found nobody)
   * @param disagreedBy disagreements by how ingest linked the row (HOUSEHOLD: corroborated by a
   *     household member in the file; TIER_3: by score, perhaps with the file's family reference;
   *     DETERMINISTIC: an identifier or exact key, perhaps one another row of the file claimed)
   */
  record Result(
      long asked,
      long agreed,
      long answeredButNew,
      long emptyButLinked,
      long different,
      Map<String, Long> byBasis,
      Map<String, Long> disagreedBy) {

    double rate() {
      return asked == 0 ? Double.NaN : (double) agreed / asked;
    }

    String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "subject access, asked before the row arrived, named where ingest then put it: %d of %d"
              + " (%.4f); answered someone but ingest made a new person %d, answered nobody but"
              + " ingest linked %d, other records %d; agreed by %s; disagreed where ingest linked by"
              + " %s",
          agreed,
          asked,
          rate(),
          answeredButNew,
          emptyButLinked,
          different,
          byBasis,
          disagreedBy);
    }
  }

  private final String dataset;
  private final Path file;
  private final Tokeniser tokeniser;
  private final Clock clock;
  private final List<Asked> asked = new ArrayList<>();
  private final Set<String> fileRecords = new HashSet<>();

  private SubjectAccessAgreement(String dataset, Path file, Tokeniser tokeniser, Clock clock) {
    this.dataset = dataset;
    this.file = file;
    this.tokeniser = tokeniser;
    this.clock = clock;
  }

  /**
   * Asks for every {@code every}-th valid row of the file about to be uploaded under {@code key}
   * (incoming/&lt;partner&gt;/&lt;dataset&gt;/&lt;file&gt;).
   */
  static SubjectAccessAgreement askBefore(
      String key, Path file, SubjectAccess access, Tokeniser tokeniser, Clock clock, int every)
      throws IOException {
    SubjectAccessAgreement check =
        new SubjectAccessAgreement(key.split("/", -1)[2], file, tokeniser, clock);
    check.ask(access, every);
    return check;
  }

  private void ask(SubjectAccess access, int every) throws IOException {
    DatasetContract contract =
        ContractRegistry.fromClasspath()
            .find(dataset)
            .orElseThrow(() -> new IllegalArgumentException("no contract " + dataset));
    ExtractValidator validator =
        new ExtractValidator(
            contract, ValidationPolicy.DEFAULTS.overriddenBy(contract.limits()), clock);
    RowPseudonymiser tokens = new RowPseudonymiser(tokeniser, dataset);
    long[] seen = {0};
    try (InputStream in = Files.newInputStream(file)) {
      validator.validate(
          in,
          row -> {
            String recordKey = dataset + "|" + tokens.pseudonymise(row).recordToken();
            fileRecords.add(recordKey);
            if (seen[0]++ % every != 0) {
              return;
            }
            Map<IdentifierKind, String> ids = new EnumMap<>(IdentifierKind.class);
            row.identifiers()
                .forEach(
                    (kind, value) -> {
                      if (SubjectAccessRequest.FIELDS.containsKey(kind)) {
                        ids.put(kind, value);
                      }
                    });
            SubjectAccessAnswer answer;
            try {
              answer = access.answer(new SubjectAccessRequest(ids, "linkage-quality", "agreement"));
            } catch (SubjectAccessException cannotBeAsked) {
              return;
            }
            asked.add(
                new Asked(
                    recordKey,
                    Set.copyOf(answer.records()),
                    answer.match() == null ? "NONE" : answer.match().basis()));
          });
    }
  }

  /** After the upload: compares each answer with where the row went. */
  Result compare(LinkedDataReader linked) {
    Instant now = clock.instant();
    Map<PersonId, PersonId> mergedInto = LinkageQuality.mergedInto(linked, now);
    Map<String, LinkedRecord> byKey = new HashMap<>();
    Map<PersonId, Set<RecordView>> earlierRecords = new HashMap<>();
    linked.forEachRecord(
        now,
        r -> {
          String key = r.dataset() + "|" + r.recordToken();
          byKey.put(key, r);
          Set<RecordView> earlier =
              earlierRecords.computeIfAbsent(
                  LinkageQuality.survivor(r.person(), mergedInto), p -> new HashSet<>());
          if (!fileRecords.contains(key)) {
            earlier.add(RecordView.of(r));
          }
        });
    long agreed = 0;
    long answeredButNew = 0;
    long emptyButLinked = 0;
    long different = 0;
    long count = 0;
    Map<String, Long> byBasis = new TreeMap<>();
    Map<String, Long> disagreedBy = new TreeMap<>();
    for (Asked a : asked) {
      LinkedRecord stored = byKey.get(a.recordKey());
      if (stored == null) {
        continue; // not stored (a duplicate record_ref that lost)
      }
      count++;
      Set<RecordView> expected =
          earlierRecords.get(LinkageQuality.survivor(stored.person(), mergedInto));
      if (expected.equals(a.answered())) {
        agreed++;
        byBasis.merge(a.basis(), 1L, Long::sum);
        continue;
      }
      disagreedBy.merge(linkedBy(stored), 1L, Long::sum);
      if (expected.isEmpty()) {
        answeredButNew++;
      } else if (a.answered().isEmpty()) {
        emptyButLinked++;
      } else {
        different++;
      }
    }
    return new Result(
        count, agreed, answeredButNew, emptyButLinked, different, byBasis, disagreedBy);
  }

  private static String linkedBy(LinkedRecord r) {
    Map<String, String> a = r.attributes() == null ? Map.of() : r.attributes();
    if ("HOUSEHOLD".equals(a.get("link_corroboration"))) {
      return "HOUSEHOLD";
    }
    return "3".equals(a.get("link_tier")) ? "TIER_3" : "DETERMINISTIC";
  }
}
