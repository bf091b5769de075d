package uk.familylink.local.population;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.contract.ColumnSpec;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;

/**
 * Families with scripted Early Help interventions whose outcomes are known in advance, for the
 * end-to-end test of the evaluation and identification outputs. Kept apart from {@link
 * PopulationGenerator} on purpose: it scripts dates around each intervention instead of drawing
 * them, and its truth is about outcomes, not linkage.
 *
 * <p>Every family is a parent and a dependent child known to Early Help by name, date of birth and
 * postcode, with an offence by the parent 100 days before the referral (CRIME at the start), the
 * assessment's FAMILY_RELATIONSHIPS, and a children's social care referral of the child either 200
 * days before the Early Help referral (a re-referral at child and family level; CHILD_SAFETY at the
 * start) or 500 days before (not a re-referral; CHILD_SAFETY outside the start look-back). Then, by
 * {@link Kind}: closure 400 days before the as-of date and nothing more (sustained), an offence 60
 * days after closure (recurred), an offence 20 days before closure (present at closure), closure 60
 * days before the as-of date (pending), no closure (open). The first family's social care row names
 * no family reference (social care does not know it); one more family is known only to children's
 * social care.
 */
public final class InterventionScenarios {

  /** What the generator scripted, and so what the outputs must say. */
  public enum Kind {
    SUSTAINED("SIGNIFICANT_AND_SUSTAINED"),
    RECURRED("NOT_ACHIEVED"),
    PRESENT_AT_CLOSURE("NOT_ACHIEVED"),
    PENDING("PENDING"),
    OPEN("OPEN");

    private final String result;

    Kind(String result) {
      this.result = result;
    }

    /** The {@code InterventionOutcome.Result} name the outcome must have. */
    public String expectedResult() {
      return result;
    }
  }

  /**
   * The truth about one scripted family (never uploaded).
   *
   * @param reReferral the Early Help referral is within 12 months of the social care one
   * @param effectMeasured closed at least 12 months before the as-of date
   * @param offendingAfter an offence in the 12 months after closure
   */
  public record Truth(
      String familyRef,
      Kind kind,
      LocalDate referral,
      LocalDate closure,
      boolean reReferral,
      boolean effectMeasured,
      boolean offendingAfter) {}

  /** The extracts (dataset → CSV text) and the truth by family reference. */
  public record Scenarios(
      Map<String, String> extracts, Map<String, Truth> truth, String socialCareOnlyRef) {}

  private InterventionScenarios() {}

