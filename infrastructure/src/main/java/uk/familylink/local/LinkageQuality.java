package uk.familylink.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.Tokeniser;

/**
 * Pairwise precision and recall of the linked persons against the generator's ground truth. The
 * ground truth never reaches the service: this runs beside it, re-deriving each record's token with
 * the same keys, and compares who was put with whom.
 *
 * @param records ground-truth records found in the store
 * @param truePairs record pairs that are truly the same person
 * @param linkedPairs record pairs the service put in the same person
 * @param correctPairs pairs in both
 */
public record LinkageQuality(
    long records,
    long truePairs,
    long linkedPairs,
    long correctPairs,
    long truePersons,
    long linkedPersons) {

  public double precision() {
    return linkedPairs == 0 ? 1.0 : (double) correctPairs / linkedPairs;
  }

  public double recall() {
    return truePairs == 0 ? 1.0 : (double) correctPairs / truePairs;
  }

  public static LinkageQuality measure(
      Path groundTruth, LinkedDataReader reader, Tokeniser tokeniser, Instant now)
      throws IOException {
    Map<PersonId, PersonId> mergedInto = new HashMap<>();
    reader.forEachPerson(
        now,
        p -> {
          if (!p.isActive()) {
            mergedInto.put(p.id(), p.mergedInto());
          }
        });
    Map<String, PersonId> personByRecord = new HashMap<>();
    reader.forEachRecord(
        now,
        r -> {
          PersonId p = r.person();
          for (int i = 0; i < 64 && mergedInto.containsKey(p); i++) {
            p = mergedInto.get(p);
          }
          personByRecord.put(r.dataset() + "|" + r.recordToken(), p);
        });

    Map<String, Long> cell = new HashMap<>();
    Map<String, Long> truth = new HashMap<>();
    Map<PersonId, Long> linked = new HashMap<>();
    long records = 0;
    try (BufferedReader in = Files.newBufferedReader(groundTruth, StandardCharsets.UTF_8)) {
      String line = in.readLine(); // header: dataset,record_ref,person_id,...
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",", -1);
        String ref = Identifiers.normalise(IdentifierKind.RECORD_REF, f[1]);
        if (ref == null) {
          continue;
        }
        PersonId person =
            personByRecord.get(
                f[0] + "|" + tokeniser.token(RowPseudonymiser.recordRefLabel(f[0]), ref));
        if (person == null) {
          continue; // an invalid row, rejected by validation
        }
        records++;
        cell.merge(person.value() + "|" + f[2], 1L, Long::sum);
        truth.merge(f[2], 1L, Long::sum);
        linked.merge(person, 1L, Long::sum);
      }
    }
    return new LinkageQuality(
        records,
        pairs(truth.values()),
        pairs(linked.values()),
        pairs(cell.values()),
        truth.size(),
        linked.size());
  }

  private static long pairs(Iterable<Long> sizes) {
    long total = 0;
    for (long n : sizes) {
      total += n * (n - 1) / 2;
    }
    return total;
  }
}
