package uk.familylink.domain.validation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;

/** Test fixtures: the shipped contracts, a fixed clock, valid identifiers and a runner. */
final class Extracts {

  /** 2025-06-01 13:00 in London. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

  static final String TODAY = "2025-06-01";
  static final String TOMORROW = "2025-06-02";

  static final String NHS = "9434765919";
  static final String NHS_2 = "4010232137";
  static final String NINO = "AB123456C";
  static final String UPN = "B801200005001";
  static final String ULN = "1234567899";
  static final String PNC = "11/0000001T";
  static final String POSTCODE = "HR1 2AB";
  static final String DOB = "2011-04-05";

  static final ContractRegistry REGISTRY = ContractRegistry.fromClasspath();

  static final String POLICE_HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role";

  private Extracts() {}

  static DatasetContract contract(String dataset) {
    return REGISTRY.find(dataset).orElseThrow();
  }

  static String police(
      String ref,
      String pnc,
      String given,
      String family,
      String dob,
      String postcode,
      String date,
      String type,
      String role) {
    return String.join(",", ref, pnc, given, family, dob, postcode, date, type, role);
  }

  /** A valid police row with reference {@code ref}. */
  static String policeRow(String ref) {
    return police(
        ref, PNC, "Amy", "Smith", DOB, POSTCODE, "2025-05-01", "DOMESTIC_ABUSE", "VICTIM");
  }

  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  record Result(ValidationReport report, List<ValidatedRow> rows) {}

  static Result run(String dataset, String csv) {
    return run(dataset, csv.getBytes(StandardCharsets.UTF_8), ValidationPolicy.DEFAULTS);
  }

  static Result run(String dataset, byte[] bytes) {
    return run(dataset, bytes, ValidationPolicy.DEFAULTS);
  }

  static Result run(String dataset, byte[] bytes, ValidationPolicy policy) {
    List<ValidatedRow> rows = new ArrayList<>();
    ValidationReport report =
        new ExtractValidator(contract(dataset), policy, CLOCK)
            .validate(new ByteArrayInputStream(bytes), rows::add);
    return new Result(report, rows);
  }

  /**
   * Defaults, but any share of invalid rows is accepted: for tests about single rows in tiny files.
   */
  static final ValidationPolicy LENIENT =
      new ValidationPolicy(
          ValidationPolicy.DEFAULTS.maxBytes(),
          ValidationPolicy.DEFAULTS.maxRows(),
          ValidationPolicy.DEFAULTS.maxFieldLength(),
          1.0,
          ValidationPolicy.DEFAULTS.maxListedIssues());

  static Result runLenient(String dataset, String csv) {
    return run(dataset, utf8(csv), LENIENT);
  }

  static Result runLenient(String dataset, byte[] bytes) {
    return run(dataset, bytes, LENIENT);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
