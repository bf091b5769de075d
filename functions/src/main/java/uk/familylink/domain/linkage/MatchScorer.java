package uk.familylink.domain.linkage;

import java.util.EnumMap;
import uk.familylink.domain.linkage.MatchModel.Field;
import uk.familylink.domain.linkage.MatchModel.Level;

/**
 * Compares two records' keyed encodings field by field (tier 3) and decides with a {@link
 * MatchModel}. Pure: no store, no keys.
 *
 * <p>Rules on top of the weights, each of which must hold whatever the model says:
 *
 * <ul>
 *   <li>Given names that disagree (not a typo, nickname or phonetic variant) never link: twins
 *       share a family name, a birth date and an address and differ only there. Two letters of a
 *       given name of four or more swapped is a typo.
 *   <li>Same names and birth date in different places (both postcodes given, different sectors)
 *       with nothing else agreeing (no shared family or household reference) is at most a possible
 *       link, never a link.
 *   <li>An address line that agrees (exactly or closely) is something else agreeing: it lets such a
 *       pair link. With no postcode on either side, address lines with another house number and
 *       another street are different places (a garbled or half-given line is not).
 *   <li>Postcode and address line are one residence: their agreements are not added twice ({@link
 *       #placeWeight}).
 *   <li>The names may be written in the other order: compared crossed, they count as agreeing.
 * </ul>
 */
public final class MatchScorer {

  static final double EXACT_DICE = 0.999;
  static final double CLOSE_DICE = 0.6;
  static final double PART_OVERLAP = 0.8;

  private final MatchModel model;

  public MatchScorer(MatchModel model) {
    this.model = model;
  }

  public MatchModel model() {
    return model;
  }

  public MatchScore score(Demographics a, Demographics b) {
    return score(a, b, false);
  }

  /**
   * Compares two records, knowing whether they name the same family or household.
   *
   * @param sameFamily the two records name the same family or household reference: something
   *     besides names and birth date agrees, so different postcodes (a move) do not stop a link
   */
  public MatchScore score(Demographics a, Demographics b, boolean sameFamily) {
    Level given = givenLevel(a, b);
    Level family = familyLevel(a, b);
    boolean swapped = false;
    if (weak(given) && weak(family)) {
      Level crossGiven =
          nameLevel(a.givenBloom(), b.familyBloom(), a.givenVariants(), b.familyVariants(), false);
      Level crossFamily =
          nameLevel(a.familyBloom(), b.givenBloom(), a.familyVariants(), b.givenVariants(), false);
      if (crossedAgree(crossGiven, crossFamily)) {
        given = crossGiven;
        family = crossFamily;
        swapped = true;
      }
    }
    Level dob = dobLevel(a, b);
    Level postcode = postcodeLevel(a, b);
    Level address = addressLevel(a, b);
    EnumMap<Field, Level> levels = new EnumMap<>(Field.class);
    levels.put(Field.GIVEN_NAME, given);
    levels.put(Field.FAMILY_NAME, family);
    levels.put(Field.DATE_OF_BIRTH, dob);
    levels.put(Field.POSTCODE, postcode);
    if (address != Level.MISSING) {
      levels.put(Field.ADDRESS_LINE, address);
    }
    double weight = 0;
    for (var e : levels.entrySet()) {
      if (e.getKey() != Field.POSTCODE && e.getKey() != Field.ADDRESS_LINE) {
        weight += model.weight(e.getKey(), e.getValue());
      }
    }
    weight += placeWeight(model.weight(Field.POSTCODE, postcode), addressWeight(address));
    MatchScore.Decision decision =
        weight >= model.linkThreshold()
            ? MatchScore.Decision.LINK
            : weight >= model.possibleThreshold()
                ? MatchScore.Decision.POSSIBLE
                : MatchScore.Decision.NO_LINK;
    if (given == Level.DIFFERENT && decision != MatchScore.Decision.NO_LINK) {
      decision = MatchScore.Decision.NO_LINK; // twins rule
    }
    boolean addressAgrees = address == Level.EXACT || address == Level.CLOSE;
    boolean differentPlaces =
        postcode == Level.DIFFERENT
            || postcode == Level.DISTRICT
            || (postcode == Level.MISSING && address == Level.DIFFERENT && numbersDiffer(a, b));
    if (differentPlaces && !sameFamily && !addressAgrees && decision == MatchScore.Decision.LINK) {
      decision = MatchScore.Decision.POSSIBLE; // same name and birth date elsewhere
    }
    return MatchScore.of(levels, swapped, weight, decision, model.version());
  }

  /** Both address lines have a house number and they differ. */
  private static boolean numbersDiffer(Demographics a, Demographics b) {
    return a.addressNumber() != 0
        && b.addressNumber() != 0
        && a.addressNumber() != b.addressNumber();
  }

  private double addressWeight(Level address) {
    return address == Level.MISSING ? 0 : model.weight(Field.ADDRESS_LINE, address);
  }

  /**
   * Postcode and address line are two measures of one residence, not independent evidence: when
   * both agree (or both disagree) only the stronger counts; when one agrees and the other does not
   * (a mistyped postcode, or another house in the same postcode), both count.
   */
  public static double placeWeight(double postcode, double address) {
    if (postcode > 0 && address > 0) {
      return Math.max(postcode, address);
    }
    if (postcode < 0 && address < 0) {
      return Math.min(postcode, address);
    }
    return postcode + address;
  }