  /** {@code families} scripted families (kinds in turn), as of {@code asOf}. */
  public static Scenarios generate(int families, LocalDate asOf, ContractRegistry contracts) {
    Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();
    for (String d : List.of("early-help", "police-incidents", "social-care")) {
      rows.put(d, new ArrayList<>());
    }
    Map<String, Truth> truth = new LinkedHashMap<>();
    Kind[] kinds = Kind.values();
    for (int i = 0; i < families; i++) {
      Kind kind = kinds[i % kinds.length];
      boolean reReferral = (i / kinds.length) % 2 == 0;
      String ref = "EHF" + (100000 + i);
      // Distinct people, as in a real caseload: names, birth dates and postcodes differ between
      // families (near-identical strangers at one address would rightly be linked by tier 3).
      String surname =
          Names.FAMILY.get(i % Names.FAMILY.size())
              + (i < Names.FAMILY.size() ? "" : "-" + letters(i));
      String postcode = POSTCODES.get(i % POSTCODES.size());
      Map<String, String> parent =
          person(
              Names.GIVEN.get((2 * i) % Names.GIVEN.size()),
              surname,
              LocalDate.of(1978 + i % 11, 1 + (5 * i) % 12, 1 + (7 * i) % 28));
      Map<String, String> child =
          person(
              Names.GIVEN.get((2 * i + 1) % Names.GIVEN.size()),
              surname,
              LocalDate.of(2011 + i % 7, 1 + (7 * i + 3) % 12, 1 + (11 * i) % 28));
      LocalDate closure =
          switch (kind) {
            case SUSTAINED, RECURRED, PRESENT_AT_CLOSURE -> asOf.minusDays(400);
            case PENDING -> asOf.minusDays(60);
            case OPEN -> null;
          };
      LocalDate referral = (closure == null ? asOf.minusDays(90) : closure.minusDays(90));
      for (Map<String, String> p : List.of(parent, child)) {
        Map<String, String> r = new LinkedHashMap<>(p);
        r.put("record_ref", ref + "-" + (p == parent ? "P" : "C"));
        r.put("family_ref", ref);
        r.put("postcode", postcode);
        r.put("family_role", p == parent ? "PARENT_CARER" : "CHILD");
        r.put("expectant_parent", "N");
        r.put("referral_date", referral.toString());
        r.put("closure_date", closure == null ? "" : closure.toString());
        r.put("needs_identified", "FAMILY_RELATIONSHIPS");
        rows.get("early-help").add(r);
      }
      rows.get("police-incidents")
          .add(offence(parent, postcode, ref + "-O1", referral.minusDays(100)));
      boolean offendingAfter = false;
      if (kind == Kind.RECURRED) {
        rows.get("police-incidents")
            .add(offence(parent, postcode, ref + "-O2", closure.plusDays(60)));
        offendingAfter = true;
      } else if (kind == Kind.PRESENT_AT_CLOSURE) {
        rows.get("police-incidents")
            .add(offence(parent, postcode, ref + "-O2", closure.minusDays(20)));
      }
      Map<String, String> sc = new LinkedHashMap<>(child);
      sc.put("record_ref", ref + "-S");
      // the first family's social care row names no family: social care does not know its reference
      sc.put("family_ref", i == 0 ? "" : ref);
      sc.put("postcode", postcode);
      sc.put("category", "CHILD_IN_NEED");
      sc.put("referral_date", referral.minusDays(reReferral ? 200 : 500).toString());
      rows.get("social-care").add(sc);
      boolean measured = closure != null && !asOf.isBefore(closure.plusMonths(12));
      truth.put(ref, new Truth(ref, kind, referral, closure, reReferral, measured, offendingAfter));
    }
    String socialCareOnly = "SCF900001";
    Map<String, String> lone = person("Robin", "Solo", LocalDate.of(2016, 1, 9));
    lone.put("record_ref", socialCareOnly + "-S");
    lone.put("family_ref", socialCareOnly);
    lone.put("postcode", "HR4 9ZZ");
    lone.put("category", "CHILD_PROTECTION");
    lone.put("referral_date", asOf.minusDays(30).toString());
    rows.get("social-care").add(lone);

    Map<String, String> extracts = new LinkedHashMap<>();
    rows.forEach(
        (dataset, list) -> extracts.put(dataset, csv(contracts.find(dataset).orElseThrow(), list)));
    return new Scenarios(extracts, truth, socialCareOnly);
  }

  /** Valid Herefordshire-style postcodes, one per family in turn. */
  private static final List<String> POSTCODES =
      List.of(
          "HR1 2AB", "HR2 7JE", "HR4 0LE", "HR6 8NZ", "HR8 2EP", "HR9 5AX", "HR3 5DQ", "HR5 3DJ",
          "HR7 4LU", "HR1 1QX", "HR2 6BT", "HR4 9HR", "HR6 0AP", "HR8 1LS", "HR9 7DW");

  private static Map<String, String> person(String given, String family, LocalDate born) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("given_name", given);
    p.put("family_name", family);
    p.put("date_of_birth", born.toString());
    return p;
  }

  private static Map<String, String> offence(
      Map<String, String> person, String postcode, String ref, LocalDate date) {
    Map<String, String> r = new LinkedHashMap<>(person);
    r.put("record_ref", ref);
    r.put("postcode", postcode);
    r.put("incident_date", date.toString());
    r.put("incident_type", "OFFENCE");
    r.put("person_role", "OFFENDER");
    return r;
  }

  /** Rows in the contract's column order; columns a row does not name are left blank. */
  private static String csv(DatasetContract contract, List<Map<String, String>> rows) {
    StringBuilder b = new StringBuilder(String.join(",", contract.columnNames())).append('\n');
    for (Map<String, String> row : rows) {
      List<String> cells = new ArrayList<>();
      for (ColumnSpec c : contract.columns()) {
        cells.add(row.getOrDefault(c.name(), ""));
      }
      b.append(String.join(",", cells)).append('\n');
    }
    return b.toString();
  }

  private static String letters(int n) {
    StringBuilder s = new StringBuilder();
    int v = n;
    do {
      s.append((char) ('a' + v % 26));
      v /= 26;
    } while (v > 0);
    return s.toString();
  }
}
