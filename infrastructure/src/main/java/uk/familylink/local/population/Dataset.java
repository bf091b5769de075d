package uk.familylink.local.population;

import java.util.Arrays;
import java.util.List;

/**
 * The partner datasets the generator knows how to fill. Their columns, codes and partners are not
 * here but in the dataset contracts ({@link PartnerContracts}); the generator follows those.
 */
public enum Dataset {
  EARLY_HELP("early-help", "EH"),
  SCHOOL_ATTENDANCE("school-attendance", "SA"),
  POLICE_INCIDENTS("police-incidents", "PI"),
  DWP_BENEFITS("dwp-benefits", "DW"),
  HEALTH("health", "HE"),
  HOUSING("housing", "HO"),
  SOCIAL_CARE("social-care", "SC");

  private final String id;
  private final String refPrefix;

  Dataset(String id, String refPrefix) {
    this.id = id;
    this.refPrefix = refPrefix;
  }

  /** The dataset's name in keys, contracts and file names, e.g. {@code early-help}. */
  public String id() {
    return id;
  }

  /** Prefix of this partner's own record references (a partner's reference is not ground truth). */
  String refPrefix() {
    return refPrefix;
  }

  /**
   * The partner that uploads this dataset according to the packaged contracts (their first listed
   * partner).
   */
  public String partner() {
    return PartnerContracts.classpath().partner(this);
  }

  /** The S3 key a partner would upload this extract to, per the packaged contracts. */
  public String incomingKey(String fileName) {
    return PartnerContracts.classpath().uploadKey(this, fileName);
  }

  public static Dataset byId(String id) {
    for (Dataset d : values()) {
      if (d.id.equals(id)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "Unknown dataset '"
            + id
            + "'; known: "
            + Arrays.stream(values()).map(Dataset::id).toList());
  }

  /** All dataset ids, for messages. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(Dataset::id).toList();
  }
}
