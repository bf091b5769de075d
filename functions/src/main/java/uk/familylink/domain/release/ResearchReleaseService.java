package uk.familylink.domain.release;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.FamilyProfile;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.KeyPort;
import uk.familylink.domain.pseudonym.Tokeniser;

/**
 * Research releases (P7): a person-level extract for one approved study, with its own pseudonyms
 * and only coarse values.
 *
 * <ul>
 *   <li><b>Pseudonyms:</b> person and family ids are HMAC-SHA256 under the release's own working
 *       key, derived once through {@link KeyPort} from the label {@code
 *       familylink/v1/release/<id>}; two releases share no key and so no pseudonym, and no value of
 *       the main store (person ids, identity tokens, family tokens, partner references) is written.
 *   <li><b>Columns:</b> age band, first-seen month, the person's needs (flags), how many datasets
 *       hold a record of them (1, 2, 3+), whether their family meets the rule. No dates finer than
 *       a month, no codes, no references, no dataset names (which would say which services a person
 *       used).
 *   <li><b>k-anonymity</b> over every released attribute (so no combination of columns picks out
 *       fewer than k people): rows in small classes have, in turn, the first-seen month coarsened
 *       to the year, then suppressed ({@code *}), the age band widened to child/adult, the dataset
 *       count suppressed, the need flags suppressed; what is still in a class under k is withheld.
 *       Counts are in the manifest.
 *   <li><b>Expiry:</b> the earlier of the study's date and the data's retention date.
 *   <li><b>Audit (P8):</b> one {@code RESEARCH_RELEASE} entry (approver, study, purpose, legal
 *       basis, counts; never a pseudonym).
 * </ul>
 */
public final class ResearchReleaseService {

  public static final String AUDIT_KIND = AuditEvent.ResearchRelease.KIND;
  public static final String PERSON = "person_id";
  public static final String FAMILY = "family_id";
  static final String AGE_BAND = "age_band";
  static final String FIRST_SEEN = "first_seen";
  static final String FAMILY_MEETS_RULE = "family_meets_rule";
  static final String DATASETS = "datasets";
  static final String SUPPRESSED = "*";

  private final LinkedDataReader reader;
  private final KeyPort keys;
  private final EligibilityRule rule;
  private final AuditLog audit;
  private final Clock clock;
  private final LocalDate dataExpiresOn;
  private final LongSupplier auditExpiresAt;