  /**
   * Whether a record's demographics contradict a person's (for a strong identifier to be trusted):
   * a different given name, or a different date of birth together with a different family name.
   * Missing fields never contradict.
   */
  public boolean contradicts(Demographics row, Demographics person) {
    MatchScore s = score(row, person);
    Level given = s.level(Field.GIVEN_NAME);
    Level family = s.level(Field.FAMILY_NAME);
    Level dob = s.level(Field.DATE_OF_BIRTH);
    return given == Level.DIFFERENT || (dob == Level.DIFFERENT && family == Level.DIFFERENT);
  }

  /**
   * Names compared crossed agree when neither differs and at least one agrees better than closely:
   * a name written in the other order may carry a typo too ("MASON MADELINE" and "MADELINE MASNO").
   */
  private static boolean crossedAgree(Level given, Level family) {
    return given != Level.DIFFERENT && family != Level.DIFFERENT && (!weak(given) || !weak(family));
  }

  private static boolean weak(Level level) {
    return level == Level.DIFFERENT || level == Level.CLOSE;
  }

  /**
   * Given names one adjacent swap apart are close, however few bigrams they share: in a name of up
   * to six letters a transposed typo keeps under 0.6 of them, and would look like a twin's.
   */
  private static Level givenLevel(Demographics a, Demographics b) {
    Level level =
        nameLevel(a.givenBloom(), b.givenBloom(), a.givenVariants(), b.givenVariants(), false);
    return level == Level.DIFFERENT && Demographics.transposed(a, b) ? Level.CLOSE : level;
  }

  private static Level familyLevel(Demographics a, Demographics b) {
    return nameLevel(
        a.familyBloom(), b.familyBloom(), a.familyVariants(), b.familyVariants(), true);
  }

  private static Level nameLevel(
      long[] bloomA, long[] bloomB, long[] variantsA, long[] variantsB, boolean parts) {
    if (bloomA == null || bloomB == null) {
      return Level.MISSING;
    }
    double dice = Demographics.dice(bloomA, bloomB);
    if (dice >= EXACT_DICE) {
      return Level.EXACT;
    }
    if (parts && Demographics.overlap(bloomA, bloomB) >= PART_OVERLAP) {
      return Level.PART;
    }
    if (Demographics.shareAny(variantsA, variantsB)) {
      return Level.VARIANT;
    }
    return dice >= CLOSE_DICE ? Level.CLOSE : Level.DIFFERENT;
  }

  private static Level dobLevel(Demographics a, Demographics b) {
    if (!a.hasDob() || !b.hasDob()) {
      return Level.MISSING;
    }
    if (a.dobFull() == b.dobFull()) {
      return Level.EXACT;
    }
    if ((a.dobSwapped() != 0 && a.dobSwapped() == b.dobFull())
        || (b.dobSwapped() != 0 && b.dobSwapped() == a.dobFull())) {
      return Level.SWAPPED;
    }
    boolean year = a.dobYear() == b.dobYear();
    boolean month = a.dobMonth() == b.dobMonth();
    boolean day = a.dobDay() == b.dobDay();
    boolean nearYear = a.dobYearNext() == b.dobYear() || b.dobYearNext() == a.dobYear();
    if (month && day && nearYear) {
      return Level.NEAR;
    }
    int agree = (year ? 1 : 0) + (month ? 1 : 0) + (day ? 1 : 0);
    return agree == 2 ? Level.CLOSE : Level.DIFFERENT;
  }

  static final double ADDRESS_CLOSE_DICE = 0.7;

  /**
   * How nearly two streets' letters must agree to be one street when the house numbers differ too:
   * stricter than {@link #ADDRESS_CLOSE_DICE}, where the agreeing number corroborates. One letter
   * apart is a typo in a long street name but often another street in a short one (MILL ROAD, HILL
   * ROAD: 0.78).
   */
  static final double STREET_TYPO_DICE = 0.8;

  /**
   * EXACT: the same normalised line; CLOSE: the street's letters nearly agree (Dice of their Bloom
   * filters) and the house numbers agree or one is missing; PART: the same street, another house
   * number; else DIFFERENT. A street mistyped is still the street: "142 GRIEVE BPLACE" and "19
   * GRIEVE PLACE" are one street, as "12 HIHG STREET" and "12 HIGH STREET" are one address.
   */
  private static Level addressLevel(Demographics a, Demographics b) {
    if (!a.hasAddress() || !b.hasAddress()) {
      return Level.MISSING;
    }
    if (a.addressFull() == b.addressFull()) {
      return Level.EXACT;
    }
    boolean numbers =
        a.addressNumber() == 0 || b.addressNumber() == 0 || a.addressNumber() == b.addressNumber();
    boolean sameStreet = a.addressStreet() != 0 && a.addressStreet() == b.addressStreet();
    double dice = Demographics.dice(a.addressBloom(), b.addressBloom());
    if (numbers && (sameStreet || dice >= ADDRESS_CLOSE_DICE)) {
      return Level.CLOSE;
    }
    if (sameStreet || dice >= STREET_TYPO_DICE) {
      return Level.PART;
    }
    return Level.DIFFERENT;
  }

  private static Level postcodeLevel(Demographics a, Demographics b) {
    if (!a.hasPostcode() || !b.hasPostcode()) {
      return Level.MISSING;
    }
    if (a.postcodeUnit() == b.postcodeUnit()) {
      return Level.EXACT;
    }
    if (a.postcodeSector() == b.postcodeSector()) {
      return Level.SECTOR;
    }
    if (a.postcodeDistrict() == b.postcodeDistrict()) {
      return Level.DISTRICT;
    }
    return Level.DIFFERENT;
  }
}
