package uk.familylink.domain.access;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import uk.familylink.domain.access.SubjectAccessException.Reason;
import uk.familylink.domain.access.SubjectDataReader.PersonData;
import uk.familylink.domain.audit.AuditEvent;
import uk.familylink.domain.audit.AuditLog;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.family.FamilyProfile;
import uk.familylink.domain.family.PopulationProfile;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.validation.ValidatedRow;

/**
 * Subject access (UK GDPR Article 15): everything held about the person the given identifiers name.
 *
 * <p>Matching is the linker's, so the answer is what ingest would have joined to a row carrying the
 * same identifiers: the identifiers are normalised and pseudonymised exactly as ingest does (the
 * same {@link RowPseudonymiser}, the same working key); every strong identifier that is claimed
 * names a person; only when no strong identifier is claimed do the name + date of birth composites
 * count (NAME_DOB_POSTCODE first; NAME_DOB only when the request carries no strong identifier), and
 * a composite marked ambiguous never matches. Merges are followed to the survivor.
 *
 * <p>Nothing about a near miss escapes: identifiers that match nobody, and composites that are
 * ambiguous, give the same empty answer as a person about whom nothing is held.
 *
 * <p>Persons merged into the survivor are included whichever identifier reaches the survivor: each
 * merge item is indexed under its survivor (byPerson index, {@code MERGED#<id>}), so the persons
 * merged into it are found by query, never by a scan. The DPO should ask for every identifier the
 * person holds (see the README's procedure).
 *
 * <p>Every answer is audited ({@code SUBJECT_ACCESS}: requester, purpose, counts, identifier kinds
 * given) before it is returned; never an identifier or token. No audit, no answer.
 */
public final class SubjectAccess {

  public static final String AUDIT_KIND = AuditEvent.SubjectAccess.KIND;

  /** Longest requester or purpose accepted (they are stored in the audit). */
  public static final int MAX_TEXT = 200;

  private static final int MAX_MERGE_CHAIN = 32;
  private static final String ACCESS_DATASET = "subject-access";

  private final SubjectDataReader reader;
  private final AuditLog audit;
  private final WorkingKeys keys;
  private final EligibilityRule rule;
  private final Clock clock;
  private final LongSupplier auditExpiresAt;

