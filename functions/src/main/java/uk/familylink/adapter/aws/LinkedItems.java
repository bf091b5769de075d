package uk.familylink.adapter.aws;

import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRES_AT;
import static uk.familylink.adapter.aws.DynamoDbTables.EXPIRY_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_PK;
import static uk.familylink.adapter.aws.DynamoDbTables.GSI1_SK;
import static uk.familylink.adapter.aws.DynamoDbTables.PK;
import static uk.familylink.adapter.aws.DynamoDbTables.SK;
import static uk.familylink.adapter.aws.LinkedTable.SK_ID;
import static uk.familylink.adapter.aws.LinkedTable.SK_MEMBER_PREFIX;
import static uk.familylink.adapter.aws.LinkedTable.SK_PERSON;
import static uk.familylink.adapter.aws.LinkedTable.SK_REC;
import static uk.familylink.adapter.aws.LinkedTable.familyPk;
import static uk.familylink.adapter.aws.LinkedTable.identityPk;
import static uk.familylink.adapter.aws.LinkedTable.personPk;
import static uk.familylink.adapter.aws.LinkedTable.recordPk;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.retention.ItemKind;

/**
 * How each linked-data item is written and read back (attribute by attribute), shared by the link
 * store and the population reader. Keys and kinds are {@link LinkedTable}'s.
 */
final class LinkedItems {

  private LinkedItems() {}

  /** The family a record's row named (null when none). */
  static FamilyKey familyOf(Map<String, AttributeValue> item) {
    AttributeValue kind = item.get("familyKind");
    AttributeValue token = item.get("familyToken");
    return kind == null || token == null ? null : new FamilyKey(kind.s(), token.s());
  }

