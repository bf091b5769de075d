package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.adapter.local.LocalKeyring;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchScore.Decision;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.local.population.Dataset;
import uk.familylink.local.population.FebrlExtracts;
import uk.familylink.local.population.PartnerContracts;

/** Where true pairs are lost, on a FEBRL-shaped file whose every pair's fate is known. */
class PairDiagnosisTest {

  @TempDir Path dir;

  @Test
  void countsRefusedUnblockedAndScoredPairsApart() throws Exception {
    String header =
        "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode,"
            + " state, date_of_birth, soc_sec_id\n";
    String[][] rows = {
      // the same values: blocked, linked
      {"rec-1-org", "oliver", "khan", "20120307", "1, a st"},
      {"rec-1-dup-0", "oliver", "khan", "20120307", "1, a st"},
      // a typo in the given name: blocked, linked
      {"rec-2-org", "harley", "mccarthy", "19080419", "2, b st"},
      {"rec-2-dup-0", "harlee", "mccarthy", "19080419", "2, b st"},
      // family name, birth year and month all changed, and moved: no blocking key in common
      {"rec-3-org", "jasmine", "white", "19700213", "3, c st"},
      {"rec-3-dup-0", "jasmine", "brown", "19810513", "33, x rd"},
      // another given name: blocked, never linked (the twins rule)
      {"rec-4-org", "thomas", "lee", "19851130", "4, d st"},
      {"rec-4-dup-0", "brian", "lee", "19851130", "4, d st"},
      // no date of birth and no address line: refused by validation, so the pair is lost before
      // linkage (with an address line, names would be enough)
      {"rec-5-org", "grace", "patel", "19990909", "5, e st"},
      {"rec-5-dup-0", "grace", "patel", "", ", "},
      // family name and birth year changed, and moved: only given name + month-day (B7) is left
      {"rec-6-org", "amelia", "brown", "19900101", "6, f st"},
      {"rec-6-dup-0", "amelia", "grey", "19910101", "66, y rd"},
      // a stranger with person 1's name and birth date at another address: blocked with both of
      // its records; the address lines (another number, another street) keep them apart
      {"rec-7-org", "oliver", "khan", "20120307", "7, g st"}
    };
    StringBuilder febrl = new StringBuilder(header);
    for (String[] r : rows) {
      febrl.append(
          String.format("%s, %s, %s, %s, , b, 2000, nsw, %s, 1%n", r[0], r[1], r[2], r[4], r[3]));
    }
    FebrlExtracts.Written written =
        FebrlExtracts.write(
            Files.writeString(dir.resolve("febrl.csv"), febrl.toString()),
            PartnerContracts.classpath(),
            dir.resolve("out"));
    Map<String, Path> uploads = new LinkedHashMap<>();
    uploads.put(Dataset.POLICE_INCIDENTS.incomingKey("o.csv"), written.originals());
    uploads.put(Dataset.POLICE_INCIDENTS.incomingKey("d.csv"), written.duplicates());

    PairDiagnosis d =
        PairDiagnosis.measure(
            uploads,
            written.groundTruth(),
            WorkingKeys.forIngest(new LocalKeyring(dir.resolve("root.key"))),
            Clock.systemUTC(),
            MatchModel.prior());

    assertThat(d.truePairs()).isEqualTo(6);
    assertThat(d.validPairs()).as("person 5's duplicate is refused").isEqualTo(5);
    assertThat(d.blockedPairs()).as("all but person 3").isEqualTo(4);
    assertThat(d.pairCompleteness()).isEqualTo(4 / 6.0);
    assertThat(d.pairCompletenessOfValid()).isEqualTo(4 / 5.0);
    assertThat(d.decisions())
        .containsEntry(Decision.LINK, 2L)
        .doesNotContainKey(Decision.POSSIBLE)
        .containsEntry(Decision.NO_LINK, 2L);
    assertThat(d.candidatePairs())
        .as("the four blocked true pairs and person 7 twice")
        .isEqualTo(6);
    // without address lines person 7 was linked to both of person 1's records (two false links)
    assertThat(d.candidateLinks()).isEqualTo(2);
    assertThat(d.falseCandidateLinks()).isZero();
    assertThat(d.candidatePrecision()).isEqualTo(1.0);
    assertThat(d.missedPatterns().keySet())
        .anySatisfy(
            p -> assertThat(p).startsWith("NO_LINK GIVEN_NAME=DIFFERENT;FAMILY_NAME=EXACT"));
  }
}
