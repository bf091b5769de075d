package uk.familylink.domain.pseudonym;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.validation.ValidatedRow;

/**
 * Turns a validated row into keyed tokens and coarse values. The plaintext identifiers go no
 * further than this class. Kind labels are part of the token input (kind separation); record
 * references are scoped to their dataset so two partners' reference schemes never collide. Not
 * thread-safe (one per ingest), like the {@link Tokeniser} it uses.
 */
public final class RowPseudonymiser {

  private static final IdentifierKind[] STRONG = {
    IdentifierKind.NHS_NUMBER,
    IdentifierKind.NINO,
    IdentifierKind.UPN,
    IdentifierKind.ULN,
    IdentifierKind.PNC_ID
  };

  /** The link-key kind of each strong identifier kind, by position in {@link #STRONG}. */
  private static final LinkKeyKind[] STRONG_LINK = {
    LinkKeyKind.NHS_NUMBER, LinkKeyKind.NINO, LinkKeyKind.UPN, LinkKeyKind.ULN, LinkKeyKind.PNC_ID
  };

  /** Token labels as bytes, encoded once (labels are the kind names). */
  private static final byte[][] STRONG_LABEL = {
    Tokeniser.label(IdentifierKind.NHS_NUMBER.name()), Tokeniser.label(IdentifierKind.NINO.name()),
    Tokeniser.label(IdentifierKind.UPN.name()), Tokeniser.label(IdentifierKind.ULN.name()),
    Tokeniser.label(IdentifierKind.PNC_ID.name())
  };

  private static final byte[] NAME_DOB_POSTCODE =
      Tokeniser.label(LinkKeyKind.NAME_DOB_POSTCODE.name());
  private static final byte[] NAME_DOB = Tokeniser.label(LinkKeyKind.NAME_DOB.name());
  private static final String FAMILY_REF = IdentifierKind.FAMILY_REF.name();
  private static final String HOUSEHOLD_REF = IdentifierKind.HOUSEHOLD_REF.name();
  private static final byte[] FAMILY_REF_LABEL = Tokeniser.label(FAMILY_REF);
  private static final byte[] HOUSEHOLD_REF_LABEL = Tokeniser.label(HOUSEHOLD_REF);

  private final Tokeniser tokeniser;
  private final DemographicEncoder encoder;
  private final byte[] recordRefLabel;

  public RowPseudonymiser(Tokeniser tokeniser, String dataset) {
    this(tokeniser, null, dataset);
  }

  /**
   * A pseudonymiser that also encodes demographics for tier 3.
   *
   * @param encoder tier-3 encoder; null for deterministic tiers only
   */
  public RowPseudonymiser(Tokeniser tokeniser, DemographicEncoder encoder, String dataset) {
    this.tokeniser = tokeniser;
    this.encoder = encoder;
    this.recordRefLabel = Tokeniser.label(recordRefLabel(dataset));
  }

  /**
   * The token label of a dataset's record references (dataset-scoped, so partners never collide).
   */
  public static String recordRefLabel(String dataset) {
    return IdentifierKind.RECORD_REF.name() + "/" + dataset;
  }

  public PseudonymisedRow pseudonymise(ValidatedRow row) {
    Map<IdentifierKind, String> ids = row.identifiers();
    List<IdentityKey> strong = new ArrayList<>(2);
    for (int i = 0; i < STRONG.length; i++) {
      String value = ids.get(STRONG[i]);
      if (value != null) {
        strong.add(new IdentityKey(STRONG_LINK[i], tokeniser.token(STRONG_LABEL[i], value)));
      }
    }
    List<IdentityKey> composite = new ArrayList<>(2);
    String given = ids.get(IdentifierKind.GIVEN_NAME);
    String family = ids.get(IdentifierKind.FAMILY_NAME);
    String dob = ids.get(IdentifierKind.DATE_OF_BIRTH);
    if (given != null && family != null && dob != null) {
      // the composites are given|family|dob[|postcode], hashed without joining them into strings
      String postcode = ids.get(IdentifierKind.POSTCODE);
      if (postcode != null) {
        composite.add(
            new IdentityKey(
                LinkKeyKind.NAME_DOB_POSTCODE,
                tokeniser.token(NAME_DOB_POSTCODE, given, family, dob, postcode)));
      }
      composite.add(
          new IdentityKey(
              LinkKeyKind.NAME_DOB, tokeniser.token(NAME_DOB, given, family, dob, null)));
    }
    DemographicEncoder.Encoded encoded = null;
    if (encoder != null && (given != null || family != null) && (dob != null || given != null)) {
      encoded =
          encoder.encode(
              given,
              family,
              dob,
              ids.get(IdentifierKind.POSTCODE),
              ids.get(IdentifierKind.ADDRESS_LINE));
    }
    FamilyKey familyKey = familyKey(ids);
    String recordRef = ids.get(IdentifierKind.RECORD_REF);
    String recordToken =
        recordRef == null
            ? tokeniser.token(recordRefLabel, "#row" + row.rowNumber())
            : tokeniser.token(recordRefLabel, recordRef);
    return new PseudonymisedRow(
        row.rowNumber(),
        strong,
        composite,
        recordToken,
        familyKey,
        row.familyRole(),
        row.indicators(),
        row.eventDate(),
        dob == null ? null : dob.substring(0, 7),
        row.expectantParent(),
        row.attributes(),
        encoded == null ? null : encoded.demographics(),
        encoded == null ? List.of() : encoded.blockKeys());
  }

  private FamilyKey familyKey(Map<IdentifierKind, String> ids) {
    String familyRef = ids.get(IdentifierKind.FAMILY_REF);
    if (familyRef != null) {
      return new FamilyKey(FAMILY_REF, tokeniser.token(FAMILY_REF_LABEL, familyRef));
    }
    String householdRef = ids.get(IdentifierKind.HOUSEHOLD_REF);
    if (householdRef != null) {
      return new FamilyKey(HOUSEHOLD_REF, tokeniser.token(HOUSEHOLD_REF_LABEL, householdRef));
    }
    return null;
  }
}
