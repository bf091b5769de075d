package uk.familylink.domain.release;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * An approved study's request for a research release. Validates itself and names every problem at
 * once. The release id names the release's own pseudonym key ({@code familylink/v1/release/<id>})
 * and its folder ({@code exports/<id>/}).
 *
 * @param expiresOn the study's requested expiry; the release expires on the earlier of this and the
 *     data's retention date
 * @param k the k of k-anonymity (default 5)
 */
public record ReleaseRequest(
    String releaseId,
    String study,
    String approver,
    String purpose,
    String legalBasis,
    LocalDate expiresOn,
    int k) {

  public static final int DEFAULT_K = 5;

  public ReleaseRequest {
    List<String> problems = new ArrayList<>();
    if (releaseId == null || !releaseId.matches("[a-z0-9][a-z0-9-]{2,39}")) {
      problems.add("releaseId must be 3-40 lower-case letters, digits or hyphens");
    }
    if (blank(study)) {
      problems.add("study is required");
    }
    if (blank(approver)) {
      problems.add("approver is required");
    }
    if (blank(purpose)) {
      problems.add("purpose is required");
    }
    if (blank(legalBasis)) {
      problems.add("legalBasis is required (e.g. UK GDPR 6(1)(e) and 9(2)(j))");
    }
    if (expiresOn == null) {
      problems.add("expiresOn is required");
    }
    if (k < 2) {
      problems.add("k must be at least 2");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "research release request is invalid: " + String.join("; ", problems));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  public String keyLabel() {
    return "familylink/v1/release/" + releaseId;
  }
}
