package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.DisclosurePolicy;
import uk.familylink.domain.disclosure.PublishedRelease;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.need.Need;
import uk.familylink.domain.outcome.OutcomeSettings;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.pseudonym.Tokeniser;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.statistics.Geography;
import uk.familylink.domain.statistics.ReleaseTables;
import uk.familylink.domain.statistics.StatTable;
import uk.familylink.domain.statistics.StatisticsRelease;
import uk.familylink.domain.statistics.StatisticsService;
import uk.familylink.handler.FamilyOutputsHandler;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.S3Events;
import uk.familylink.local.population.InterventionScenarios;
import uk.familylink.local.population.InterventionScenarios.Kind;
import uk.familylink.local.population.InterventionScenarios.Truth;

/**
 * Scripted interventions whose outcomes the generator knows, ingested through the real handler,
 * then both outputs functions' handlers (scheduled and invoked) and two partners' caseloads (S3
 * events): every output compared with the truth.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FamilyOutputsEndToEndTest {

  /** The local tool's folder, shared by the class's tests (keyring, logs); JUnit removes it. */
  @TempDir static Path workDir;

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);
  private static final int FAMILIES = 20;

  private EmbeddedAws aws;
  private LocalFamilyLink familyLink;
  private InterventionScenarios.Scenarios scenarios;
  private Tokeniser tokeniser;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private S3Events events;
  private FamilyOutputsHandler identification;
  private FamilyOutputsHandler evaluation;

  @BeforeAll
  void ingestScenarios() throws Exception {
    Path home = workDir;
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    familyLink = LocalFamilyLink.start(aws, home, clock);
    tokeniser = familyLink.keys().newTokeniser();
    events = new S3Events(clock, aws.region().id());
    scenarios = InterventionScenarios.generate(FAMILIES, AS_OF, familyLink.contracts());
    for (Map.Entry<String, String> extract : scenarios.extracts().entrySet()) {
      String partner =
          familyLink.contracts().find(extract.getKey()).orElseThrow().partners().get(0);
      String key = "incoming/" + partner + "/" + extract.getKey() + "/scenarios.csv";
      String response =
          deliver(
              (in, out, ctx) -> familyLink.handler().handleRequest(in, out, null),
              key,
              extract.getValue());
      assertThat(response).as(key).contains("\"ACCEPTED\":1");
    }
    IngestSettings uploaders =
        IngestSettings.defaults(
            new RetentionPolicy(
                LocalFamilyLink.DEFAULT_PROGRAMME_END, RetentionPolicy.DEFAULT_RETENTION_YEARS));
    identification =
        familyLink.outputsHandler(Purpose.IDENTIFICATION, aws.bucket(), clock, uploaders);
    evaluation = familyLink.outputsHandler(Purpose.EVALUATION, aws.bucket(), clock, uploaders);
    invoke(evaluation, "{\"requester\": \"data team\"}");
    invoke(identification, "{\"source\": \"aws.events\", \"detail-type\": \"Scheduled Event\"}");
  }

  @AfterAll
  void stop() {
    aws.close();
  }

  private interface Handler {
    void handle(java.io.InputStream in, java.io.OutputStream out, Object ctx) throws Exception;
  }

  private String deliver(Handler handler, String key, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    PutObjectResponse put =
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromBytes(bytes));
    String json = events.objectCreated(aws.bucket(), key, bytes.length, put.eTag(), "AWS:AIDAE2E");
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    handler.handle(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), response, null);
    return response.toString(StandardCharsets.UTF_8);
  }

  private String deliverCaseload(String key, String content) throws Exception {
    return deliver((in, out, ctx) -> identification.handleRequest(in, out, null), key, content);
  }

  private static String invoke(FamilyOutputsHandler handler, String json) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
    return out.toString(StandardCharsets.UTF_8);
  }

  private List<Map<String, String>> csv(String key) {
    String text =
        aws.s3()
            .getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key))
            .asString(StandardCharsets.UTF_8);
    String[] lines = text.strip().split("\n", -1);
    String[] header = lines[0].split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] cells = lines[i].split(",", -1);
      Map<String, String> row = new HashMap<>();
      for (int c = 0; c < header.length; c++) {
        row.put(header[c], cells[c]);
      }
      rows.add(row);
    }
    return rows;
  }

  private String familyId(String ref) {
    return "FAMILY_REF:"
        + tokeniser.token(
            IdentifierKind.FAMILY_REF, Identifiers.normalise(IdentifierKind.FAMILY_REF, ref));
  }

  private String evaluationKey(String file) {
    return "outputs/evaluation/" + AS_OF + "/" + file;
  }

  @Test
  void everyInterventionsOutcomeIsTheOneTheGeneratorScripted() {
    Map<String, Map<String, String>> byFamily = new HashMap<>();
    csv(evaluationKey("outcomes.csv")).forEach(r -> byFamily.put(r.get("family_id"), r));

    assertThat(byFamily).hasSize(FAMILIES);
    for (Truth t : scenarios.truth().values()) {
      Map<String, String> row = byFamily.get(familyId(t.familyRef()));
      assertThat(row).as(t.familyRef()).isNotNull();
      assertThat(row.get("result"))
          .as(t.familyRef() + " " + t.kind())
          .isEqualTo(t.kind().expectedResult());
      assertThat(row.get("referral_date")).isEqualTo(t.referral().toString());
      assertThat(row.get("as_of")).isEqualTo(AS_OF.toString());
      assertThat(row.get("start_needs")).contains("CRIME").contains("FAMILY_RELATIONSHIPS");
      assertThat(row.get("start_needs").contains("CHILD_SAFETY")).isEqualTo(t.reReferral());
      if (t.kind() == Kind.PRESENT_AT_CLOSURE) {
        assertThat(row.get("needs_at_closure")).isEqualTo("CRIME");
      }
      if (t.kind() == Kind.RECURRED) {
        assertThat(row.get("needs_recurred")).isEqualTo("CRIME");
      }
    }
  }

  @Test
  void reReferralsAndEffectMeasuresAddUpToTheTruth() {
    long reReferred = scenarios.truth().values().stream().filter(Truth::reReferral).count();
    long measured = scenarios.truth().values().stream().filter(Truth::effectMeasured).count();
    long offendingAfter =
        scenarios.truth().values().stream()
            .filter(t -> t.effectMeasured() && t.offendingAfter())
            .count();
    Map<String, long[]> totals = new HashMap<>();
    for (Map<String, String> r : csv(evaluationKey("re-referrals.csv"))) {
      long[] t = totals.computeIfAbsent(r.get("level"), k -> new long[2]);
      t[0] += Long.parseLong(r.get("referrals"));
      t[1] += Long.parseLong(r.get("re_referrals"));
      assertThat(r.get("datasets")).isEqualTo("early-help;social-care");
    }
    // each family: one Early Help episode and one social care referral; plus the lone family's one
    assertThat(totals.get("FAMILY")).containsExactly(2L * FAMILIES + 1, reReferred);
    // children: the same (parents are not children)
    assertThat(totals.get("CHILD")).containsExactly(2L * FAMILIES + 1, reReferred);

    Map<String, String> offending =
        csv(evaluationKey("effect-measures.csv")).stream()
            .filter(r -> r.get("measure").equals("OFFENDING"))
            .findFirst()
            .orElseThrow();
    assertThat(offending.get("families")).isEqualTo(Long.toString(measured));
    assertThat(offending.get("before")).isEqualTo(Long.toString(measured));
    assertThat(offending.get("after")).isEqualTo(Long.toString(offendingAfter));
    assertThat(offending.get("datasets")).isEqualTo("early-help;police-incidents");
  }

  /**
   * The published statistics read the same population: their outcome, re-referral and effect tables
   * are filled from the evaluation rules (not "x"), and what survives disclosure control agrees
   * with the truth within the policy's rounding of totals.
   */
  @Test
  void theStatisticsReleasePublishesTheEvaluationTablesFromTheSamePopulation() {
    DisclosureControl control = new DisclosureControl(DisclosurePolicy.dfe());
    StatisticsRelease release =
        new StatisticsService(
                familyLink.linkedData(),
                EligibilityRule.supportingFamilies2022(),
                OutcomeSettings.supportingFamilies2022(),
                control,
                Geography.herefordshire(),
                new uk.familylink.adapter.aws.DynamoDbAuditLog(
                    aws.dynamoDb(), LocalFamilyLink.AUDIT_TABLE),
                clock,
                () -> 1_900_000_000L)
            .produce("e2e", PublishedRelease.none());
    Map<String, StatTable> tables = new HashMap<>();
    release.tables().forEach(t -> tables.put(t.id(), t));
    assertThat(tables.get("outcomes_by_need").available()).isTrue();
    assertThat(tables.get("re_referrals_by_quarter").available()).isTrue();
    assertThat(tables.get("effect_measures").available()).isTrue();

    long judged =
        scenarios.truth().values().stream()
            .filter(t -> !t.kind().expectedResult().equals("PENDING"))
            .filter(t -> !t.kind().expectedResult().equals("OPEN"))
            .count();
    StatTable.Row relationshipsTotal =
        tables.get("outcomes_by_need").rows().stream()
            .filter(
                r ->
                    r.filterValues()
                        .equals(List.of(Need.FAMILY_RELATIONSHIPS.label(), ReleaseTables.TOTAL)))
            .findFirst()
            .orElseThrow();
    Long shown = StatisticsRelease.number(release.shown(relationshipsTotal));
    // every scripted family starts with FAMILY_RELATIONSHIPS (and CRIME, whose small cells
    // disclosure control hides); totals are rounded to 10 under the DfE policy
    assertThat(shown)
        .as(
            "%s",
            tables.get("outcomes_by_need").rows().stream()
                .map(r -> r.filterValues() + "=" + release.shown(r))
                .toList())
        .isNotNull();
    assertThat(Math.abs(shown - judged)).isLessThanOrEqualTo(5);
  }

  @Test
  void theIdentificationListNamesEveryScriptedFamilyFromTheDayItsThirdNeedWasEvidenced() {
    Map<String, String> firstMet = new HashMap<>();
    csv("outputs/identification/" + AS_OF + "/identification/families.csv")
        .forEach(r -> firstMet.put(r.get("family_id"), r.get("first_met")));

    assertThat(firstMet)
        .hasSize(FAMILIES)
        .doesNotContainKey(familyId(scenarios.socialCareOnlyRef()));
    for (Truth t : scenarios.truth().values()) {
      // CHILD_SAFETY (social care) and CRIME come first; FAMILY_RELATIONSHIPS at the referral
      assertThat(firstMet.get(familyId(t.familyRef())))
          .as(t.familyRef())
          .isEqualTo(t.referral().toString());
    }
  }

  @Test
  void eachPartnersCaseloadIsAnsweredForItsOwnReferencesOnly() throws Exception {
    List<String> refs = new ArrayList<>(scenarios.truth().keySet());
    StringBuilder earlyHelp = new StringBuilder("family_ref\n");
    refs.forEach(r -> earlyHelp.append(r.toLowerCase(java.util.Locale.ROOT)).append('\n'));
    earlyHelp.append(scenarios.socialCareOnlyRef()).append("\n\"\"\n");
    String response =
        deliverCaseload("caseload/early-help/early-help/cases.csv", earlyHelp.toString());
    assertThat(response).contains("\"ANSWERED\":1");

    List<Map<String, String>> answer = csv("reports/early-help/caseload/cases.csv.eligibility.csv");
    assertThat(answer).hasSize(FAMILIES + 2);
    for (int i = 0; i < FAMILIES; i++) {
      assertThat(answer.get(i).get("row")).isEqualTo(Integer.toString(i + 1));
      assertThat(answer.get(i).get("status")).isEqualTo("ELIGIBLE");
      assertThat(answer.get(i).get("first_met"))
          .isEqualTo(scenarios.truth().get(refs.get(i)).referral().toString());
    }
    // social care's own family: Early Help cannot learn anything about it
    assertThat(answer.get(FAMILIES).get("status")).isEqualTo("NOT_KNOWN");
    assertThat(answer.get(FAMILIES).get("needs")).isEmpty();
    assertThat(answer.get(FAMILIES + 1).get("status")).isEqualTo("INVALID_REFERENCE");
    // P2: the caseload upload is gone
    assertThat(aws.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix("caseload/")).keyCount())
        .isZero();

    // social care: the first family's reference is Early Help's only (its social care row named
    // no family), the lone family is social care's own (one need: not eligible)
    deliverCaseload(
        "caseload/social-care/social-care/mine.csv",
        "family_ref\n"
            + refs.get(0)
            + "\n"
            + scenarios.socialCareOnlyRef()
            + "\n"
            + refs.get(1)
            + "\n");
    assertThat(csv("reports/social-care/caseload/mine.csv.eligibility.csv"))
        .extracting(r -> r.get("status"))
        .containsExactly("NOT_KNOWN", "NOT_ELIGIBLE", "ELIGIBLE");

    // a partner naming another partner's dataset is refused
    deliverCaseload("caseload/police/early-help/probe.csv", "family_ref\n" + refs.get(1) + "\n");
    assertThat(
            aws.s3()
                .getObjectAsBytes(
                    b ->
                        b.bucket(aws.bucket()).key("reports/police/caseload/probe.csv.summary.txt"))
                .asString(StandardCharsets.UTF_8))
        .contains("refused");
    assertThat(
            aws.s3()
                .listObjectsV2(
                    b ->
                        b.bucket(aws.bucket())
                            .prefix("reports/police/caseload/probe.csv.eligibility"))
                .keyCount())
        .isZero();
  }

  @Test
  void everyRunAndCaseloadAnswerIsAuditedWithCountsOnly() throws Exception {
    deliverCaseload(
        "caseload/early-help/early-help/audit.csv",
        "family_ref\n" + scenarios.truth().keySet().iterator().next() + "\n");
    List<Map<String, String>> entries = new ArrayList<>();
    aws.dynamoDb()
        .scanPaginator(b -> b.tableName(LocalFamilyLink.AUDIT_TABLE))
        .items()
        .forEach(
            item -> {
              Map<String, String> e = new HashMap<>();
              item.forEach((k, v) -> e.put(k, v.toString()));
              entries.add(e);
            });
    String all = entries.toString();
    assertThat(entries.stream().filter(e -> e.toString().contains("OUTPUTS")).count())
        .isGreaterThanOrEqualTo(2);
    assertThat(all).contains("CASELOAD").contains("data team").contains("schedule");
    for (String ref : scenarios.truth().keySet()) {
      assertThat(all)
          .doesNotContain(ref)
          .doesNotContain(tokeniser.token(IdentifierKind.FAMILY_REF, ref));
    }
  }
}
