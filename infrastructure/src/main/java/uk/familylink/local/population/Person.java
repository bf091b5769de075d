package uk.familylink.local.population;

import java.time.LocalDate;

/**
 * One fictional person. Identifiers are null when the person has none (no NHS number registered, no
 * NINO for a child, no PNC record...). {@code personId} is ground truth and never leaves the
 * ground-truth file.
 */
public record Person(
    String personId,
    Role role,
    String givenName,
    String familyName,
    LocalDate dateOfBirth,
    boolean expectant,
    String nhsNumber,
    String nino,
    String upn,
    String uln,
    String pncId) {

  public int ageOn(LocalDate day) {
    return java.time.Period.between(dateOfBirth, day).getYears();
  }
}
