package uk.familylink.domain.need;

/**
 * The ten headline needs of the Supporting Families Outcome Framework (2022 onwards). Stable IDs;
 * labels may change.
 */
public enum Need {
  EDUCATION("Getting a good education"),
  EARLY_YEARS("Good early years development"),
  HEALTH("Improved mental and physical health"),
  SUBSTANCE_USE("Promoting recovery and reducing harm from substance use"),
  FAMILY_RELATIONSHIPS("Improved family relationships"),
  CHILD_SAFETY("Children safe from abuse and exploitation"),
  CRIME("Crime prevention and tackling crime"),
  DOMESTIC_ABUSE("Safe from domestic abuse"),
  HOUSING("Secure housing"),
  FINANCIAL_STABILITY("Financial stability");

  private final String label;

  Need(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
