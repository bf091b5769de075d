package uk.familylink.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.need.Need;
import uk.familylink.local.LocalFamilyLink;
import uk.familylink.local.aws.EmbeddedAws;
import uk.familylink.local.aws.IncomingPoller;
import uk.familylink.local.aws.S3Events;

/**
 * The corrections rule (infrastructure/contracts/README.md, "Corrections"): a re-upload of the same
 * dataset replaces the rows whose record reference it repeats, keeps the others, and a corrected
 * identifier re-links the record to the right person.
 */
class CorrectionsTest {

  /** The local tool's folder (keyring, logs); JUnit removes it afterwards. */
  @TempDir Path workDir;

  private static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  private static final String HEADER =
      "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n";
  private static final String WRONG_PNC = CheckDigits.pncId(2010, 1111);
  private static final String RIGHT_PNC = CheckDigits.pncId(2010, 2222);

  private EmbeddedAws aws;
  private LocalFamilyLink familyLink;
  private IncomingPoller poller;

  @BeforeEach
  void start() throws Exception {
    aws =
        EmbeddedAws.start(
            EmbeddedAws.Options.defaults()
                .withPorts(0, 0)
                .withDynamoMode(EmbeddedAws.DynamoMode.IN_PROCESS));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    familyLink = LocalFamilyLink.start(aws, workDir, clock);
    poller =
        new IncomingPoller(
            aws.s3(), aws.bucket(), new S3Events(clock, aws.region().id()), familyLink.sink());
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private void upload(String name, String csv) {
    aws.s3()
        .putObject(
            b -> b.bucket(aws.bucket()).key("incoming/police/police-incidents/" + name),
            RequestBody.fromBytes(csv.getBytes(StandardCharsets.UTF_8)));
    assertThat(poller.pollOnce()).isEqualTo(1);
  }

  private List<LinkedRecord> records() {
    List<LinkedRecord> out = new ArrayList<>();
    familyLink.linkedData().forEachRecord(NOW, out::add);
    return out;
  }

  private LinkedRecord onlyRecordWith(String incidentType) {
    return records().stream()
        .filter(r -> incidentType.equals(r.attributes().get("incident_type")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aCorrectedRowReplacesTheEarlierOneKeepsRowsNotRepeatedAndRelinksTheFixedIdentifier() {
    // The first file gives PR-1 the wrong person's PNC ID and the wrong incident type.
    upload(
        "week1.csv",
        HEADER
            + "PR-1,"
            + WRONG_PNC
            + ",,,,,2026-01-05,OFFENCE,SUSPECT\n"
            + "PR-2,"
            + RIGHT_PNC
            + ",,,,,2026-01-06,MISSING,MISSING_PERSON\n");
    String wrongPerson = onlyRecordWith("OFFENCE").person().value();
    String rightPerson = onlyRecordWith("MISSING").person().value();
    assertThat(wrongPerson).isNotEqualTo(rightPerson);
    assertThat(records()).hasSize(2);

    // The correction re-sends PR-1 only: the right PNC ID and the right incident type.
    upload(
        "week1-corrected.csv",
        HEADER + "PR-1," + RIGHT_PNC + ",,,,,2026-01-05,DOMESTIC_ABUSE,VICTIM\n");

    List<LinkedRecord> after = records();
    assertThat(after).as("one record per record reference: PR-1 replaced, PR-2 kept").hasSize(2);
    LinkedRecord corrected = onlyRecordWith("DOMESTIC_ABUSE");
    assertThat(corrected.indicators())
        .as("indicators are replaced, not merged")
        .containsExactly(Need.DOMESTIC_ABUSE);
    assertThat(after).noneMatch(r -> r.indicators().contains(Need.CRIME));
    assertThat(corrected.attributes()).containsEntry("person_role", "VICTIM");
    assertThat(corrected.person().value())
        .as("the fixed identifier re-links the record")
        .isEqualTo(rightPerson);
    assertThat(onlyRecordWith("MISSING").person().value()).isEqualTo(rightPerson);
    List<PersonEntry> persons = new ArrayList<>();
    familyLink.linkedData().forEachPerson(NOW, persons::add);
    assertThat(persons)
        .extracting(p -> p.id().value())
        .as(
            "the wrongly linked person keeps existing (its identity claim stays) but holds no record")
        .contains(wrongPerson);
    assertThat(after).noneMatch(r -> r.person().value().equals(wrongPerson));
  }
}