  /**
   * Wires the release service.
   *
   * @param dataExpiresOn the data's retention date (programme end + retention years)
   */
  public ResearchReleaseService(
      LinkedDataReader reader,
      KeyPort keys,
      EligibilityRule rule,
      AuditLog audit,
      Clock clock,
      LocalDate dataExpiresOn,
      LongSupplier auditExpiresAt) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.dataExpiresOn = Objects.requireNonNull(dataExpiresOn, "dataExpiresOn");
    this.auditExpiresAt = Objects.requireNonNull(auditExpiresAt, "auditExpiresAt");
  }

  public List<String> columns() {
    List<String> columns = new ArrayList<>(List.of(PERSON, FAMILY));
    columns.addAll(attributes());
    return columns;
  }

  /** Every released column but the two pseudonyms: all of them are quasi-identifiers. */
  public List<String> attributes() {
    List<String> columns = new ArrayList<>(List.of(AGE_BAND, FIRST_SEEN));
    for (Need need : Need.values()) {
      columns.add("need_" + need.name().toLowerCase(java.util.Locale.ROOT));
    }
    columns.add(DATASETS);
    columns.add(FAMILY_MEETS_RULE);
    return columns;
  }

  private static List<String> needColumns() {
    List<String> columns = new ArrayList<>();
    for (Need need : Need.values()) {
      columns.add("need_" + need.name().toLowerCase(java.util.Locale.ROOT));
    }
    return columns;
  }

  public ResearchExtract release(ReleaseRequest request) {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (!request.expiresOn().isAfter(today)) {
      throw new IllegalArgumentException("the release's expiry must be in the future");
    }
    LocalDate expiresOn =
        request.expiresOn().isBefore(dataExpiresOn) ? request.expiresOn() : dataExpiresOn;
    byte[] key = keys.deriveWorkingKey(request.keyLabel());
    if (key == null || key.length != 32) {
      throw new IllegalStateException("key port returned a release key that is not 32 bytes");
    }
    Tokeniser pseudonyms = new Tokeniser(key);

    PopulationProfile profile = PopulationProfile.build(reader, now, rule);
    Map<PersonId, FamilyProfile> familyOf = new HashMap<>();
    for (FamilyProfile family : profile.families()) {
      for (PersonId member : family.members()) {
        familyOf.putIfAbsent(member, family);
      }
    }
    Map<PersonId, PersonId> survivor = new HashMap<>();
    reader.forEachPerson(
        now,
        p -> {
          if (!p.isActive()) {
            survivor.put(p.id(), p.mergedInto());
          }
        });
    Map<PersonId, List<LinkedRecord>> records = new TreeMap<>();
    reader.forEachRecord(
        now,
        r -> records.computeIfAbsent(resolve(r.person(), survivor), x -> new ArrayList<>()).add(r));

    List<Map<String, String>> rows = new ArrayList<>();
    for (Map.Entry<PersonId, List<LinkedRecord>> person : records.entrySet()) {
      FamilyProfile family = familyOf.get(person.getKey());
      rows.add(row(pseudonyms, person.getKey(), person.getValue(), family, today));
    }
    KAnonymity.Result anonymous =
        KAnonymity.apply(
            rows,
            attributes(),
            request.k(),
            List.of(
                new KAnonymity.Step(FIRST_SEEN, v -> v.length() > 4 ? v.substring(0, 4) : v),
                new KAnonymity.Step(FIRST_SEEN, v -> SUPPRESSED),
                new KAnonymity.Step(AGE_BAND, ResearchReleaseService::broadAge),
                new KAnonymity.Step(DATASETS, v -> SUPPRESSED),
                new KAnonymity.Step(needColumns(), v -> SUPPRESSED)));
    ResearchExtract extract =
        new ResearchExtract(
            request,
            columns(),
            attributes(),
            anonymous.rows(),
            anonymous.generalised(),
            anonymous.withheld(),
            now,
            expiresOn);

    audit.append(
        new AuditEvent.ResearchRelease(
                request.releaseId(),
                request.study(),
                request.approver(),
                request.purpose(),
                request.legalBasis(),
                expiresOn,
                request.k(),
                anonymous.rows().size(),
                anonymous.generalised(),
                anonymous.withheld())
            .entry(now, auditExpiresAt.getAsLong()));
    return extract;
  }

  private Map<String, String> row(
      Tokeniser pseudonyms,
      PersonId person,
      List<LinkedRecord> own,
      FamilyProfile family,
      LocalDate today) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put(PERSON, pseudonyms.token("release-person", person.value()));
    row.put(
        FAMILY,
        family == null
            ? ""
            : pseudonyms.token(
                "release-family", family.family().kind() + "/" + family.family().token()));
    String birth = null;
    LocalDate first = null;
    Set<Need> needs = new TreeSet<>();
    Set<String> in = new TreeSet<>();
    for (LinkedRecord r : own) {
      if (birth == null) {
        birth = r.birthYearMonth();
      }
      if (r.eventDate() != null && (first == null || r.eventDate().isBefore(first))) {
        first = r.eventDate();
      }
      needs.addAll(r.indicators());
      in.add(r.dataset());
    }
    row.put(AGE_BAND, ageBand(birth, today));
    row.put(FIRST_SEEN, first == null ? SUPPRESSED : first.toString().substring(0, 7));
    for (Need need : Need.values()) {
      row.put(
          "need_" + need.name().toLowerCase(java.util.Locale.ROOT),
          needs.contains(need) ? "1" : "0");
    }
    row.put(DATASETS, in.size() >= 3 ? "3+" : Integer.toString(in.size()));
    row.put(FAMILY_MEETS_RULE, family != null && family.eligible() ? "1" : "0");
    return row;
  }

  static String ageBand(String birthYearMonth, LocalDate today) {
    if (birthYearMonth == null) {
      return "unknown";
    }
    int age = EligibilityRule.age(birthYearMonth, today);
    if (age < 0) {
      return "unknown";
    }
    int[] bounds = {4, 10, 15, 18, 24, 34, 49, 64};
    int lower = 0;
    for (int upper : bounds) {
      if (age <= upper) {
        return lower + "-" + upper;
      }
      lower = upper + 1;
    }
    return "65+";
  }

  static String broadAge(String band) {
    return switch (band) {
      case "0-4", "5-10", "11-15", "16-18", "child" -> "child";
      case "unknown" -> "unknown";
      default -> "adult";
    };
  }

  private static PersonId resolve(PersonId id, Map<PersonId, PersonId> survivor) {
    PersonId current = id;
    Set<PersonId> seen = new java.util.HashSet<>();
    while (survivor.containsKey(current) && seen.add(current)) {
      current = survivor.get(current);
    }
    return current;
  }
}
