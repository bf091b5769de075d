package uk.familylink.domain.outcome;

/**
 * One programme effect measure over the families whose intervention closed at least the effect
 * window before the as-of date (so the after window has fully elapsed): how many showed the
 * evidence in the window before the referral, and in the window after closure.
 */
public record EffectResult(EffectMeasure measure, long families, long before, long after) {
  public double shareBefore() {
    return families == 0 ? Double.NaN : (double) before / families;
  }

  public double shareAfter() {
    return families == 0 ? Double.NaN : (double) after / families;
  }
}
