package uk.familylink.local.population;

/**
 * The real-world errors that make linkage hard, as rates (0..1). Population-level rates shape who
 * exists (double-barrelled surnames, twins, strangers sharing a name and birth date); row-level
 * rates change what one partner wrote about a person in one row. Applied on top of {@link
 * Imperfections}, from their own random streams, so a population made with {@link #none()} is
 * exactly the population made without this class.
 *
 * @param doubleBarrelled share of families whose surname is double-barrelled (population)
 * @param twins share of families with two or more children whose two eldest are twins: same family
 *     name, birth date and postcode, different given names (population)
 * @param strangers share of odd-numbered families whose first adult has the given name, family name
 *     and birth date of the previous family's first adult: a different person elsewhere
 *     (population)
 * @param nickname a row names the person by a common nickname (William as Bill)
 * @param nameOrderSwap given and family name written the other way round
 * @param doubleBarrelHalf a double-barrelled surname written as one of its halves
 * @param marriedName an adult's row carries another surname (maiden or married name)
 * @param dobYear year of birth one out, either way
 * @param dobDayMonthSwap day and month of birth swapped (only where both could be a month)
 * @param moved the row carries a postcode the family never had in the ground truth (a move the
 *     other partners have not seen)
 * @param transposedNhs two adjacent NHS number digits swapped (the mod-11 check detects every
 *     transposition, so validation refuses the cell)
 * @param relativeNhs the NHS number of another member of the family
 */
public record LinkageErrors(
    double doubleBarrelled,
    double twins,
    double strangers,
    double nickname,
    double nameOrderSwap,
    double doubleBarrelHalf,
    double marriedName,
    double dobYear,
    double dobDayMonthSwap,
    double moved,
    double transposedNhs,
    double relativeNhs) {

  public LinkageErrors {
    for (double rate :
        new double[] {
          doubleBarrelled,
          twins,
          strangers,
          nickname,
          nameOrderSwap,
          doubleBarrelHalf,
          marriedName,
          dobYear,
          dobDayMonthSwap,
          moved,
          transposedNhs,
          relativeNhs
        }) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException(
            "Linkage error rates are shares between 0 and 1, got " + rate);
      }
    }
  }

  /** No errors: the population and extracts are those of the generator alone. */
  public static LinkageErrors none() {
    return new LinkageErrors(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * Every error kind at a rate of the order seen in administrative extracts (a few per cent of rows
   * each; identifier errors under one per cent), so that both missed and false links are possible.
   */
  public static LinkageErrors realWorld() {
    return new LinkageErrors(
        0.06, 0.15, 0.06, 0.04, 0.015, 0.35, 0.08, 0.015, 0.015, 0.03, 0.005, 0.005);
  }

  public boolean isNone() {
    return equals(none());
  }
}
