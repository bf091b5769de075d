package uk.familylink.domain.access;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import uk.familylink.domain.need.Need;

/**
 * Everything held about one person, as pseudonymised data: no identifier, token or internal ID. An
 * answer for identifiers that match nobody has exactly the same shape with empty lists, so it
 * cannot be told apart from a person about whom nothing is held.
 */
public record SubjectAccessAnswer(
    Instant answeredAt,
    List<RecordView> records,
    List<MembershipView> memberships,
    List<FamilyView> families,
    List<String> files,
    List<MergeView> merges,
    List<ReviewView> reviews,
    MatchView match) {

  public SubjectAccessAnswer {
    records = List.copyOf(records);
    memberships = List.copyOf(memberships);
    families = List.copyOf(families);
    files = List.copyOf(files);
    merges = List.copyOf(merges);
    reviews = List.copyOf(reviews);
  }

  public static SubjectAccessAnswer empty(Instant answeredAt) {
    return new SubjectAccessAnswer(
        answeredAt, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null);
  }

  /**
   * How the request found the person, by the rules ingest links rows by: a strong identifier the
   * person holds ({@code IDENTIFIER}; {@code persons} &gt; 1 when the request's identifiers name
   * persons not yet found to be one), the exact name, birth date and postcode ({@code
   * NAME_AND_BIRTH_DATE}), or a tier-3 score of the request's demographics against the person's
   * records ({@code PROBABILISTIC}, with its weight, field levels and model: the DPO should check
   * such an answer before it is sent). Null on an answer that found nobody.
   */
  public record MatchView(
      String basis, int persons, Double weight, String fields, String modelVersion) {

    static MatchView identifier(int persons) {
      return new MatchView("IDENTIFIER", persons, null, null, null);
    }

    static MatchView composite() {
      return new MatchView("NAME_AND_BIRTH_DATE", 1, null, null, null);
    }

    static MatchView probabilistic(uk.familylink.domain.linkage.MatchScore score) {
      return new MatchView(
          "PROBABILISTIC", 1, score.weight(), score.breakdown(), score.modelVersion());
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("basis", basis);
      m.put("persons", persons);
      m.put("weight", weight);
      m.put("fields", fields);
      m.put("modelVersion", modelVersion);
      return m;
    }

    String describe() {
      return switch (basis) {
        case "IDENTIFIER" ->
            persons == 1
                ? "by an identifier the person's records hold"
                : "by identifiers held by "
                    + persons
                    + " person records not yet found to be one (all are included)";
        case "NAME_AND_BIRTH_DATE" -> "by the exact name, date of birth and postcode";
        default ->
            String.format(
                java.util.Locale.ROOT,
                "probabilistically, weight %.2f (%s; model %s): check before sending",
                weight,
                fields,
                modelVersion);
      };
    }
  }

  /**
   * Two person records found to be one, and why: a strong identifier both held ({@code IDENTIFIER},
   * with its kind and the file that bridged them), a data-team decision on a possible link ({@code
   * REVIEW}, with that review), or a record of that file that scored a probabilistic link to both
   * ({@code PROBABILISTIC}, a tier-3 bridge, with its weights).
   */
  public record MergeView(
      Instant at,
      String basis,
      String identifierKind,
      String fileId,
      ReviewView review,
      BridgeView bridge) {

    public MergeView(
        Instant at, String basis, String identifierKind, String fileId, ReviewView review) {
      this(at, basis, identifierKind, fileId, review, null);
    }
  }

  /**
   * A tier-3 bridge's evidence: the bridging record's weights against each person, the weight of
   * the two persons' own records against each other, the field levels (no value) and the model.
   */
  public record BridgeView(
      double survivorWeight,
      double mergedWeight,
      double personsWeight,
      String fields,
      String modelVersion,
      boolean household) {

    public BridgeView(
        double survivorWeight,
        double mergedWeight,
        double personsWeight,
        String fields,
        String modelVersion) {
      this(survivorWeight, mergedWeight, personsWeight, fields, modelVersion, false);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("weightToSurvivor", survivorWeight);
      m.put("weightToMerged", mergedWeight);
      m.put("personsWeight", personsWeight);
      m.put("fields", fields);
      m.put("modelVersion", modelVersion);
      m.put("corroboration", household ? "HOUSEHOLD" : null);
      return m;
    }
  }

  /**
   * A possible link of one of the person's records to another person (scored between the
   * thresholds, so kept apart until reviewed), or a merge of it split on review: the weight
   * breakdown and where it stands (PENDING, LINKED, KEPT_APART, BRIDGED, SPLIT).
   */
  public record ReviewView(
      String dataset,
      double weight,
      String fields,
      String modelVersion,
      String status,
      Instant queuedAt,
      Instant decidedAt) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", dataset);
      m.put("weight", weight);
      m.put("fields", fields);
      m.put("modelVersion", modelVersion);
      m.put("status", status);
      m.put("queuedAt", queuedAt == null ? null : queuedAt.toString());
      m.put("decidedAt", decidedAt == null ? null : decidedAt.toString());
      return m;
    }

    String describe() {
      if ("SPLIT".equals(status)) {
        // no record of its own: the merge that joined them is what the data team undid
        return "a merge with another person, split on review "
            + decidedAt
            + ": the data team found them to be different people";
      }
      String where =
          switch (status) {
            case "PENDING" -> "waiting for review";
            case "LINKED" -> "reviewed " + decidedAt + ": the same person";
            case "KEPT_APART" -> "reviewed " + decidedAt + ": different people";

            case "BRIDGED" ->
                "resolved "
                    + decidedAt
                    + ": a later record linked to both, so they were found to be one";
            default -> status;
          };
      return String.format(
          java.util.Locale.ROOT,
          "%s record, weight %.2f (%s; model %s), %s",
          dataset,
          weight,
          fields,
          modelVersion,
          where);
    }
  }

  /** One stored record (one partner row): coarse values and kept codes only. */
  public record RecordView(
      String dataset,
      String partner,
      LocalDate eventDate,
      Set<Need> indicators,
      String birthYearMonth,
      boolean expectantParent,
      Map<String, String> attributes,
      String fileId) {

    /** What the answer shows of a stored record. */
    public static RecordView of(uk.familylink.domain.linkage.LinkedRecord r) {
      Set<Need> indicators =
          r.indicators() == null || r.indicators().isEmpty()
              ? java.util.EnumSet.noneOf(Need.class)
              : java.util.EnumSet.copyOf(r.indicators());
      return new RecordView(
          r.dataset(),
          r.partner(),
          r.eventDate(),
          indicators,
          r.birthYearMonth(),
          r.expectantParent(),
          r.attributes() == null ? Map.of() : new TreeMap<>(r.attributes()),
          r.fileId());
    }

    /**
     * How the record was joined to the person: {@code PROBABILISTIC} when tier 3 linked it on its
     * demographics (the weight breakdown and model are in its {@code link_*} attributes), else
     * {@code DETERMINISTIC} (an identifier, an exact name + birth date (+ postcode) key, or the
     * person's first record).
     */
    public String linkedBy() {
      return "3".equals(attributes.get("link_tier")) ? "PROBABILISTIC" : "DETERMINISTIC";
    }
  }

  /** A family or household the person is recorded in, as stated by one dataset. */
  public record MembershipView(String familyKind, String role, String dataset) {}

  /**
   * The needs profile of a family the person belongs to (households grouped as in the population
   * report).
   */
  public record FamilyView(
      String familyKind,
      int members,
      Map<Need, Set<String>> needs,
      boolean hasDependentChild,
      boolean hasExpectantParent,
      boolean eligible) {}

  /** Records grouped by dataset, in dataset order. */
  public Map<String, List<RecordView>> recordsByDataset() {
    Map<String, List<RecordView>> out = new TreeMap<>();
    for (RecordView r : records) {
      out.computeIfAbsent(r.dataset(), d -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /**
   * A JSON-ready tree (maps, lists, strings, numbers, booleans); the same keys whether or not
   * anything was found.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("answeredAt", answeredAt.toString());
    out.put("matchedBy", match == null ? null : match.toMap());
    out.put("recordCount", records.size());
    Map<String, Object> datasets = new LinkedHashMap<>();
    recordsByDataset()
        .forEach(
            (dataset, rs) -> {
              List<Object> list = new ArrayList<>();
              for (RecordView r : rs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("partner", r.partner());
                m.put("eventDate", r.eventDate() == null ? null : r.eventDate().toString());
                m.put("indicators", r.indicators().stream().map(Need::name).sorted().toList());
                m.put("birthYearMonth", r.birthYearMonth());
                m.put("expectantParent", r.expectantParent());
                m.put("attributes", new TreeMap<>(r.attributes()));
                m.put("fileId", r.fileId());
                m.put("linkedBy", r.linkedBy());
                list.add(m);
              }
              datasets.put(dataset, list);
            });
    out.put("recordsByDataset", datasets);
    List<Object> members = new ArrayList<>();
    for (MembershipView m : memberships) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("familyKind", m.familyKind());
      v.put("role", m.role());
      v.put("dataset", m.dataset());
      members.add(v);
    }
    out.put("familyMemberships", members);
    List<Object> families = new ArrayList<>();
    for (FamilyView f : this.families) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("familyKind", f.familyKind());
      v.put("members", f.members());
      Map<String, Object> needs = new LinkedHashMap<>();
      f.needs().forEach((need, from) -> needs.put(need.name(), List.copyOf(from)));
      v.put("needs", needs);
      v.put("hasDependentChild", f.hasDependentChild());
      v.put("hasExpectantParent", f.hasExpectantParent());
      v.put("eligible", f.eligible());
      families.add(v);
    }
    out.put("familyProfiles", families);
    out.put("contributingFiles", files);
    List<Object> mergeList = new ArrayList<>();
    for (MergeView m : merges) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("at", m.at() == null ? null : m.at().toString());
      v.put("basis", m.basis());
      v.put("identifierKind", m.identifierKind());
      v.put("fileId", m.fileId());
      v.put("review", m.review() == null ? null : m.review().toMap());
      if (m.bridge() != null) {
        v.put("probabilistic", m.bridge().toMap());
      }
      mergeList.add(v);
    }
    out.put("merges", mergeList);
    List<Object> reviewList = new ArrayList<>();
    reviews.forEach(r -> reviewList.add(r.toMap()));
    out.put("possibleLinks", reviewList);
    return out;
  }

  /** A readable report for the data subject. */
  public String toText() {
    StringBuilder t = new StringBuilder();
    t.append("Information held by FamilyLink (Supporting Families Programme)\n");
    t.append("Answered at ").append(answeredAt).append('\n');
    t.append('\n');
    if (records.isEmpty() && memberships.isEmpty()) {
      t.append("No information is held about a person with the identifiers given.\n");
      return t.toString();
    }
    if (match != null) {
      t.append("Found ").append(match.describe()).append(".\n\n");
    }
    t.append("Records (").append(records.size()).append("), by dataset:\n");
    recordsByDataset()
        .forEach(
            (dataset, rs) -> {
              t.append("  ")
                  .append(dataset)
                  .append(" (from ")
                  .append(rs.get(0).partner())
                  .append("): ")
                  .append(rs.size())
                  .append(rs.size() == 1 ? " record\n" : " records\n");
              for (RecordView r : rs) {
                t.append("    - date ").append(r.eventDate() == null ? "not given" : r.eventDate());
                if (!r.indicators().isEmpty()) {
                  t.append("; needs shown: ");
                  t.append(
                      String.join(
                          ", ", r.indicators().stream().map(Need::label).sorted().toList()));
                }
                if (r.birthYearMonth() != null) {
                  t.append("; born ").append(r.birthYearMonth());
                }
                if (r.expectantParent()) {
                  t.append("; expectant parent");
                }
                if (!r.attributes().isEmpty()) {
                  t.append("; recorded ");
                  List<String> kv = new ArrayList<>();
                  new TreeMap<>(r.attributes()).forEach((k, v) -> kv.add(k + " = " + v));
                  t.append(String.join(", ", kv));
                }
                t.append("; file ").append(r.fileId());
                t.append("; linked ")
                    .append(
                        r.linkedBy().equals("PROBABILISTIC")
                            ? "probabilistically, weight "
                                + r.attributes().get("link_weight")
                                + " ("
                                + r.attributes().get("link_fields")
                                + "; model "
                                + r.attributes().get("link_model")
                                + ")"
                            : "deterministically (identifier or exact name and birth date)")
                    .append('\n');
              }
            });
    t.append('\n');
    t.append("Family memberships (").append(memberships.size()).append("):\n");
    for (MembershipView m : memberships) {
      t.append("  - ")
          .append(m.familyKind())
          .append(" from ")
          .append(m.dataset())
          .append(m.role() == null ? "" : ", role " + m.role())
          .append('\n');
    }
    t.append('\n');
    t.append("Family needs profiles (").append(families.size()).append("):\n");
    int n = 0;
    for (FamilyView f : families) {
      t.append("  Family ")
          .append(++n)
          .append(" (")
          .append(f.familyKind())
          .append(", ")
          .append(f.members())
          .append(f.members() == 1 ? " member" : " members")
          .append("): ");
      t.append(f.needs().size())
          .append(" of ")
          .append(Need.values().length)
          .append(" headline needs");
      t.append(f.eligible() ? ", meets" : ", does not meet")
          .append(" the programme's eligibility rule\n");
      f.needs()
          .forEach(
              (need, from) ->
                  t.append("    - ")
                      .append(need.label())
                      .append(" (from ")
                      .append(String.join(", ", from))
                      .append(")\n"));
    }
    t.append('\n');
    t.append("Files that contributed: ").append(String.join(", ", files)).append('\n');
    if (!merges.isEmpty()) {
      t.append('\n');
      t.append("Person records found to be one (").append(merges.size()).append("):\n");
      for (MergeView m : merges) {
        t.append("  - ").append(m.at()).append(": ");
        if ("REVIEW".equals(m.basis())) {
          t.append("a data-team review of a possible link decided they are the same person");
          if (m.review() != null) {
            t.append(" (").append(m.review().describe()).append(')');
          }
        } else if ("PROBABILISTIC".equals(m.basis())
            && m.bridge() != null
            && m.bridge().household()) {
          t.append(
              String.format(
                  java.util.Locale.ROOT,
                  "a record (file %s) linked to another member of a household that moved (weight"
                      + " %.2f) because one of these records, at the new address, matched the"
                      + " other, at the household's former one (weight %.2f; %s; model %s)",
                  m.fileId(),
                  m.bridge().survivorWeight(),
                  m.bridge().personsWeight(),
                  m.bridge().fields(),
                  m.bridge().modelVersion()));
        } else if ("PROBABILISTIC".equals(m.basis()) && m.bridge() != null) {
          t.append(
              String.format(
                  java.util.Locale.ROOT,
                  "a record (file %s) scored a probabilistic link to both (weights %.2f and"
                      + " %.2f; %s; model %s), and their own records were compatible (weight"
                      + " %.2f)",
                  m.fileId(),
                  m.bridge().survivorWeight(),
                  m.bridge().mergedWeight(),
                  m.bridge().fields(),
                  m.bridge().modelVersion(),
                  m.bridge().personsWeight()));
        } else {
          t.append("both held the same ")
              .append(m.identifierKind())
              .append(" (file ")
              .append(m.fileId())
              .append(')');
        }
        t.append('\n');
      }
    }
    if (!reviews.isEmpty()) {
      t.append('\n');
      t.append("Possible links to another person (").append(reviews.size()).append("):\n");
      for (ReviewView r : reviews) {
        t.append("  - ").append(r.describe()).append('\n');
      }
    }
    return t.toString();
  }
}
