package uk.familylink.domain.statistics;

/**
 * The geography columns of every published row (DfE open data standards: geographic level, then the
 * codes and names of that level and the levels above it).
 */
public record Geography(
    String level,
    String countryCode,
    String countryName,
    String regionCode,
    String regionName,
    String oldLaCode,
    String newLaCode,
    String laName) {

  /** Herefordshire Council (ONS E06000019, DfE 884, West Midlands). */
  public static Geography herefordshire() {
    return new Geography(
        "Local authority",
        "E92000001",
        "England",
        "E12000005",
        "West Midlands",
        "884",
        "E06000019",
        "Herefordshire, County of");
  }
}