  /**
   * @param auditExpiresAt expiresAt (epoch seconds) of the audit entry, e.g. the retention policy's
   */
  public SubjectAccess(
      SubjectDataReader reader,
      AuditLog audit,
      WorkingKeys keys,
      EligibilityRule rule,
      Clock clock,
      LongSupplier auditExpiresAt) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.auditExpiresAt = Objects.requireNonNull(auditExpiresAt, "auditExpiresAt");
  }

  /** Answers the request, or throws {@link SubjectAccessException} naming what is wrong with it. */
  public SubjectAccessAnswer answer(SubjectAccessRequest request) {
    Objects.requireNonNull(request, "request");
    String requester = text(request.requester(), "requester", Reason.MISSING_REQUESTER);
    String purpose = text(request.purpose(), "purpose", Reason.MISSING_PURPOSE);
    Map<IdentifierKind, String> normalised = normalise(request.identifiers());
    Instant now = clock.instant();

    PseudonymisedRow keysOfRequest =
        new RowPseudonymiser(keys.tokeniser(), ACCESS_DATASET)
            .pseudonymise(new ValidatedRow(0, normalised, Set.of(), null, null, false, Map.of()));
    Resolution found = resolve(keysOfRequest, now);
    SubjectAccessAnswer answer =
        found.survivors.isEmpty() ? SubjectAccessAnswer.empty(now) : collect(found, now);

    audit.append(
        new AuditEvent.SubjectAccess(
                requester,
                purpose,
                normalised.keySet().stream().map(Enum::name).toList(),
                answer.records().size(),
                answer.memberships().size(),
                answer.families().size())
            .entry(now, auditExpiresAt.getAsLong()));
    return answer;
  }

  // ---- request checks -------------------------------------------------------------------------

  private static String text(String value, String field, Reason missing) {
    if (value == null || value.isBlank()) {
      throw new SubjectAccessException(
          missing, field, field + " is required: say who is asking and why");
    }
    String trimmed = value.strip();
    if (trimmed.length() > MAX_TEXT) {
      throw new SubjectAccessException(
          Reason.INVALID_TEXT, field, field + " is longer than " + MAX_TEXT + " characters");
    }
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isISOControl(trimmed.charAt(i))) {
        throw new SubjectAccessException(
            Reason.INVALID_TEXT, field, field + " contains control characters");
      }
    }
    return trimmed;
  }

  private static Map<IdentifierKind, String> normalise(Map<IdentifierKind, String> raw) {
    Map<IdentifierKind, String> out = new EnumMap<>(IdentifierKind.class);
    for (Map.Entry<IdentifierKind, String> e : raw.entrySet()) {
      IdentifierKind kind = e.getKey();
      String field = SubjectAccessRequest.field(kind);
      if (!SubjectAccessRequest.FIELDS.containsKey(kind)) {
        throw new SubjectAccessException(
            Reason.UNKNOWN_FIELD,
            field,
            field + " is not an identifier a subject access request can use");
      }
      String value = Identifiers.normalise(kind, e.getValue());
      if (value == null) {
        throw new SubjectAccessException(
            Reason.INVALID_IDENTIFIER,
            field,
            field + " is not a valid " + describe(kind) + " (the value is not repeated here)");
      }
      out.put(kind, value);
    }
    boolean anyNamePart =
        out.containsKey(IdentifierKind.GIVEN_NAME)
            || out.containsKey(IdentifierKind.FAMILY_NAME)
            || out.containsKey(IdentifierKind.DATE_OF_BIRTH)
            || out.containsKey(IdentifierKind.POSTCODE);
    boolean fullName =
        out.containsKey(IdentifierKind.GIVEN_NAME)
            && out.containsKey(IdentifierKind.FAMILY_NAME)
            && out.containsKey(IdentifierKind.DATE_OF_BIRTH);
    if (anyNamePart && !fullName) {
      throw new SubjectAccessException(
          Reason.INCOMPLETE_IDENTIFIERS,
          "givenName",
          "givenName, familyName and dateOfBirth must be given together (postcode is optional with them)");
    }
    boolean anyStrong = out.keySet().stream().anyMatch(IdentifierKind::isStrong);
    if (!anyStrong && !fullName) {
      throw new SubjectAccessException(
          Reason.NO_IDENTIFIER,
          null,
          "give at least one of nhsNumber, nino, upn, uln, pncId, or givenName + familyName + dateOfBirth");
    }
    return out;
  }

  private static String describe(IdentifierKind kind) {
    return switch (kind) {
      case NHS_NUMBER -> "NHS number";
      case NINO -> "National Insurance number";
      case UPN -> "unique pupil number";
      case ULN -> "unique learner number";
      case PNC_ID -> "PNC ID";
      case GIVEN_NAME -> "given name";
      case FAMILY_NAME -> "family name";
      case DATE_OF_BIRTH -> "date of birth (yyyy-MM-dd or dd/MM/yyyy)";
      case POSTCODE -> "UK postcode";
      default -> kind.name();
    };
  }

  // ---- matching -------------------------------------------------------------------------------

  /** Survivors the request names, and every person ID met on the way (merged persons included). */
  private record Resolution(
      Set<PersonId> survivors, Set<PersonId> reached, Map<PersonId, PersonEntry> persons) {}

  private Resolution resolve(PseudonymisedRow row, Instant now) {
    List<IdentityKey> all = new ArrayList<>(row.strongKeys());
    all.addAll(row.compositeKeys());
    Map<IdentityKey, IdentityEntry> claims = reader.identities(all, now);
    Map<PersonId, PersonEntry> persons = new HashMap<>();
    Set<PersonId> survivors = new LinkedHashSet<>();
    Set<PersonId> reached = new LinkedHashSet<>();
    for (IdentityKey key : row.strongKeys()) {
      IdentityEntry claim = claims.get(key);
      if (claim != null) {
        follow(claim.person(), persons, survivors, reached, now);
      }
    }
    if (survivors.isEmpty()) {
      boolean hasStrong = !row.strongKeys().isEmpty();
      for (IdentityKey key : row.compositeKeys()) { // most specific first, as the linker does
        if (hasStrong && key.kind() != LinkKeyKind.NAME_DOB_POSTCODE) {
          continue;
        }
        IdentityEntry claim = claims.get(key);
        if (claim != null && !claim.ambiguous()) {
          follow(claim.person(), persons, survivors, reached, now);
          if (!survivors.isEmpty()) {
            break;
          }
        }
      }
    }
    return new Resolution(survivors, reached, persons);
  }

  /**
   * Follows mergedInto from {@code start} to the active survivor; persons expired or missing end
   * the walk.
   */
  private void follow(
      PersonId start,
      Map<PersonId, PersonEntry> persons,
      Set<PersonId> survivors,
      Set<PersonId> reached,
      Instant now) {
    Set<PersonId> path = new LinkedHashSet<>();
    PersonId current = start;
    for (int i = 0; i < MAX_MERGE_CHAIN && current != null && path.add(current); i++) {
      PersonEntry entry = persons.get(current);
      if (entry == null) {
        entry = reader.persons(List.of(current), now).get(current);
        if (entry == null) {
          return; // expired or gone: a claim of a vanished person matches nothing
        }
        persons.put(current, entry);
      }
      if (entry.isActive()) {
        survivors.add(current);
        reached.addAll(path);
        return;
      }
      current = entry.mergedInto();
    }
  }

  // ---- collecting -----------------------------------------------------------------------------

  private SubjectAccessAnswer collect(Resolution found, Instant now) {
    List<LinkedRecord> records = new ArrayList<>();
    List<FamilyMembership> memberships = new ArrayList<>();
    List<MergeRecord> merges = new ArrayList<>();
    Map<String, LinkReview> reviews = new TreeMap<>();
    Map<PersonId, PersonData> dataByPerson = new HashMap<>();
    // Persons merged into a reached person are the subject too, whichever identifier reached them.
    java.util.Deque<PersonId> toRead = new java.util.ArrayDeque<>(found.reached());
    while (!toRead.isEmpty()) {
      PersonId person = toRead.poll();
      if (dataByPerson.containsKey(person)) {
        continue;
      }
      PersonData data = reader.dataOf(person, now);
      dataByPerson.put(person, data);
      records.addAll(data.records());
      memberships.addAll(data.memberships());
      merges.addAll(data.merges());
      data.reviews().forEach(r -> reviews.put(r.id(), r));
      toRead.addAll(data.mergedIn());
    }
    List<SubjectAccessAnswer.RecordView> recordViews = new ArrayList<>();
    Set<String> files = new TreeSet<>();
    records.sort(
        Comparator.comparing(LinkedRecord::dataset)
            .thenComparing(r -> r.eventDate() == null ? "" : r.eventDate().toString())
            .thenComparing(LinkedRecord::recordToken));
    for (LinkedRecord r : records) {
      Set<Need> indicators =
          r.indicators() == null || r.indicators().isEmpty()
              ? EnumSet.noneOf(Need.class)
              : EnumSet.copyOf(r.indicators());
      recordViews.add(
          new SubjectAccessAnswer.RecordView(
              r.dataset(),
              r.partner(),
              r.eventDate(),
              indicators,
              r.birthYearMonth(),
              r.expectantParent(),
              r.attributes() == null ? Map.of() : new TreeMap<>(r.attributes()),
              r.fileId()));
      if (r.fileId() != null) {
        files.add(r.fileId());
      }
    }
    List<SubjectAccessAnswer.MembershipView> membershipViews = new ArrayList<>();
    for (FamilyMembership m : memberships) {
      membershipViews.add(
          new SubjectAccessAnswer.MembershipView(m.family().kind(), m.role(), m.dataset()));
    }
    membershipViews.sort(
        Comparator.comparing(SubjectAccessAnswer.MembershipView::familyKind)
            .thenComparing(
                SubjectAccessAnswer.MembershipView::dataset,
                Comparator.nullsFirst(Comparator.naturalOrder())));
    List<SubjectAccessAnswer.MergeView> mergeViews = new ArrayList<>();
    merges.sort(Comparator.comparing(MergeRecord::at));
    for (MergeRecord m : merges) {
      if (m.reviewId() != null) {
        LinkReview review = reviews.remove(m.reviewId());
        mergeViews.add(
            new SubjectAccessAnswer.MergeView(
                m.at(), "REVIEW", null, null, review == null ? null : view(review)));
      } else if (m.probabilistic() != null) {
        MergeRecord.ProbabilisticBridge b = m.probabilistic();
        mergeViews.add(
            new SubjectAccessAnswer.MergeView(
                m.at(),
                "PROBABILISTIC",
                null,
                m.fileId(),
                null,
                new SubjectAccessAnswer.BridgeView(
                    b.survivorWeight(),
                    b.mergedWeight(),
                    b.personsWeight(),
                    b.fields(),
                    b.modelVersion())));
      } else {
        mergeViews.add(
            new SubjectAccessAnswer.MergeView(
                m.at(),
                "IDENTIFIER",
                m.bridgedBy() == null ? null : m.bridgedBy().name(),
                m.fileId(),
                null));
      }
    }
    List<SubjectAccessAnswer.ReviewView> reviewViews = new ArrayList<>();
    reviews.values().stream()
        .sorted(Comparator.comparing(LinkReview::queuedAt))
        .forEach(r -> reviewViews.add(view(r)));
    return new SubjectAccessAnswer(
        now,
        recordViews,
        membershipViews,
        profiles(found, dataByPerson, memberships, now),
        new ArrayList<>(files),
        mergeViews,
        reviewViews);
  }

  private static SubjectAccessAnswer.ReviewView view(LinkReview r) {
    return new SubjectAccessAnswer.ReviewView(
        r.dataset(),
        r.weight(),
        r.breakdown(),
        r.modelVersion(),
        r.status().name(),
        r.queuedAt(),
        r.decidedAt());
  }

  /**
   * Needs profiles of the person's families, built by {@link PopulationProfile} over just those
   * families' members (their records and memberships, read by person and by family, no scan), so a
   * profile here is computed exactly as in the population report.
   */
  private List<SubjectAccessAnswer.FamilyView> profiles(
      Resolution found,
      Map<PersonId, PersonData> dataByPerson,
      List<FamilyMembership> subjectMemberships,
      Instant now) {
    if (subjectMemberships.isEmpty()) {
      return List.of();
    }
    Set<FamilyKey> families = new LinkedHashSet<>();
    subjectMemberships.forEach(m -> families.add(m.family()));
    Set<PersonId> members = new LinkedHashSet<>(found.reached());
    for (FamilyKey family : families) {
      reader.membersOf(family, now).forEach(m -> members.add(m.person()));
    }
    Map<PersonId, PersonEntry> persons = new HashMap<>(found.persons());
    Set<PersonId> unknown = new HashSet<>(members);
    unknown.removeAll(persons.keySet());
    for (int depth = 0; !unknown.isEmpty() && depth < MAX_MERGE_CHAIN; depth++) {
      Map<PersonId, PersonEntry> fetched = reader.persons(unknown, now);
      persons.putAll(fetched);
      unknown = new HashSet<>();
      for (PersonEntry p : fetched.values()) {
        if (!p.isActive() && !persons.containsKey(p.mergedInto())) {
          unknown.add(p.mergedInto());
        }
      }
    }
    List<LinkedRecord> records = new ArrayList<>();
    List<FamilyMembership> memberships = new ArrayList<>();
    for (PersonId member : members) {
      PersonData data = dataByPerson.computeIfAbsent(member, m -> reader.dataOf(m, now));
      records.addAll(data.records());
      memberships.addAll(data.memberships());
    }
    PopulationProfile profile =
        PopulationProfile.build(
            LinkedDataReader.of(persons.values(), records, memberships), now, rule);
    List<SubjectAccessAnswer.FamilyView> views = new ArrayList<>();
    for (FamilyProfile f : profile.families()) {
      if (f.members().stream().noneMatch(found.survivors()::contains)) {
        continue; // a family of another member that the subject is not in
      }
      Map<Need, Set<String>> needs = new EnumMap<>(Need.class);
      f.evidence().forEach((need, datasets) -> needs.put(need, new TreeSet<>(datasets)));
      views.add(
          new SubjectAccessAnswer.FamilyView(
              f.family().kind(),
              f.members().size(),
              needs,
              f.hasDependentChild(),
              f.hasExpectantParent(),
              f.eligible()));
    }
    return views;
  }
}
