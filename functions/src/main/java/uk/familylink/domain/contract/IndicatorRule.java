package uk.familylink.domain.contract;

import uk.familylink.domain.need.Need;

/** A row evidences {@code need} when {@code when} holds. */
public record IndicatorRule(Need need, Condition when) {}
