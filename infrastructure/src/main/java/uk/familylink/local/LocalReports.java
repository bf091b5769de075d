package uk.familylink.local;

import java.util.Comparator;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import uk.familylink.domain.ingest.IncomingKey;

/**
 * Finds the report of the latest version of an upload. Each version has its own report key ({@code
 * <file>.<version>.report.json}), as a partner sees them when listing {@code reports/}.
 */
public final class LocalReports {

  private LocalReports() {}

  /** Key of the newest {@code .report.<extension>} of {@code incomingKey}'s versions. */
  public static String latestReportKey(
      S3Client s3, String bucket, String incomingKey, String extension) {
    IncomingKey key = IncomingKey.parse(incomingKey);
    if (key == null) {
      throw new IllegalArgumentException("not an incoming/<partner>/<dataset>/<file> key");
    }
    String suffix = ".report." + extension;
    return s3
        .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(key.reportPrefix()))
        .contents()
        .stream()
        .filter(o -> o.key().endsWith(suffix))
        .filter(o -> o.key().substring(key.reportPrefix().length()).indexOf('/') < 0)
        .max(Comparator.comparing(S3Object::lastModified).thenComparing(S3Object::key))
        .map(S3Object::key)
        .orElseThrow(() -> new IllegalStateException("no report was written for the upload"));
  }
}
