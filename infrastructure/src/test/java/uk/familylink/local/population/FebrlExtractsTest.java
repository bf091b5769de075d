package uk.familylink.local.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FEBRL-shaped fixture made here (the benchmark file itself is not part of the repository). */
class FebrlExtractsTest {

  @TempDir Path dir;

  @Test
  void originalsAndDuplicatesGoToTwoExtractsAndTheTruthNamesTheRecId() throws IOException {
    Path febrl =
        Files.writeString(
            dir.resolve("febrl.csv"),
            "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode,"
                + " state, date_of_birth, soc_sec_id\n"
                + "rec-7-org, mitchell, green, 7, wallaby place, delmar, cleveland, 2119, sa,"
                + " 19560409, 1804974\n"
                + "rec-7-dup-0, mitchel, green, 7, wallaby pl, delmar, cleveland, 2119, sa,"
                + " 19560490, 1804974\n"
                + "rec-12-org, , smith, 1, high street, , bega, 2550, nsw, 19700101, 2\n");
    FebrlExtracts.Written written =
        FebrlExtracts.write(febrl, PartnerContracts.classpath(), dir.resolve("out"));
    assertThat(written.records()).isEqualTo(3);
    List<Map<String, String>> originals = ExtractWriterTest.read(written.originals());
    List<Map<String, String>> duplicates = ExtractWriterTest.read(written.duplicates());
    assertThat(originals).hasSize(2);
    assertThat(duplicates).hasSize(1);
    assertThat(originals.get(0))
        .containsEntry("given_name", "mitchell")
        .containsEntry("family_name", "green")
        .containsEntry("date_of_birth", "1956-04-09")
        .containsEntry("postcode", "");
    // an impossible date is not sent; the social security number never is
    assertThat(duplicates.get(0)).containsEntry("date_of_birth", "");
    assertThat(Files.readString(written.originals()) + Files.readString(written.duplicates()))
        .doesNotContain("1804974");
    List<Map<String, String>> truth = ExtractWriterTest.read(written.groundTruth());
    assertThat(truth)
        .extracting(r -> r.get("person_id"))
        .containsExactly("rec-7", "rec-7", "rec-12");
    assertThat(truth).extracting(r -> r.get("dataset")).containsOnly("police-incidents");
  }
}
