package uk.familylink.domain.access;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
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
import uk.familylink.domain.linkage.CandidateIndex;
import uk.familylink.domain.linkage.Demographics;
import uk.familylink.domain.linkage.EncodingSeal;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityEntry;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkedDataReader;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchScorer;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.linkage.PersonResolution;
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

  private static final String ACCESS_DATASET = "subject-access";

  private final SubjectDataReader reader;
  private final AuditLog audit;
  private final WorkingKeys keys;
  private final EligibilityRule rule;
  private final Clock clock;
  private final LongSupplier auditExpiresAt;
  private final MatchScorer scorer;
  private final CandidateIndex index; // null: deterministic tiers only

  /**
   * With the shipped match model ({@link MatchModel#shipped()}), as the ingest uses by default.
   *
   * @param auditExpiresAt expiresAt (epoch seconds) of the audit entry, e.g. the retention policy's
   */
  public SubjectAccess(
      SubjectDataReader reader,
      AuditLog audit,
      WorkingKeys keys,
      EligibilityRule rule,
      Clock clock,
      LongSupplier auditExpiresAt) {
    this(reader, audit, keys, rule, clock, auditExpiresAt, MatchModel.shipped());
  }

  /**
   * Tier 3 is used when the keys include the bloom working key ({@link WorkingKeys#forIngest}) and
   * the reader has the candidate index; otherwise the deterministic tiers only, as an ingest
   * without tier 3 would link.
   *
   * @param model the model the ingest scores rows with
   */
  public SubjectAccess(
      SubjectDataReader reader,
      AuditLog audit,
      WorkingKeys keys,
      EligibilityRule rule,
      Clock clock,
      LongSupplier auditExpiresAt,
      MatchModel model) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.auditExpiresAt = Objects.requireNonNull(auditExpiresAt, "auditExpiresAt");
    this.scorer = new MatchScorer(Objects.requireNonNull(model, "model"));
    this.index = keys.hasTierThree() ? reader.candidateIndex().orElse(null) : null;
  }

  /** Answers the request, or throws {@link SubjectAccessException} naming what is wrong with it. */
  public SubjectAccessAnswer answer(SubjectAccessRequest request) {
    Objects.requireNonNull(request, "request");
    String requester = text(request.requester(), "requester", Reason.MISSING_REQUESTER);
    String purpose = text(request.purpose(), "purpose", Reason.MISSING_PURPOSE);
    Map<IdentifierKind, String> normalised = normalise(request.identifiers());
    Instant now = clock.instant();

    PseudonymisedRow keysOfRequest =
        new RowPseudonymiser(
                keys.tokeniser(), tierThree() ? keys.newEncoder() : null, ACCESS_DATASET)
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
            || out.containsKey(IdentifierKind.POSTCODE)
            || out.containsKey(IdentifierKind.ADDRESS_LINE);
    boolean fullName =
        out.containsKey(IdentifierKind.GIVEN_NAME)
            && out.containsKey(IdentifierKind.FAMILY_NAME)
            && out.containsKey(IdentifierKind.DATE_OF_BIRTH);
    if (anyNamePart && !fullName) {
      throw new SubjectAccessException(
          Reason.INCOMPLETE_IDENTIFIERS,
          "givenName",
          "givenName, familyName and dateOfBirth must be given together (postcode and addressLine"
              + " are optional with them)");
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
      case ADDRESS_LINE -> "address line";
      default -> kind.name();
    };
  }

  // ---- matching -------------------------------------------------------------------------------

  /**
   * Survivors the request names, every person ID met on the way (merged persons included), and how
   * they were found.
   */
  private record Resolution(
      Set<PersonId> survivors,
      Set<PersonId> reached,
      Map<PersonId, PersonEntry> persons,
      SubjectAccessAnswer.MatchView match) {}

  /**
   * The person ingest would place a row carrying the request's identifiers with: the linker's own
   * rules ({@link PersonResolution}), against what the store holds now. Unlike ingest nothing is
   * written: no claim, no merge, no new person.
   */
  private Resolution resolve(PseudonymisedRow row, Instant now) {
    Reads reads = new Reads(now);
    List<IdentityKey> all = new ArrayList<>(row.strongKeys());
    all.addAll(row.compositeKeys());
    reads.readClaims(all);
    boolean scoring = tierThree() && row.demographics() != null;
    if (scoring) {
      Set<String> profiles = new LinkedHashSet<>();
      for (IdentityKey key : row.strongKeys()) {
        PersonId owner = reads.view.owner(key);
        if (owner != null) {
          profiles.add(CandidateIndex.profileKey(owner));
        }
      }
      reads.readEntries(profiles);
    }
    PersonResolution.StrongMatch strong =
        PersonResolution.strong(row, reads.view, scoring ? scorer : null);
    Set<PersonId> survivors = new LinkedHashSet<>(strong.persons());
    SubjectAccessAnswer.MatchView match = null;
    if (!survivors.isEmpty()) {
      match = SubjectAccessAnswer.MatchView.identifier(strong.persons().size());
    } else {
      PersonId byComposite = PersonResolution.composite(row, reads.view, tierThree());
      if (byComposite != null) {
        survivors.add(byComposite);
        match = SubjectAccessAnswer.MatchView.composite();
      } else if (scoring) {
        reads.readEntries(new LinkedHashSet<>(row.blockKeys()));
        PersonResolution.Ranking ranking = PersonResolution.rank(row, reads.view, scorer, Set.of());
        if (ranking.chosen() != null) {
          survivors.add(ranking.chosen());
          match = SubjectAccessAnswer.MatchView.probabilistic(ranking.best().get(ranking.chosen()));
        }
      }
    }
    Set<PersonId> reached = new LinkedHashSet<>();
    for (PersonId id : reads.persons.keySet()) {
      if (survivors.contains(reads.view.survivor(id))) {
        reached.add(id);
      }
    }
    reached.addAll(survivors);
    return new Resolution(survivors, reached, reads.persons, match);
  }

  private boolean tierThree() {
    return index != null;
  }

  /** What the request's resolution has read, for {@link PersonResolution}. */
  private final class Reads {
    private final Instant now;
    private final Map<IdentityKey, PersonId> owners = new HashMap<>();
    private final Set<IdentityKey> ambiguous = new HashSet<>();
    private final Map<PersonId, PersonEntry> persons = new HashMap<>();
    private final Map<String, List<CandidateIndex.Entry>> entries = new HashMap<>();
    private final Map<CandidateIndex.Entry, Demographics> opened = new HashMap<>();
    // a seal (like an encoder) is not thread-safe: one per request, as the ingest has one per file
    private final EncodingSeal seal = index == null ? null : keys.newSeal();
    private final PersonResolution.View view =
        new PersonResolution.View(
            owners,
            ambiguous,
            persons,
            Map.of(),
            entries,
            entry -> opened.computeIfAbsent(entry, e -> seal.open(e.sealed())));

    Reads(Instant now) {
      this.now = now;
    }

    void readClaims(List<IdentityKey> keys) {
      Set<PersonId> claimants = new HashSet<>();
      for (IdentityEntry claim : reader.identities(keys, now).values()) {
        owners.put(claim.key(), claim.person());
        if (claim.ambiguous()) {
          ambiguous.add(claim.key());
        }
        claimants.add(claim.person());
      }
      readPersons(claimants);
      // a claim of a person that expired or vanished matches nothing
      owners.values().removeIf(id -> !persons.containsKey(id));
    }

    void readEntries(Set<String> keys) {
      keys.removeAll(entries.keySet());
      if (keys.isEmpty()) {
        return;
      }
      Set<PersonId> filed = new HashSet<>();
      for (Map.Entry<String, CandidateIndex.Block> e :
          index.lookup(keys, PersonResolution.BLOCK_CAP, now).entrySet()) {
        if (e.getValue().capped()) {
          continue; // too common to compare against, as in ingest
        }
        entries.put(e.getKey(), e.getValue().entries());
        e.getValue().entries().forEach(entry -> filed.add(entry.person()));
      }
      readPersons(filed);
    }

    private void readPersons(Set<PersonId> ids) {
      PersonResolution.readChains(ids, batch -> reader.persons(batch, now), persons);
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
      recordViews.add(SubjectAccessAnswer.RecordView.of(r));
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
                    b.modelVersion(),
                    b.household())));
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
        reviewViews,
        found.match());
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
    PersonResolution.readChains(members, batch -> reader.persons(batch, now), persons);
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
