package uk.familylink.domain.identifier;

/**
 * Validation and normalisation of identifiers (DESIGN.md section 4), normalisation version v1.
 * A changed normalisation is a new token label, never a silent change of tokens.
 */
public final class Identifiers {

    public static final String NORMALISATION_VERSION = "v1";

    private Identifiers() {
    }

    /**
     * The normalised form of {@code raw} as an identifier of {@code kind}, or null when it is not a
     * valid identifier of that kind. Never throws for bad input; never echoes the value.
     */
    public static String normalise(IdentifierKind kind, String raw) {
        throw new UnsupportedOperationException("TODO(identifiers helper)");
    }
}
