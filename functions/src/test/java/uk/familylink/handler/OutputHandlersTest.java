package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.FamilyMembership;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.release.ResearchReleaseService;
import uk.familylink.domain.statistics.Geography;
import uk.familylink.domain.statistics.StatisticsService;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;
import uk.familylink.report.ReleasePublisher;
import uk.familylink.report.StatisticsPublisher;

/** The statistics and research release handlers over in-memory ports. */
class OutputHandlersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-04-01T00:00:00Z").getEpochSecond();
  private static final String BUCKET = "exports";
  private static final List<Need> NEEDS =
      List.of(Need.EDUCATION, Need.CRIME, Need.HEALTH, Need.HOUSING);

  private final InMemoryLinkedData store = new InMemoryLinkedData();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  private void population(int families) {
    int person = 0;
    for (int f = 0; f < families; f++) {
      FamilyKey family = new FamilyKey("FAMILY_REF", "fam" + f);
      for (int m = 0; m < 3; m++) {
        PersonId id = new PersonId("P" + person++);
        store.claim(List.of(PersonEntry.created(id, NOW)), Map.of(), EXPIRES, NOW);
        store.putMemberships(List.of(new FamilyMembership(family, id, "M", "early-help", EXPIRES)));
        store.putRecords(
            List.of(
                new LinkedRecord(
                    "early-help",
                    "early-help",
                    "rec" + person,
                    id,
                    family,
                    Set.of(NEEDS.get((f + m) % NEEDS.size())),
                    LocalDate.of(2026, 1 + f % 6, 1),
                    m == 0 ? "2015-01" : "1985-01",
                    false,
                    Map.of(),
                    "file",
                    EXPIRES)));
      }
    }
  }

  private JsonNode invokeStatistics(String event) throws Exception {
    DisclosureControl control = new DisclosureControl(DisclosurePolicy.dfe());
    StatisticsService service =
        new StatisticsService(
            store,
            EligibilityRule.supportingFamilies2022(),
            uk.familylink.domain.outcome.OutcomeSettings.supportingFamilies2022(),
            control,
            Geography.herefordshire(),
            audit,
            clock,
            () -> EXPIRES);
    StatisticsHandler handler =
        new StatisticsHandler(new StatisticsPublisher(service, control, objects, BUCKET));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  @Test
  void theScheduledRunPublishesEveryFileAndTheNextRunChecksAgainstIt() throws Exception {
    population(40);
    JsonNode first =
        invokeStatistics("{\"source\": \"aws.events\", \"detail-type\": \"Scheduled Event\"}");
    assertThat(first.path("status").asText()).isEqualTo("PUBLISHED");
    assertThat(objects.keys(BUCKET))
        .contains(
            "statistics/2026-12-01/report.html",
            "statistics/2026-12-01/families_by_need.csv",
            "statistics/2026-12-01/families_by_need.meta.csv",
            StatisticsPublisher.LATEST_CELLS);
    assertThat(audit.entries()).extracting(e -> e.kind()).containsExactly("STATISTICS");
    assertThat(audit.entries().get(0).details())
        .containsEntry("requester", "schedule")
        .containsEntry("previousRelease", false);

    JsonNode second = invokeStatistics("{\"requester\": \"data-team\"}");
    assertThat(second.path("status").asText()).isEqualTo("PUBLISHED");
    assertThat(audit.entries().get(1).details())
        .containsEntry("requester", "data-team")
        .containsEntry("previousRelease", true);
  }

  @Test
  void anInvocationWithoutARequesterIsRefused() throws Exception {
    assertThat(invokeStatistics("{}").path("status").asText()).isEqualTo("REFUSED");
    assertThat(objects.keys(BUCKET)).isEmpty();
  }

  private JsonNode invokeRelease(String body) throws Exception {
    ResearchReleaseService service =
        new ResearchReleaseService(
            store,
            new LocalKeyring(new byte[32]),
            EligibilityRule.supportingFamilies2022(),
            audit,
            clock,
            LocalDate.of(2032, 3, 31),
            () -> EXPIRES);
    ResearchReleaseHandler handler =
        new ResearchReleaseHandler(new ReleasePublisher(service, objects, BUCKET));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  @Test
  void aReleaseIsWrittenUnderItsIdOnceAndABadRequestNamesItsProblems() throws Exception {
    population(20);
    String request =
        "{\"releaseId\": \"study-1\", \"study\": \"Outcomes\", \"approver\": \"Head of research\","
            + " \"purpose\": \"Evaluation\", \"legalBasis\": \"6(1)(e), 9(2)(j)\","
            + " \"expiresOn\": \"2028-01-31\"}";
    JsonNode released = invokeRelease(request);
    assertThat(released.path("status").asText()).isEqualTo("RELEASED");
    assertThat(objects.keys(BUCKET))
        .containsExactlyInAnyOrder("exports/study-1/persons.csv", "exports/study-1/manifest.json");
    assertThat(released.path("rows").asInt() + released.path("withheld").asInt()).isEqualTo(60);
    assertThat(objects.text(BUCKET, "exports/study-1/persons.csv"))
        .doesNotContain("P1", "fam1", "rec1");

    JsonNode again = invokeRelease(request);
    assertThat(again.path("status").asText()).isEqualTo("REFUSED");
    assertThat(again.path("reason").asText()).contains("exists already");

    JsonNode bad = invokeRelease("{\"releaseId\": \"x\", \"expiresOn\": \"soon\"}");
    assertThat(bad.path("status").asText()).isEqualTo("REFUSED");
    assertThat(bad.path("reason").asText()).contains("expiresOn");
  }

  @Test
  void outputsConfigurationFailsFastNamingEveryProblem() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                OutputsConfig.fromEnvironment(
                    Map.of(OutputsConfig.DISCLOSURE_POLICY, "ONS", OutputsConfig.PROTECTION, "0")))
        .hasMessageContaining(OutputsConfig.EXPORTS_BUCKET)
        .hasMessageContaining(OutputsConfig.DISCLOSURE_POLICY)
        .hasMessageContaining(OutputsConfig.PROTECTION);
    OutputsConfig nhs =
        OutputsConfig.fromEnvironment(
            Map.of(
                OutputsConfig.EXPORTS_BUCKET, "b",
                OutputsConfig.DISCLOSURE_POLICY, "NHS",
                OutputsConfig.PROTECTION, "15"));
    assertThat(nhs.policy().confidential()).isEqualTo("*");
    assertThat(nhs.policy().protection()).isEqualTo(15);
  }
}
