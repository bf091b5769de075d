package uk.familylink.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.family.EligibilityRule;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.ingest.IngestService;
import uk.familylink.domain.ingest.IngestSettings;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryCandidateIndex;
import uk.familylink.fakes.InMemoryFileLedger;
import uk.familylink.fakes.InMemoryLinkStoreWithIndex;
import uk.familylink.fakes.InMemoryLinkedData;
import uk.familylink.fakes.InMemoryObjectStore;
import uk.familylink.fakes.InMemorySubjectData;

/**
 * Subject access after a tier-3 bridge, through the real ingest service with the candidate index:
 * the merge is shown as a probabilistic bridge with its weights and model, never a value.
 */
class SubjectAccessBridgeTest {

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String BUCKET = "landing";
  private static final String NHS = SubjectAccessTest.validNhs(943_476_500L);
  private static final String PNC = CheckDigits.pncId(2019, 4321);

  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final InMemoryLinkedData linked = new InMemoryLinkedData();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final WorkingKeys keys = WorkingKeys.forIngest(new LocalKeyring(new byte[32]));
  private final RetentionPolicy retention = new RetentionPolicy(LocalDate.of(2026, 3, 31), 6);
  private final AtomicLong ids = new AtomicLong();
  private final IngestService ingest =
      new IngestService(
          ContractRegistry.fromClasspath(),
          objects,
          new InMemoryLinkStoreWithIndex(linked, new InMemoryCandidateIndex()),
          new InMemoryFileLedger(),
          audit,
          keys,
          IngestSettings.defaults(retention),
          Clock.fixed(NOW, ZoneOffset.UTC),
          () -> new PersonId(String.format("P%04d", ids.incrementAndGet())));
  private int files;

  private void ingest(String partner, String dataset, String csv) {
    String key = "incoming/" + partner + "/" + dataset + "/f" + ++files + ".csv";
    String eTag = objects.putText(BUCKET, key, csv);
    IngestService.IngestResult result =
        ingest.ingest(new IngestService.UploadedObject(BUCKET, key, csv.length(), eTag, null));
    assertThat(result.outcome()).as(key).isEqualTo(IngestService.Outcome.ACCEPTED);
  }

  private static final String POLICE =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,"
          + "incident_type,person_role\n";

  @Test
  void aMergeByATierThreeBridgeIsShownWithItsWeightsAndModelAndNoValue() {
    // Oliver Smith: a health record without a postcode, a police record without a date of birth
    // (names alone: a possible link, kept apart), then a police record with both.
    ingest(
        "health",
        "health",
        "record_ref,nhs_number,given_name,family_name,date_of_birth,postcode,service,"
            + "contact_date,expectant_parent\n"
            + "H-1,"
            + NHS
            + ",Oliver,Smith,2012-03-07,,GP,2026-01-05,N\n");
    ingest(
        "police",
        "police-incidents",
        POLICE + "PI-1," + PNC + ",Oliver,Smith,,HR1 2AB,2026-01-08,OFFENCE,SUSPECT\n");
    List<LinkReview> pending = linked.pending(NOW);
    assertThat(pending).hasSize(1);
    ingest(
        "police",
        "police-incidents",
        POLICE + "PI-2,,Oliver,Smith,2012-03-07,HR1 2AB,2026-01-09,OFFENCE,VICTIM\n");

    SubjectAccess access =
        new SubjectAccess(
            new InMemorySubjectData(linked),
            audit,
            keys,
            EligibilityRule.supportingFamilies2022(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            retention::expiresAtEpochSecond);
    // the PNC names the merged (younger) person: it is followed to the survivor
    SubjectAccessAnswer answer =
        access.answer(
            new SubjectAccessRequest(
                Map.of(IdentifierKind.PNC_ID, PNC), "Data Protection Officer", "DPO-9"));

    assertThat(answer.records()).hasSize(3);
    assertThat(answer.merges()).hasSize(1);
    SubjectAccessAnswer.MergeView merge = answer.merges().get(0);
    assertThat(merge.basis()).isEqualTo("PROBABILISTIC");
    assertThat(merge.identifierKind()).isNull();
    assertThat(merge.fileId()).isNotBlank();
    assertThat(answer.files()).as("the bridging record file").contains(merge.fileId());
    assertThat(merge.bridge()).isNotNull();
    assertThat(merge.bridge().survivorWeight()).isGreaterThanOrEqualTo(17);
    assertThat(merge.bridge().mergedWeight()).isGreaterThanOrEqualTo(17);
    assertThat(merge.bridge().personsWeight()).isBetween(11.0, 17.0);
    assertThat(merge.bridge().modelVersion()).isNotBlank();
    assertThat(answer.reviews())
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo("BRIDGED"));

    @SuppressWarnings("unchecked")
    Map<String, Object> shown =
        (Map<String, Object>) ((List<Object>) answer.toMap().get("merges")).get(0);
    assertThat(shown).containsEntry("basis", "PROBABILISTIC").containsKey("probabilistic");
    String text = answer.toText();
    assertThat(text)
        .contains("scored a probabilistic link to both")
        .contains(merge.bridge().modelVersion())
        .contains("a later record linked to both");
    String mergeJson = answer.toMap().get("merges").toString();
    assertThat(mergeJson + text.substring(text.indexOf("found to be one")))
        .doesNotContainIgnoringCase("oliver")
        .doesNotContainIgnoringCase("smith")
        .doesNotContain("HR1", "2012-03-07", PNC, NHS);
  }
}