  static Map<String, AttributeValue> base(String pk, String sk, long expiresAt) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(pk));
    item.put(SK, s(sk));
    item.put(EXPIRES_AT, n(expiresAt));
    item.put(EXPIRY_PK, s(DynamoDbTables.expiryPk(pk, expiresAt)));
    ItemKind kind = LinkedTable.kindOf(pk, sk);
    if (POPULATION_KINDS.contains(kind)) {
      item.put(DynamoDbTables.KIND_PK, s(DynamoDbTables.kindPk(kind.name(), pk)));
    }
    return item;
  }

  /**
   * The kinds indexed in byKind: those whole-population reads fetch, and pending reviews (a review
   * leaves the index when it is decided, so the queue is a Query of pending ones only).
   */
  static final Set<ItemKind> POPULATION_KINDS =
      EnumSet.of(ItemKind.PERSON, ItemKind.MERGE, ItemKind.REC, ItemKind.FAMILY, ItemKind.REVIEW);

  static Map<String, AttributeValue> identityItem(
      IdentityKey key, PersonId person, boolean ambiguous, long expiresAt) {
    String pk = identityPk(key);
    Map<String, AttributeValue> item = base(pk, SK_ID, expiresAt);
    item.put("person", s(person.value()));
    item.put("ambiguous", AttributeValue.fromBool(ambiguous));
    item.put(GSI1_PK, s(personPk(person)));
    item.put(GSI1_SK, s(pk));
    return item;
  }

  static Map<String, AttributeValue> personItem(PersonEntry p, long expiresAt) {
    Map<String, AttributeValue> item = base(personPk(p.id()), SK_PERSON, expiresAt);
    item.put("person", s(p.id().value()));
    item.put("createdAt", s(p.createdAt().toString()));
    if (p.mergedInto() != null) {
      item.put("mergedInto", s(p.mergedInto().value()));
    }
    return item;
  }

  static Map<String, AttributeValue> recordItem(LinkedRecord r) {
    String pk = recordPk(r.dataset(), r.recordToken());
    Map<String, AttributeValue> item = base(pk, SK_REC, r.expiresAt());
    item.put("person", s(r.person().value()));
    putIfPresent(item, "partner", r.partner());
    item.put("dataset", s(r.dataset()));
    item.put("recordToken", s(r.recordToken()));
    if (r.indicators() != null && !r.indicators().isEmpty()) {
      item.put(
          "indicators",
          AttributeValue.fromSs(r.indicators().stream().map(Enum::name).sorted().toList()));
    }
    if (r.eventDate() != null) {
      item.put("eventDate", s(r.eventDate().toString()));
    }
    putIfPresent(item, "birthYearMonth", r.birthYearMonth());
    item.put("expectantParent", AttributeValue.fromBool(r.expectantParent()));
    if (r.attributes() != null && !r.attributes().isEmpty()) {
      Map<String, AttributeValue> attrs = new HashMap<>();
      r.attributes()
          .forEach(
              (k, v) -> {
                if (v != null) {
                  attrs.put(k, s(v));
                }
              });
      item.put("attributes", AttributeValue.fromM(attrs));
    }
    putIfPresent(item, "fileId", r.fileId());
    if (!r.bridged().isEmpty()) {
      item.put(
          "bridged",
          AttributeValue.fromSs(r.bridged().stream().map(PersonId::value).sorted().toList()));
    }
    if (r.family() != null) {
      item.put("familyKind", s(r.family().kind()));
      item.put("familyToken", s(r.family().token()));
    }
    item.put(GSI1_PK, s(personPk(r.person())));
    item.put(GSI1_SK, s(pk));
    return item;
  }

  static Map<String, AttributeValue> membershipItem(FamilyMembership m) {
    String pk = familyPk(m.family());
    Map<String, AttributeValue> item =
        base(pk, SK_MEMBER_PREFIX + m.person().value(), m.expiresAt());
    item.put("familyKind", s(m.family().kind()));
    item.put("familyToken", s(m.family().token()));
    item.put("person", s(m.person().value()));
    putIfPresent(item, "role", m.role());
    putIfPresent(item, "dataset", m.dataset());
    item.put(GSI1_PK, s(personPk(m.person())));
    item.put(GSI1_SK, s(pk));
    return item;
  }

  static PersonEntry toPerson(Map<String, AttributeValue> item) {
    String id = item.get(PK).s().substring("PERSON#".length());
    AttributeValue merged = item.get("mergedInto");
    return new PersonEntry(
        new PersonId(id),
        Instant.parse(item.get("createdAt").s()),
        merged == null ? null : new PersonId(merged.s()));
  }

  static LinkedRecord toRecord(Map<String, AttributeValue> item) {
    Set<Need> indicators = EnumSet.noneOf(Need.class);
    AttributeValue ind = item.get("indicators");
    if (ind != null && ind.hasSs()) {
      ind.ss().forEach(n -> indicators.add(Need.valueOf(n)));
    }
    Map<String, String> attributes = new HashMap<>();
    AttributeValue attrs = item.get("attributes");
    if (attrs != null && attrs.hasM()) {
      attrs.m().forEach((k, v) -> attributes.put(k, v.s()));
    }
    AttributeValue expectant = item.get("expectantParent");
    return new LinkedRecord(
        str(item, "dataset"),
        str(item, "partner"),
        str(item, "recordToken"),
        new PersonId(str(item, "person")),
        familyOf(item),
        indicators,
        item.containsKey("eventDate") ? LocalDate.parse(str(item, "eventDate")) : null,
        str(item, "birthYearMonth"),
        expectant != null && Boolean.TRUE.equals(expectant.bool()),
        attributes,
        str(item, "fileId"),
        Long.parseLong(item.get(EXPIRES_AT).n()),
        bridgedOf(item));
  }

  /** The persons a record's row bridged by identifiers (ADR 0146); empty when none. */
  static Set<PersonId> bridgedOf(Map<String, AttributeValue> item) {
    AttributeValue v = item.get("bridged");
    if (v == null || !v.hasSs()) {
      return Set.of();
    }
    Set<PersonId> out = new java.util.LinkedHashSet<>();
    v.ss().forEach(id -> out.add(new PersonId(id)));
    return out;
  }

  static FamilyMembership toMembership(Map<String, AttributeValue> item) {
    return new FamilyMembership(
        new FamilyKey(str(item, "familyKind"), str(item, "familyToken")),
        new PersonId(str(item, "person")),
        str(item, "role"),
        str(item, "dataset"),
        Long.parseLong(item.get(EXPIRES_AT).n()));
  }

  static MergeRecord toMerge(Map<String, AttributeValue> item) {
    String bridgedBy = str(item, "bridgedBy");
    AttributeValue t3 = item.get("t3MergedWeight");
    return new MergeRecord(
        new PersonId(str(item, "survivor")),
        new PersonId(str(item, "merged")),
        bridgedBy == null ? null : LinkKeyKind.valueOf(bridgedBy),
        str(item, "fileId"),
        Instant.parse(str(item, "at")),
        str(item, "reviewId"),
        t3 == null
            ? null
            : new MergeRecord.ProbabilisticBridge(
                Double.parseDouble(item.get("t3SurvivorWeight").n()),
                Double.parseDouble(t3.n()),
                Double.parseDouble(item.get("t3PersonsWeight").n()),
                str(item, "t3Fields"),
                str(item, "t3Model"),
                item.containsKey("t3Household") && item.get("t3Household").bool()),
        item.containsKey("splitAt")
            ? new MergeRecord.Split(Instant.parse(str(item, "splitAt")), str(item, "splitBy"))
            : null);
  }

  /** A tier-3 bridge's evidence on its merge item: weights, field levels, model (no value). */
  static void putBridge(Map<String, AttributeValue> item, MergeRecord.ProbabilisticBridge b) {
    if (b == null) {
      return;
    }
    item.put("t3SurvivorWeight", AttributeValue.fromN(Double.toString(b.survivorWeight())));
    item.put("t3MergedWeight", AttributeValue.fromN(Double.toString(b.mergedWeight())));
    item.put("t3PersonsWeight", AttributeValue.fromN(Double.toString(b.personsWeight())));
    putIfPresent(item, "t3Fields", b.fields());
    putIfPresent(item, "t3Model", b.modelVersion());
    if (b.household()) {
      item.put("t3Household", AttributeValue.fromBool(true));
    }
  }

  /**
   * A review: indexed under its person in byPerson (subject access finds it by Query) and, while
   * pending, in byKind (the queue).
   */
  static Map<String, AttributeValue> reviewItem(LinkReview r) {
    String pk = LinkedTable.reviewPk(r.id());
    Map<String, AttributeValue> item = base(pk, LinkedTable.SK_REVIEW, r.expiresAt());
    if (!r.isPending()) {
      item.remove(DynamoDbTables.KIND_PK);
    }
    item.put("reviewId", s(r.id()));
    item.put("person", s(r.person().value()));
    item.put("candidate", s(r.candidate().value()));
    putIfPresent(item, "dataset", r.dataset());
    putIfPresent(item, "recordToken", r.recordToken());
    item.put("weight", AttributeValue.fromN(Double.toString(r.weight())));
    putIfPresent(item, "breakdown", r.breakdown());
    putIfPresent(item, "modelVersion", r.modelVersion());
    item.put("queuedAt", s(r.queuedAt().toString()));
    item.put("status", s(r.status().name()));
    if (r.decidedAt() != null) {
      item.put("decidedAt", s(r.decidedAt().toString()));
    }
    putIfPresent(item, "decidedBy", r.decidedBy());
    item.put(GSI1_PK, s(personPk(r.person())));
    item.put(GSI1_SK, s(pk));
    return item;
  }

  static LinkReview toReview(Map<String, AttributeValue> item) {
    String decidedAt = str(item, "decidedAt");
    AttributeValue weight = item.get("weight");
    return new LinkReview(
        str(item, "reviewId"),
        new PersonId(str(item, "person")),
        new PersonId(str(item, "candidate")),
        str(item, "dataset"),
        str(item, "recordToken"),
        weight == null ? 0 : Double.parseDouble(weight.n()),
        str(item, "breakdown"),
        str(item, "modelVersion"),
        Instant.parse(str(item, "queuedAt")),
        LinkReview.Status.valueOf(str(item, "status")),
        decidedAt == null ? null : Instant.parse(decidedAt),
        str(item, "decidedBy"),
        Long.parseLong(item.get(EXPIRES_AT).n()));
  }

  static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
