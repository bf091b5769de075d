package uk.familylink.domain.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A research release's files: {@code persons.csv} and {@code manifest.json}. */
public final class ReleaseFiles {

  public static final String DATA = "persons.csv";
  public static final String MANIFEST = "manifest.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReleaseFiles() {}

  /** Object keys under {@code exports/<release-id>/} to bytes. */
  public static Map<String, byte[]> of(ResearchExtract extract) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    String prefix = "exports/" + extract.request().releaseId() + "/";
    files.put(prefix + DATA, csv(extract));
    files.put(prefix + MANIFEST, manifest(extract));
    return files;
  }

  static byte[] csv(ResearchExtract extract) {
    StringWriter out = new StringWriter();
    try (CsvWriter csv = CsvWriter.builder().build(out)) {
      csv.writeRecord(extract.columns());
      for (Map<String, String> row : extract.rows()) {
        List<String> record = new ArrayList<>();
        for (String column : extract.columns()) {
          record.add(row.get(column));
        }
        csv.writeRecord(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] manifest(ResearchExtract extract) {
    ReleaseRequest r = extract.request();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("releaseId", r.releaseId());
    m.put("study", r.study());
    m.put("approver", r.approver());
    m.put("purpose", r.purpose());
    m.put("legalBasis", r.legalBasis());
    m.put("createdAt", extract.createdAt().toString());
    m.put("expiresOn", extract.expiresOn().toString());
    m.put("pseudonyms", "HMAC-SHA256 under this release's own key; shared with no other release");
    m.put("columns", extract.columns());
    m.put("quasiIdentifiers", extract.quasiIdentifiers());
    m.put("k", r.k());
    m.put("rows", extract.rows().size());
    m.put("generalised", extract.generalised());
    m.put("withheld", extract.withheld());
    try {
      return JSON.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
