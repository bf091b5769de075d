package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A referral of one subject (a child or a family) from a referral dataset.
 *
 * @param closure the case's closure date when the dataset records one (Early Help), else null
 */
public record Referral(LocalDate date, String dataset, LocalDate closure) {
  public Referral {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(dataset, "dataset");
  }
}
