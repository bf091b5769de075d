package uk.familylink.domain.access;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import uk.familylink.domain.identifier.IdentifierKind;

/**
 * A subject access request: the person's identifiers as the requester typed them (not yet
 * validated), who asks and why. {@link #toString()} never shows an identifier.
 *
 * @param identifiers raw identifier values by kind; only the kinds in {@link #FIELDS}
 * @param requester who asks (a name or role; recorded in the audit)
 * @param purpose the stated purpose (recorded in the audit)
 */
public record SubjectAccessRequest(
    Map<IdentifierKind, String> identifiers, String requester, String purpose) {

  /**
   * Request field name of each identifier kind a subject access request may carry, in display
   * order.
   */
  public static final Map<IdentifierKind, String> FIELDS;

  static {
    Map<IdentifierKind, String> fields = new LinkedHashMap<>();
    fields.put(IdentifierKind.NHS_NUMBER, "nhsNumber");
    fields.put(IdentifierKind.NINO, "nino");
    fields.put(IdentifierKind.UPN, "upn");
    fields.put(IdentifierKind.ULN, "uln");
    fields.put(IdentifierKind.PNC_ID, "pncId");
    fields.put(IdentifierKind.GIVEN_NAME, "givenName");
    fields.put(IdentifierKind.FAMILY_NAME, "familyName");
    fields.put(IdentifierKind.DATE_OF_BIRTH, "dateOfBirth");
    fields.put(IdentifierKind.POSTCODE, "postcode");
    fields.put(IdentifierKind.ADDRESS_LINE, "addressLine");
    FIELDS = Collections.unmodifiableMap(fields);
  }

  public SubjectAccessRequest {
    Map<IdentifierKind, String> copy = new EnumMap<>(IdentifierKind.class);
    if (identifiers != null) {
      identifiers.forEach(
          (k, v) -> {
            if (k != null && v != null && !v.isBlank()) {
              copy.put(k, v);
            }
          });
    }
    identifiers = Collections.unmodifiableMap(copy);
  }

  /** The request field of an identifier kind, e.g. {@code nhsNumber}. */
  public static String field(IdentifierKind kind) {
    String name = FIELDS.get(kind);
    return name == null ? kind.name() : name;
  }

  /**
   * The identifier kind of a request field name, or null when the field is not an identifier field.
   */
  public static IdentifierKind kindOf(String field) {
    for (Map.Entry<IdentifierKind, String> e : FIELDS.entrySet()) {
      if (e.getValue().equals(field)) {
        return e.getKey();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "SubjectAccessRequest[kinds=" + identifiers.keySet() + "]"; // never the values
  }
}
