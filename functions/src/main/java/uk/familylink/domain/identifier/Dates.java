package uk.familylink.domain.identifier;

import java.time.LocalDate;

/** Strict date parsing for partner extracts: ISO yyyy-MM-dd and UK dd/MM/yyyy. */
public final class Dates {
    private Dates() {
    }

    /** The date, or null when {@code raw} is not a real date in an accepted format. */
    public static LocalDate parse(String raw) {
        throw new UnsupportedOperationException("TODO(identifiers helper)");
    }
}
