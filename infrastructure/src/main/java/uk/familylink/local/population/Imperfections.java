package uk.familylink.local.population;

/**
 * How untidy the extracts are, as shares of rows (0..1).
 *
 * @param nameTypo one character of a name changed
 * @param missingStrongId the dataset's strong identifier left blank
 * @param reformatted identifiers written another accepted way (NHS with spaces, lower-case NINO,
 *     short PNC year) and dates as dd/mm/yyyy, postcodes without the space
 * @param stalePostcode rows of a family that moved which still carry the old postcode
 * @param invalid deliberately invalid rows (bad NHS check digit or impossible date of birth) that
 *     validation must reject
 */
public record Imperfections(
    double nameTypo,
    double missingStrongId,
    double reformatted,
    double stalePostcode,
    double invalid) {

  public Imperfections {
    for (double rate :
        new double[] {nameTypo, missingStrongId, reformatted, stalePostcode, invalid}) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException(
            "Imperfection rates are shares of rows between 0 and 1, got " + rate);
      }
    }
  }

  public static Imperfections realistic() {
    return new Imperfections(0.03, 0.05, 0.10, 0.5, 0.01);
  }

  public static Imperfections none() {
    return new Imperfections(0, 0, 0, 0, 0);
  }
}
