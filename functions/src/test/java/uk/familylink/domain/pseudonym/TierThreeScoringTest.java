package uk.familylink.domain.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.Demographics;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchModel.Field;
import uk.familylink.domain.linkage.MatchModel.Level;
import uk.familylink.domain.linkage.MatchScore;
import uk.familylink.domain.linkage.MatchScore.Decision;
import uk.familylink.domain.linkage.MatchScorer;

/** Keyed tier-3 encodings compared by the Fellegi–Sunter scorer, on normalised values. */
class TierThreeScoringTest {

  private final DemographicEncoder encoder = new DemographicEncoder(key(7));
  private final MatchScorer scorer = new MatchScorer(MatchModel.prior());

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) seed);
    return k;
  }

  private Demographics d(String given, String family, String dob, String postcode) {
    return encoder.encode(given, family, dob, postcode).demographics();
  }

  private MatchScore score(Demographics a, Demographics b) {
    return scorer.score(a, b);
  }

  private final Demographics oliver = d("OLIVER", "SMITHJONES", "2012-03-07", "HR1 2AB");

  @Test
  void theSameDemographicsLinkWithEveryFieldExact() {
    MatchScore s = score(oliver, d("OLIVER", "SMITHJONES", "2012-03-07", "HR1 2AB"));
    assertThat(s.decision()).isEqualTo(Decision.LINK);
    assertThat(s.breakdown())
        .isEqualTo("GIVEN_NAME=EXACT;FAMILY_NAME=EXACT;DATE_OF_BIRTH=EXACT;POSTCODE=EXACT");
    assertThat(s.modelVersion()).isEqualTo("fs-v1.1-prior");
  }

  @Test
  void realWorldErrorsStillLink() {
    // typo, half of a double-barrelled name, day/month swap, one year out, nickname, names swapped
    assertThat(score(oliver, d("OLIVRE", "SMITHJONES", "2012-03-07", "HR1 2AB")).decision())
        .isEqualTo(Decision.LINK);
    MatchScore half = score(oliver, d("OLIVER", "SMITH", "2012-03-07", "HR1 2AB"));
    assertThat(half.level(Field.FAMILY_NAME)).isEqualTo(Level.PART);
    assertThat(half.decision()).isEqualTo(Decision.LINK);
    MatchScore swapped = score(oliver, d("OLIVER", "SMITHJONES", "2012-07-03", "HR1 2AB"));
    assertThat(swapped.level(Field.DATE_OF_BIRTH)).isEqualTo(Level.SWAPPED);
    assertThat(swapped.decision()).isEqualTo(Decision.LINK);
    MatchScore year = score(oliver, d("OLIVER", "SMITHJONES", "2013-03-07", "HR1 2AB"));
    assertThat(year.level(Field.DATE_OF_BIRTH)).isEqualTo(Level.NEAR);
    assertThat(year.decision()).isEqualTo(Decision.LINK);
    MatchScore nick = score(oliver, d("OLLIE", "SMITHJONES", "2012-03-07", "HR1 2AB"));
    assertThat(nick.level(Field.GIVEN_NAME)).isEqualTo(Level.VARIANT);
    assertThat(nick.decision()).isEqualTo(Decision.LINK);
    MatchScore order = score(oliver, d("SMITHJONES", "OLIVER", "2012-03-07", "HR1 2AB"));
    assertThat(order.namesSwapped()).isTrue();
    assertThat(order.decision()).isEqualTo(Decision.LINK);
    // the other order with a typo in one of the names
    MatchScore orderTypo = score(oliver, d("SMITHJOENS", "OLIVER", "2012-03-07", "HR1 2AB"));
    assertThat(orderTypo.namesSwapped()).isTrue();
    assertThat(orderTypo.level(Field.GIVEN_NAME)).isEqualTo(Level.EXACT);
    assertThat(orderTypo.level(Field.FAMILY_NAME)).isIn(Level.CLOSE, Level.VARIANT);
    assertThat(orderTypo.decision()).isEqualTo(Decision.LINK);
    // the other order, the family name now in the given name's place sounding the same
    Demographics madeline = d("MADELINE", "MASON", "1958-11-28", "HR2 7QT");
    MatchScore sounds = score(madeline, d("MASNO", "MADELINE", "1958-11-28", "HR2 7QT"));
    assertThat(sounds.namesSwapped()).isTrue();
    assertThat(sounds.level(Field.FAMILY_NAME)).isEqualTo(Level.VARIANT);
    assertThat(sounds.decision()).isEqualTo(Decision.LINK);
    assertThat(score(d("MASNO", "MADELINE", "1958-11-28", "HR2 7QT"), madeline).decision())
        .as("either way round")
        .isEqualTo(Decision.LINK);
    Demographics william = d("WILLIAM", "PRICE", "1990-05-20", "HR4 9ZZ");
    assertThat(score(william, d("BILL", "PRICE", "1990-05-20", "HR4 9ZZ")).decision())
        .isEqualTo(Decision.LINK);
  }

  @Test
  void namesInTheOtherOrderAreNotTakenAsAgreeingWhenOneOfThemDiffers() {
    // crossed, OLIVER agrees but the other name is another one: no swap, and a twin stays a twin
    MatchScore s = score(oliver, d("AMELIA", "OLIVER", "2012-03-07", "HR1 2AB"));
    assertThat(s.namesSwapped()).isFalse();
    assertThat(s.decision()).isEqualTo(Decision.NO_LINK);
    // both crossed only close is no better than the names as given
    Demographics harris = d("OLIVER", "HARRIS", "2012-03-07", "HR1 2AB");
    MatchScore inPlace = score(harris, d("OLIBER", "HARTIS", "2012-03-07", "HR1 2AB"));
    assertThat(inPlace.level(Field.GIVEN_NAME)).isEqualTo(Level.CLOSE);
    assertThat(inPlace.level(Field.FAMILY_NAME)).isEqualTo(Level.CLOSE);
    MatchScore close = score(harris, d("HARTIS", "OLIBER", "2012-03-07", "HR1 2AB"));
    assertThat(close.namesSwapped()).isFalse();
    assertThat(close.level(Field.GIVEN_NAME)).isEqualTo(Level.DIFFERENT);
  }

  @Test
  void twinsAreNeverLinked() {
    Demographics twin = d("AMELIA", "SMITHJONES", "2012-03-07", "HR1 2AB");
    MatchScore s = score(oliver, twin);
    assertThat(s.level(Field.GIVEN_NAME)).isEqualTo(Level.DIFFERENT);
    assertThat(s.decision()).isEqualTo(Decision.NO_LINK);
    assertThat(scorer.score(oliver, twin, true).decision()).isEqualTo(Decision.NO_LINK);
  }

  @Test
  void twoLettersSwappedInAShortGivenNameAreATypoNotATwin() {
    Demographics arthur = d("AMBER", "TAYLOR", "2004-03-28", "HR6 9QD");
    Demographics typo = d("ABMER", "TAYLOR", "2004-03-28", "HR6 9QD");
    assertThat(Demographics.dice(arthur.givenBloom(), typo.givenBloom()))
        .as("the bigrams alone call it another name")
        .isLessThan(0.6);
    MatchScore s = score(arthur, typo);
    assertThat(s.level(Field.GIVEN_NAME)).isEqualTo(Level.CLOSE);
    assertThat(s.decision()).isEqualTo(Decision.LINK);
    assertThat(score(typo, arthur).decision()).as("either way round").isEqualTo(Decision.LINK);
    assertThat(scorer.contradicts(typo, arthur))
        .as("nor does it contradict an NHS number")
        .isFalse();
    // the last two letters (MARK, MAKR: 2 of 5 bigrams), and a six-letter name
    assertThat(
            score(
                    d("MARK", "TAYLOR", "2004-03-28", "HR6 9QD"),
                    d("MAKR", "TAYLOR", "2004-03-28", "HR6 9QD"))
                .level(Field.GIVEN_NAME))
        .isEqualTo(Level.CLOSE);
    assertThat(
            score(
                    d("SOPHIE", "TAYLOR", "2004-03-28", "HR6 9QD"),
                    d("SOPIHE", "TAYLOR", "2004-03-28", "HR6 9QD"))
                .level(Field.GIVEN_NAME))
        .isNotEqualTo(Level.DIFFERENT);
  }

  @Test
  void twinsWithShortOrSwappedLookingNamesAreStillTwins() {
    // three letters one swap apart are as often two names as one mistyped
    assertThat(d("KAI", "TAYLOR", "2019-06-01", "HR6 9QD").givenTranspositions()).isEmpty();
    assertThat(d("AMY", "TAYLOR", "2019-06-01", "HR6 9QD").givenTranspositions()).isEmpty();
    // two swaps apart is not one
    MatchScore far =
        score(
            d("ARTHUR", "TAYLOR", "2019-06-01", "HR6 9QD"),
            d("RATHRU", "TAYLOR", "2019-06-01", "HR6 9QD"));
    assertThat(far.level(Field.GIVEN_NAME)).isEqualTo(Level.DIFFERENT);
    assertThat(far.decision()).isEqualTo(Decision.NO_LINK);
  }

  @Test
  void encodingsStoredBeforeTranspositionsAreStillReadAndCompared() {
    Demographics arthur = d("ARTHUR", "TAYLOR", "2004-03-28", "HR6 9QD");
    assertThat(arthur.givenTranspositions()).hasSize(6); // itself, and 5 swaps
    byte[] v3 = arthur.toBytes();
    // version 2 had no transposition count after the address flag
    byte[] v2 = Arrays.copyOf(v3, v3.length - 1 - 8 * arthur.givenTranspositions().length);
    v2[0] = 2;
    Demographics old = Demographics.fromBytes(v2);
    assertThat(old.givenTranspositions()).isEmpty();
    assertThat(old.givenBloom()).isEqualTo(arthur.givenBloom());
    assertThat(score(old, arthur).decision()).isEqualTo(Decision.LINK);
    assertThat(Demographics.fromBytes(v3)).isEqualTo(arthur);
  }

  @Test
  void sameNameAndBirthDateElsewhereWithNothingElseIsOnlyAPossibleLink() {
    Demographics elsewhere = d("OLIVER", "SMITHJONES", "2012-03-07", "HR9 7XY");
    assertThat(score(oliver, elsewhere).decision()).isEqualTo(Decision.POSSIBLE);
    // a shared family or household reference is something else agreeing: a move
    assertThat(scorer.score(oliver, elsewhere, true).decision()).isEqualTo(Decision.LINK);
  }

  @Test
  void aRelativesIdentifierIsContradictedButAMarriedNameIsNot() {
    Demographics parent = d("GRACE", "SMITHJONES", "1985-11-30", "HR1 2AB");
    assertThat(scorer.contradicts(oliver, parent)).isTrue();
    Demographics married = d("OLIVER", "KHAN", "2012-03-07", "HR1 2AB");
    assertThat(scorer.contradicts(married, oliver)).isFalse();
    Demographics missing = d("OLIVER", null, null, null);
    assertThat(scorer.contradicts(missing, oliver)).isFalse();
  }

  @Test
  void encodingsRoundTripAndHoldNoValue() {
    Demographics back = Demographics.fromBytes(oliver.toBytes());
    assertThat(back).isEqualTo(oliver);
    assertThat(score(back, oliver).decision()).isEqualTo(Decision.LINK);
    String bytes = new String(oliver.toBytes(), StandardCharsets.ISO_8859_1);
    assertThat(bytes).doesNotContain("OLIVER").doesNotContain("SMITH").doesNotContain("2012");
    assertThat(oliver.toString()).doesNotContain("OLIVER");
  }

  @Test
  void anotherKeyGivesEncodingsThatDoNotMatch() {
    Demographics other =
        new DemographicEncoder(key(8))
            .encode("OLIVER", "SMITHJONES", "2012-03-07", "HR1 2AB")
            .demographics();
    assertThat(score(oliver, other).decision()).isEqualTo(Decision.NO_LINK);
    assertThat(
            new DemographicEncoder(key(8))
                .encode("OLIVER", "SMITHJONES", "2012-03-07", "HR1 2AB")
                .blockKeys())
        .doesNotContainAnyElementsOf(
            encoder.encode("OLIVER", "SMITHJONES", "2012-03-07", "HR1 2AB").blockKeys());
  }

  @Test
  void errorsKeepAtLeastOneBlockingKeyInCommon() {
    var base = encoder.encode("OLIVER", "SMITHJONES", "2012-03-07", "HR1 2AB").blockKeys();
    assertThat(base).hasSize(7);
    for (var variant :
        new String[][] {
          {"OLIVRE", "SMITHJONES", "2012-03-07", "HR9 1AA"},
          // family name and birth year both wrong: given name + month-day (B7) remains
          {"OLIVER", "KHAN", "2013-03-07", "HR9 1AA"},
          // family name and month-day wrong: given name + birth year (B6) remains
          {"OLIVER", "KHAN", "2012-11-22", null},
          // both names changed: the whole date of birth (B8) remains
          {"NOAH", "KHAN", "2012-03-07", null},
          {"OLLIE", "SMITH", "2012-03-07", "HR9 1AA"},
          {"OLIVER", "SMITHJONES", "2013-07-03", "HR9 1AA"},
          {"SMITHJONES", "OLIVER", "2012-03-07", null},
          {"OLIVER", "KHAN", "2012-03-07", "HR1 2XX"}
        }) {
      assertThat(encoder.encode(variant[0], variant[1], variant[2], variant[3]).blockKeys())
          .as(String.join("|", variant[0], variant[1]))
          .containsAnyElementsOf(base);
    }
  }
}
