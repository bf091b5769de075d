package uk.familylink.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * <p>Two recalls: {@link #recall()} counts only the true pairs whose two records were stored (as
 * the demo always reported), {@link #recallOfAllRecords()} counts every true pair in the ground
 * truth, so a record that validation refused is a lost link.
 *
 * @param records ground-truth records found in the store
 * @param truePairs record pairs that are truly the same person (both records stored)
 * @param linkedPairs record pairs the service put in the same person
 * @param correctPairs pairs in both
 * @param allRecords every record of the ground truth, stored or not
 * @param allTruePairs true pairs among all records
 * @param byAgeBand per age band of the true person: [true pairs of all records, correct pairs]
 */
public record LinkageQuality(
    long records,
    long truePairs,
    long linkedPairs,
    long correctPairs,
    long truePersons,
    long linkedPersons,
    long allRecords,
    long allTruePairs,
    Map<String, long[]> byAgeBand) {

  public double precision() {
    return linkedPairs == 0 ? 1.0 : (double) correctPairs / linkedPairs;
  }

  public double recall() {
    return truePairs == 0 ? 1.0 : (double) correctPairs / truePairs;
  }

  public double recallOfAllRecords() {
    return allTruePairs == 0 ? 1.0 : (double) correctPairs / allTruePairs;
  }

  /** Harmonic mean of precision and {@link #recallOfAllRecords()}. */
  public double f1() {
    double p = precision();
    double r = recallOfAllRecords();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Share of the band's true pairs (all records) that were linked. */
  public double linkRate(String band) {
    long[] c = byAgeBand.get(band);
    return c == null || c[0] == 0 ? Double.NaN : (double) c[1] / c[0];
  }

  public static LinkageQuality measure(
      Path groundTruth, LinkedDataReader reader, Tokeniser tokeniser, Instant now)
      throws IOException {
    return measure(groundTruth, reader, tokeniser, now, null);
  }

  /**
   * As {@link #measure(Path, LinkedDataReader, Tokeniser, Instant)}, also writing each stored
   * ground-truth record's linked person (pseudonymous ID) to {@code placements}
   * (dataset,record_ref,linked_person), for comparing runs pair by pair; null writes nothing.
   */
  public static LinkageQuality measure(
      Path groundTruth, LinkedDataReader reader, Tokeniser tokeniser, Instant now, Path placements)
      throws IOException {
    Map<String, PersonId> personByRecord = personByRecord(reader, now, mergedInto(reader, now));
    Map<String, Long> cell = new HashMap<>();
    Map<String, Long> truth = new HashMap<>();
    Map<String, Long> allTruth = new HashMap<>();
    Map<String, String> bandOf = new HashMap<>();
    Map<PersonId, Long> linked = new HashMap<>();
    long[] counts = new long[2]; // records found, all records
    try (java.io.Writer placed =
        placements == null
            ? java.io.Writer.nullWriter()
            : Files.newBufferedWriter(placements, StandardCharsets.UTF_8)) {
      placed.write("dataset,record_ref,linked_person\n");
      walk(
          groundTruth,
          personByRecord,
          tokeniser,
          (row, truePerson, band, person) -> {
            counts[1]++;
            allTruth.merge(truePerson, 1L, Long::sum);
            if (band != null) {
              bandOf.putIfAbsent(truePerson, band);
            }
            if (person == null) {
              return; // an invalid row, rejected by validation
            }
            counts[0]++;
            placed.write(row[0] + "," + row[1] + "," + person.value() + "\n");
            cell.merge(person.value() + "|" + truePerson, 1L, Long::sum);
            truth.merge(truePerson, 1L, Long::sum);
            linked.merge(person, 1L, Long::sum);
          });
    }
    long records = counts[0];
    long all = counts[1];
    Map<String, long[]> byBand = new TreeMap<>();
    allTruth.forEach(
        (truePerson, n) -> {
          String band = bandOf.get(truePerson);
          if (band != null) {
            byBand.computeIfAbsent(band, b -> new long[2])[0] += n * (n - 1) / 2;
          }
        });
    cell.forEach(
        (key, n) -> {
          String band = bandOf.get(key.substring(key.indexOf('|') + 1));
          if (band != null) {
            byBand.computeIfAbsent(band, b -> new long[2])[1] += n * (n - 1) / 2;
          }
        });
    return new LinkageQuality(
        records,
        pairs(truth.values()),
        pairs(linked.values()),
        pairs(cell.values()),
        truth.size(),
        linked.size(),
        all,
        pairs(allTruth.values()),
        byBand);
  }

  /**
   * For each person now in the store (a survivor), the true person most of its records belong to
   * (ties: the first in ground-truth order): what a reviewer who could see the truth would take the
   * person to be. For measurement only.
   *
   * @param mergedInto {@link #mergedInto} of the same store, read once by the caller
   */
  static Map<PersonId, String> truePersonOf(
      Path groundTruth,
      LinkedDataReader reader,
      Tokeniser tokeniser,
      Instant now,
      Map<PersonId, PersonId> mergedInto)
      throws IOException {
    Map<PersonId, Map<String, Long>> counts = new HashMap<>();
    walk(
        groundTruth,
        personByRecord(reader, now, mergedInto),
        tokeniser,
        (row, truePerson, band, person) -> {
          if (person != null) {
            counts
                .computeIfAbsent(person, p -> new java.util.LinkedHashMap<>())
                .merge(truePerson, 1L, Long::sum);
          }
        });
    Map<PersonId, String> out = new HashMap<>();
    counts.forEach(
        (person, byTruth) ->
            out.put(
                person,
                byTruth.entrySet().stream()
                    .reduce((a, b) -> b.getValue() > a.getValue() ? b : a)
                    .orElseThrow()
                    .getKey()));
    return out;
  }

  /** Each stored record's person (its merge chain followed to the survivor), by dataset|token. */
  private static Map<String, PersonId> personByRecord(
      LinkedDataReader reader, Instant now, Map<PersonId, PersonId> mergedInto) {
    Map<String, PersonId> personByRecord = new HashMap<>();
    reader.forEachRecord(
        now,
        r ->
            personByRecord.put(
                r.dataset() + "|" + r.recordToken(), survivor(r.person(), mergedInto)));
    return personByRecord;
  }

  /** One ground-truth row: its fields, true person, age band (or null) and stored person. */
  @FunctionalInterface
  interface TruthRow {
    void accept(String[] row, String truePerson, String band, PersonId person) throws IOException;
  }

  /**
   * Walks the ground truth (dataset,record_ref,person_id,...[,age_band]), giving each row with the
   * person its record was stored under (null when it was not stored).
   */
  private static void walk(
      Path groundTruth,
      Map<String, PersonId> personByRecord,
      Tokeniser tokeniser,
      TruthRow consumer)
      throws IOException {
    try (BufferedReader in = Files.newBufferedReader(groundTruth, StandardCharsets.UTF_8)) {
      List<String> header = List.of(in.readLine().split(",", -1));
      int bandColumn = header.indexOf("age_band");
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",", -1);
        String band = bandColumn >= 0 && bandColumn < f.length ? f[bandColumn] : null;
        String ref = Identifiers.normalise(IdentifierKind.RECORD_REF, f[1]);
        PersonId person =
            ref == null
                ? null
                : personByRecord.get(
                    f[0] + "|" + tokeniser.token(RowPseudonymiser.recordRefLabel(f[0]), ref));
        consumer.accept(f, f[2], band, person);
      }
    }
  }

  /**
   * Where each merged person was merged into (a whole-store scan: for measurement, not the
   * service).
   */
  static Map<PersonId, PersonId> mergedInto(LinkedDataReader reader, Instant now) {
    Map<PersonId, PersonId> mergedInto = new HashMap<>();
    reader.forEachPerson(
        now,
        p -> {
          if (!p.isActive()) {
            mergedInto.put(p.id(), p.mergedInto());
          }
        });
    return mergedInto;
  }

  /** The person a merge chain from {@code person} ends at. */
  static PersonId survivor(PersonId person, Map<PersonId, PersonId> mergedInto) {
    PersonId p = person;
    for (int i = 0; i < 64 && mergedInto.containsKey(p); i++) {
      p = mergedInto.get(p);
    }
    return p;
  }

  private static long pairs(Iterable<Long> sizes) {
    long total = 0;
    for (long n : sizes) {
      total += n * (n - 1) / 2;
    }
    return total;
  }
}
