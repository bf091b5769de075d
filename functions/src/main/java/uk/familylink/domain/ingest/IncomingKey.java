package uk.familylink.domain.ingest;

/**
 * An upload's place: {@code incoming/<partner>/<dataset>/<file>}. Reports for it go to {@code
 * reports/<partner>/<dataset>/<file>.<version>.report.json} (and {@code .report.txt}).
 */
public record IncomingKey(String partner, String dataset, String fileName) {

  public static final String PREFIX = "incoming/";

  /** The parsed key, or null when it is not of the expected shape. */
  public static IncomingKey parse(String key) {
    if (key == null || !key.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = key.substring(PREFIX.length()).split("/", 3);
    if (parts.length != 3
        || parts[0].isEmpty()
        || parts[1].isEmpty()
        || parts[2].isEmpty()
        || parts[2].contains("/")
        || parts[2].endsWith("/")) {
      return null;
    }
    return new IncomingKey(parts[0], parts[1], parts[2]);
  }

  public String reportKey(String extension) {
    return reportKey(null, extension);
  }

  /**
   * The report of one version of the upload: {@code <file>.<versionTag>.report.<ext>}, or {@code
   * <file>.report.<ext>} when no version is known. Each version gets its own report.
   */
  /** Every report of every version of this upload starts with this prefix. */
  public String reportPrefix() {
    return "reports/" + partner + "/" + dataset + "/" + fileName + ".";
  }

  public String reportKey(String versionTag, String extension) {
    String stem = versionTag == null ? fileName : fileName + "." + versionTag;
    return "reports/" + partner + "/" + dataset + "/" + stem + ".report." + extension;
  }
}
