package uk.familylink.local.population;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a FEBRL-format benchmark file (columns rec_id, given_name, surname, street_number,
 * address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id; ids {@code rec-N-org}
 * and {@code rec-N-dup-k}) into partner extracts the service accepts, plus a ground-truth file in
 * the generator's format ({@code rec-N} is the true person). The originals go into one file, the
 * duplicates into another, so they can be uploaded one at a time in either order.
 *
 * <p>Fields used: given name, surname, date of birth, and the address lines ({@code street_number
 * address_1}, suburb) where the contract has an {@code address_line} column. {@code soc_sec_id} is
 * never used: it is a perfect identifier the benchmark's duplicates keep. FEBRL postcodes are
 * Australian and fail the UK postcode check, so they are not sent. The extracts follow the
 * police-incidents contract (its strong identifier is optional), with a fixed incident date.
 */
public final class FebrlExtracts {

  /** What was written. */
  public record Written(Path originals, Path duplicates, Path groundTruth, long records) {}

  private static final String DATASET = Dataset.POLICE_INCIDENTS.id();

  private FebrlExtracts() {}

  public static Written write(Path febrl, PartnerContracts contracts, Path outDir) {
    List<String> columns = contracts.columns(Dataset.POLICE_INCIDENTS);
    Path extracts = outDir.resolve("extracts");
    Path originals = extracts.resolve("febrl-originals.csv");
    Path duplicates = extracts.resolve("febrl-duplicates.csv");
    Path truth = outDir.resolve("febrl-ground-truth.csv");
    long n = 0;
    try {
      Files.createDirectories(extracts);
      try (CsvReader<CsvRecord> in =
              CsvReader.builder()
                  .ofCsvRecord(Files.newBufferedReader(febrl, StandardCharsets.UTF_8));
          CsvWriter org = CsvWriter.builder().build(originals, StandardCharsets.UTF_8);
          CsvWriter dup = CsvWriter.builder().build(duplicates, StandardCharsets.UTF_8);
          CsvWriter gt = CsvWriter.builder().build(truth, StandardCharsets.UTF_8)) {
        org.writeRecord(columns);
        dup.writeRecord(columns);
        gt.writeRecord(ExtractWriter.GROUND_TRUTH_COLUMNS);
        Map<String, Integer> index = null;
        for (CsvRecord record : in) {
          List<String> fields = new ArrayList<>();
          record.getFields().forEach(f -> fields.add(f.trim()));
          if (index == null) {
            index = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
              index.put(fields.get(i), i);
            }
            continue;
          }
          String recId = get(fields, index, "rec_id");
          if (recId.isEmpty()) {
            continue;
          }
          n++;
          boolean original = recId.endsWith("-org");
          String person = recId.substring(0, recId.indexOf('-', "rec-".length()));
          String ref = String.format("FB%08d", n);
          Map<String, String> v = new LinkedHashMap<>();
          v.put("record_ref", ref);
          v.put("given_name", get(fields, index, "given_name"));
          v.put("family_name", get(fields, index, "surname"));
          LocalDate dob = date(get(fields, index, "date_of_birth"));
          v.put("date_of_birth", dob == null ? "" : dob.toString());
          v.put(
              "address_line",
              (get(fields, index, "street_number") + " " + get(fields, index, "address_1")).trim());
          v.put("locality", get(fields, index, "suburb"));
          v.put("incident_date", "2025-01-01");
          v.put("incident_type", "OFFENCE");
          List<String> row = new ArrayList<>(columns.size());
          for (String column : columns) {
            row.add(v.getOrDefault(column, ""));
          }
          (original ? org : dup).writeRecord(row);
          gt.writeRecord(
              DATASET,
              ref,
              person,
              "",
              original ? "febrl_original" : "febrl_duplicate",
              dob == null
                  ? ""
                  : ExtractWriter.ageBand(dob.until(LocalDate.of(2026, 1, 1)).getYears()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not convert the FEBRL file: " + e.getMessage(), e);
    }
    return new Written(originals, duplicates, truth, n);
  }

  private static String get(List<String> fields, Map<String, Integer> index, String column) {
    Integer i = index.get(column);
    if (i == null) {
      throw new IllegalArgumentException(
          "Not a FEBRL-format file: no column " + column + " in its header");
    }
    return i < fields.size() ? fields.get(i) : "";
  }

  /** FEBRL dates are yyyyMMdd; some are impossible or blank (then none is sent). */
  private static LocalDate date(String raw) {
    if (raw.length() != 8) {
      return null;
    }
    try {
      return LocalDate.of(
          Integer.parseInt(raw.substring(0, 4)),
          Integer.parseInt(raw.substring(4, 6)),
          Integer.parseInt(raw.substring(6, 8)));
    } catch (NumberFormatException | DateTimeException e) {
      return null;
    }
  }
}
