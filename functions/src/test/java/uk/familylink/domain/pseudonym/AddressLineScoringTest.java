package uk.familylink.domain.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.linkage.Demographics;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchModel.Field;
import uk.familylink.domain.linkage.MatchModel.Level;
import uk.familylink.domain.linkage.MatchScore;
import uk.familylink.domain.linkage.MatchScore.Decision;
import uk.familylink.domain.linkage.MatchScorer;

/** Issue 9 item 2: the address line as tier-3 evidence (docs/adr/0140). */
class AddressLineScoringTest {

  private final DemographicEncoder encoder = new DemographicEncoder(key(7));
  private final MatchScorer scorer = new MatchScorer(MatchModel.prior());

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) seed);
    return k;
  }

  private Demographics d(String given, String family, String dob, String postcode, String line) {
    String address = line == null ? null : Identifiers.normalise(IdentifierKind.ADDRESS_LINE, line);
    return encoder.encode(given, family, dob, postcode, address).demographics();
  }

  private final Demographics amy = d("AMY", "JONES", "1990-04-12", "HR1 2AB", "12 High Street");

  @Test
  void addressLinesAgreeExactlyCloselyInPartOrNot() {
    assertThat(level(amy, d("AMY", "JONES", "1990-04-12", "HR1 2AB", "12, high st.")))
        .isEqualTo(Level.EXACT);
    assertThat(level(amy, d("AMY", "JONES", "1990-04-12", "HR1 2AB", "12 Hihg Street")))
        .isEqualTo(Level.CLOSE);
    assertThat(level(amy, d("AMY", "JONES", "1990-04-12", "HR1 2AB", "High Street")))
        .isEqualTo(Level.CLOSE);
    assertThat(level(amy, d("AMY", "JONES", "1990-04-12", "HR1 2AB", "14 High Street")))
        .isEqualTo(Level.PART);
    // the same street mistyped, another house number: still the same street when the name is
    // long enough for one letter not to make another street; in a short one it may (MILL, HILL)
    Demographics grieve = d("AMY", "JONES", "1990-04-12", "HR1 2AB", "19 Grieve Place");
    assertThat(level(grieve, d("AMY", "JONES", "1990-04-12", "HR1 2AB", "142 Grieve Bplace")))
        .isEqualTo(Level.PART);
    assertThat(
            level(
                d("AMY", "JONES", "1990-04-12", "HR1 2AB", "3 Mill Road"),
                d("AMY", "JONES", "1990-04-12", "HR1 2AB", "12 Hill Road")))
        .isEqualTo(Level.DIFFERENT);
    assertThat(level(amy, d("AMY", "JONES", "1990-04-12", "HR1 2AB", "3 Mill Lane")))
        .isEqualTo(Level.DIFFERENT);
    assertThat(level(amy, d("AMY", "JONES", "1990-04-12", "HR1 2AB", null)))
        .isEqualTo(Level.MISSING);
    // a house number alone is no address line
    assertThat(level(amy, d("AMY", "JONES", "1990-04-12", "HR1 2AB", "12")))
        .isEqualTo(Level.MISSING);
  }

  @Test
  void anAgreeingAddressLineLetsTheSameNameAndBirthDateLinkAtAnotherPostcode() {
    // the postcode mistyped or out of date, the address line as written agrees
    MatchScore s = scorer.score(amy, d("AMY", "JONES", "1990-04-12", "HR9 7XY", "12 High St"));
    assertThat(s.level(Field.POSTCODE)).isEqualTo(Level.DIFFERENT);
    assertThat(s.decision()).isEqualTo(Decision.LINK);
    // a move: another postcode and another address line stays a possible link
    MatchScore moved = scorer.score(amy, d("AMY", "JONES", "1990-04-12", "HR9 7XY", "3 Mill Lane"));
    assertThat(moved.decision()).isEqualTo(Decision.POSSIBLE);
    // with no postcode on either side, different address lines are different places
    MatchScore noPostcode =
        scorer.score(
            d("AMY", "JONES", "1990-04-12", null, "12 High Street"),
            d("AMY", "JONES", "1990-04-12", null, "3 Mill Lane"));
    assertThat(noPostcode.decision()).isEqualTo(Decision.POSSIBLE);
    // but another house in the same street, its name mistyped, is not another place; Mill Road
    // and Hill Road are
    assertThat(
            scorer
                .score(
                    d("AMY", "JONES", "1990-04-12", null, "3 Mill Road"),
                    d("AMY", "JONES", "1990-04-12", null, "12 Hill Road"))
                .decision())
        .isEqualTo(Decision.POSSIBLE);
    MatchScore sameStreet =
        scorer.score(
            d("AMY", "JONES", "1990-04-12", null, "19 Grieve Place"),
            d("AMY", "JONES", "1990-04-12", null, "142 Grieve Bplace"));
    assertThat(sameStreet.level(Field.ADDRESS_LINE)).isEqualTo(Level.PART);
    assertThat(sameStreet.decision()).isEqualTo(Decision.LINK);
  }

  @Test
  void twinsAtTheSameAddressNeverLink() {
    MatchScore s = scorer.score(amy, d("BETH", "JONES", "1990-04-12", "HR1 2AB", "12 High Street"));
    assertThat(s.level(Field.ADDRESS_LINE)).isEqualTo(Level.EXACT);
    assertThat(s.decision()).isEqualTo(Decision.NO_LINK);
  }

  @Test
  void postcodeAndAddressLineAreOneResidenceNotTwoPiecesOfEvidence() {
    // a father and son of the same name at the same address, born 28 years apart: the address
    // adds nothing to the agreeing postcode, so it stays below the link threshold
    MatchScore s =
        scorer.score(
            d("JOHN", "SMITH", "1962-05-01", "HR1 2AB", "12 High Street"),
            d("JOHN", "SMITH", "1990-08-20", "HR1 2AB", "12 High Street"));
    assertThat(s.level(Field.DATE_OF_BIRTH)).isEqualTo(Level.DIFFERENT);
    assertThat(s.decision()).isNotEqualTo(Decision.LINK);
    MatchModel m = MatchModel.prior();
    double postcode = m.weight(Field.POSTCODE, Level.EXACT);
    double address = m.weight(Field.ADDRESS_LINE, Level.EXACT);
    assertThat(MatchScorer.placeWeight(postcode, address)).isEqualTo(Math.max(postcode, address));
  }

  @Test
  void aRecordWithoutADateOfBirthLinksOnNamesAndAddress() {
    MatchScore s = scorer.score(amy, d("AMY", "JONES", null, null, "12 High Street"));
    assertThat(s.level(Field.DATE_OF_BIRTH)).isEqualTo(Level.MISSING);
    assertThat(s.decision()).isEqualTo(Decision.LINK);
    assertThat(encoder.encode("AMY", "JONES", null, null, "12 HIGH STREET").blockKeys())
        .anyMatch(k -> k.startsWith("B9:"));
  }

  @Test
  void theAddressEncodingHoldsNoValueAndAnotherKeyMatchesNothing() {
    Demographics a = amy;
    byte[] bytes = a.toBytes();
    String latin = new String(bytes, StandardCharsets.ISO_8859_1);
    assertThat(latin).doesNotContain("HIGH").doesNotContain("12").doesNotContain("STREET");
    assertThat(Demographics.fromBytes(bytes)).isEqualTo(a);
    Demographics other =
        new DemographicEncoder(key(8))
            .encode("AMY", "JONES", "1990-04-12", "HR1 2AB", "12 HIGH STREET")
            .demographics();
    assertThat(other.addressFull()).isNotEqualTo(a.addressFull());
    assertThat(scorer.score(a, other).level(Field.ADDRESS_LINE)).isEqualTo(Level.DIFFERENT);
    assertThat(
            new DemographicEncoder(key(8))
                .encode("AMY", "JONES", "1990-04-12", "HR1 2AB", "12 HIGH STREET")
                .blockKeys())
        .doesNotContainAnyElementsOf(
            encoder.encode("AMY", "JONES", "1990-04-12", "HR1 2AB", "12 HIGH STREET").blockKeys());
  }

  @Test
  void encodingsStoredBeforeAddressLinesAreStillRead() {
    Demographics noAddress = d("AMY", "JONES", "1990-04-12", "HR1 2AB", null);
    byte[] v2 = noAddress.toBytes();
    // version 1: the same layout without the trailing address flag
    byte[] v1 = Arrays.copyOf(v2, v2.length - 1);
    v1[0] = 1;
    Demographics read = Demographics.fromBytes(v1);
    assertThat(read.hasAddress()).isFalse();
    assertThat(read).isEqualTo(noAddress);
  }

  private Level level(Demographics a, Demographics b) {
    return scorer.score(a, b).level(Field.ADDRESS_LINE);
  }
}
