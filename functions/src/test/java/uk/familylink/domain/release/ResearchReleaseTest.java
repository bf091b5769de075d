package uk.familylink.domain.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.audit.AuditEntry;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.pseudonym.KeyPort;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryLinkedData;

class ResearchReleaseTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();
  private static final List<String> DATASETS =
      List.of("early-help", "police-incidents", "school-attendance", "health");

  private final InMemoryLinkedData store = new InMemoryLinkedData();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final Set<String> mainStoreValues = new HashSet<>();
  private final List<String> labelsDerived = new ArrayList<>();
  private int personsCreated;

  /** HMAC-SHA256(root, label), as KMS GenerateMac and the local keyring compute it. */
  private final KeyPort keys =
      label -> {
        labelsDerived.add(label);
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(
              new SecretKeySpec(
                  "test root key material 32 bytes!".getBytes(StandardCharsets.UTF_8),
                  "HmacSHA256"));
          return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };

  private ResearchReleaseService service() {
    return new ResearchReleaseService(
        store,
        keys,
        EligibilityRule.supportingFamilies2022(),
        audit,
        Clock.fixed(NOW, ZoneOffset.UTC),
        LocalDate.of(2032, 3, 31),
        () -> EXPIRES);
  }

  private static ReleaseRequest request(String id) {
    return new ReleaseRequest(
        id,
        "Sustained outcomes study",
        "Head of Research",
        "Evaluate the programme",
        "UK GDPR 6(1)(e), 9(2)(j); DPA 2018 Sch 1 para 4",
        LocalDate.of(2028, 12, 31),
        5);
  }

  /** 60 families of 2-4 people with coarse attributes from a small space. */
  private void population() {
    Random random = new Random(7);
    String[] births = {"1985-03", "1990-07", "2012-01", "2015-06", "2019-11"};
    Need[] needs = {Need.EDUCATION, Need.CRIME, Need.HEALTH, Need.HOUSING};
    int person = 0;
    for (int f = 0; f < 60; f++) {
      FamilyKey family = new FamilyKey("FAMILY_REF", "famtok" + f);
      mainStoreValues.add(family.token());
      int size = 2 + random.nextInt(3);
      for (int m = 0; m < size; m++) {
        PersonId id = new PersonId("P" + person++);
        personsCreated++;
        mainStoreValues.add(id.value());
        store.claim(
            List.of(PersonEntry.created(id, NOW.minusSeconds(100))), Map.of(), EXPIRES, NOW);
        store.putMemberships(
            List.of(new FamilyMembership(family, id, "MEMBER", "early-help", EXPIRES)));
        String birth = births[random.nextInt(births.length)];
        int records = 1 + random.nextInt(2);
        for (int r = 0; r < records; r++) {
          String token = "rectok" + person + "x" + r;
          mainStoreValues.add(token);
          store.putRecords(
              List.of(
                  new LinkedRecord(
                      DATASETS.get(random.nextInt(DATASETS.size())),
                      "partner",
                      token,
                      id,
                      family,
                      Set.of(needs[random.nextInt(needs.length)]),
                      LocalDate.of(2025, 1 + random.nextInt(3), 1 + random.nextInt(28)),
                      birth,
                      false,
                      Map.of(),
                      "file",
                      EXPIRES)));
        }
      }
    }
  }

  @Test
  void twoReleasesOfTheSamePopulationCannotBeJoined() {
    population();
    ResearchExtract one = service().release(request("study-a-2026"));
    ResearchExtract two = service().release(request("study-b-2026"));
    assertThat(labelsDerived)
        .containsExactly(
            "familylink/v1/release/study-a-2026", "familylink/v1/release/study-b-2026");
    assertThat(one.rows()).hasSizeGreaterThan(50);
    assertThat(two.rows()).hasSameSizeAs(one.rows());

    for (String id : List.of(ResearchReleaseService.PERSON, ResearchReleaseService.FAMILY)) {
      Set<String> a = values(one, id);
      Set<String> b = values(two, id);
      assertThat(a).doesNotContainAnyElementsOf(b);
      assertThat(a).doesNotContainAnyElementsOf(mainStoreValues);
      assertThat(b).doesNotContainAnyElementsOf(mainStoreValues);
    }
    // every attribute is a quasi-identifier and every class has at least k rows, so no combination
    // of columns picks out one row in either release; checked directly for every combination of up
    // to three columns and for all of them together
    List<String> attributes = one.quasiIdentifiers();
    assertThat(KAnonymity.smallestClass(one.rows(), attributes)).isGreaterThanOrEqualTo(5);
    assertThat(KAnonymity.smallestClass(two.rows(), attributes)).isGreaterThanOrEqualTo(5);
    List<List<String>> combinations = new ArrayList<>();
    combinations.add(attributes);
    for (int i = 0; i < attributes.size(); i++) {
      combinations.add(List.of(attributes.get(i)));
      for (int j = i + 1; j < attributes.size(); j++) {
        combinations.add(List.of(attributes.get(i), attributes.get(j)));
        for (int k = j + 1; k < attributes.size(); k++) {
          combinations.add(List.of(attributes.get(i), attributes.get(j), attributes.get(k)));
        }
      }
    }
    for (List<String> columns : combinations) {
      Set<List<String>> uniqueInOne = unique(one.rows(), columns);
      Set<List<String>> uniqueInTwo = unique(two.rows(), columns);
      uniqueInOne.retainAll(uniqueInTwo);
      assertThat(uniqueInOne).as("values unique in both releases on %s", columns).isEmpty();
    }
  }

  @Test
  void smallClassesAreGeneralisedOrWithheldAndCounted() {
    population();
    ResearchExtract extract = service().release(request("study-a-2026"));
    assertThat(extract.generalised()).isPositive();
    assertThat(extract.rows().size() + extract.withheld()).isEqualTo(personsCreated);
    assertThat(extract.rows())
        .allSatisfy(
            r -> {
              assertThat(r.get("first_seen")).matches("[0-9]{4}(-[0-9]{2})?|\\*");
              assertThat(r.get("age_band")).matches("[0-9]+-[0-9]+|65\\+|child|adult|unknown");
            });
    String manifest = new String(ReleaseFiles.manifest(extract), StandardCharsets.UTF_8);
    assertThat(manifest)
        .contains("\"study\" : \"Sustained outcomes study\"")
        .contains("\"approver\" : \"Head of Research\"")
        .contains("\"legalBasis\"")
        .contains("\"withheld\" : " + extract.withheld())
        .contains("\"expiresOn\" : \"2028-12-31\"");
    assertThat(ReleaseFiles.of(extract))
        .containsOnlyKeys("exports/study-a-2026/persons.csv", "exports/study-a-2026/manifest.json");
  }

  @Test
  void everyReleaseIsAuditedWithCountsAndNoPseudonym() {
    population();
    ResearchExtract extract = service().release(request("study-a-2026"));
    AuditEntry entry = audit.entries().get(audit.entries().size() - 1);
    assertThat(entry.kind()).isEqualTo("RESEARCH_RELEASE");
    assertThat(entry.details())
        .containsEntry("approver", "Head of Research")
        .containsEntry("rows", extract.rows().size())
        .containsEntry("withheld", extract.withheld());
    String details = entry.details().toString();
    for (Map<String, String> row : extract.rows()) {
      assertThat(details).doesNotContain(row.get(ResearchReleaseService.PERSON));
    }
  }

  @Test
  void theReleaseExpiresNoLaterThanTheData() {
    population();
    ReleaseRequest late =
        new ReleaseRequest("study-late", "s", "a", "p", "l", LocalDate.of(2040, 1, 1), 5);
    assertThat(service().release(late).expiresOn()).isEqualTo(LocalDate.of(2032, 3, 31));
    ReleaseRequest past =
        new ReleaseRequest("study-past", "s", "a", "p", "l", LocalDate.of(2026, 1, 1), 5);
    assertThatThrownBy(() -> service().release(past)).hasMessageContaining("future");
  }

  @Test
  void aRequestNamesEveryProblemAtOnce() {
    assertThatThrownBy(() -> new ReleaseRequest("A!", " ", null, "p", "", null, 1))
        .hasMessageContaining("releaseId")
        .hasMessageContaining("study")
        .hasMessageContaining("approver")
        .hasMessageContaining("legalBasis")
        .hasMessageContaining("expiresOn")
        .hasMessageContaining("k must");
  }

  private static Set<String> values(ResearchExtract extract, String column) {
    Set<String> out = new HashSet<>();
    extract.rows().forEach(r -> out.add(r.get(column)));
    return out;
  }

  private static Set<List<String>> unique(List<Map<String, String>> rows, List<String> columns) {
    Map<List<String>, Integer> counts = new HashMap<>();
    for (Map<String, String> row : rows) {
      List<String> key = new ArrayList<>();
      columns.forEach(c -> key.add(row.get(c)));
      counts.merge(key, 1, Integer::sum);
    }
    Set<List<String>> out = new HashSet<>();
    counts.forEach(
        (k, n) -> {
          if (n == 1) {
            out.add(k);
          }
        });
    return out;
  }
}
