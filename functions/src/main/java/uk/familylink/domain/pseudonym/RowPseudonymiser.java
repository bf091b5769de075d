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
 * references are scoped to their dataset so two partners' reference schemes never collide.
 * Not thread-safe (one per ingest), like the {@link Tokeniser} it uses.
 */
public final class RowPseudonymiser {

    private static final IdentifierKind[] STRONG = {
        IdentifierKind.NHS_NUMBER, IdentifierKind.NINO, IdentifierKind.UPN, IdentifierKind.ULN, IdentifierKind.PNC_ID
    };

    private final Tokeniser tokeniser;
    private final String recordRefLabel;

    public RowPseudonymiser(Tokeniser tokeniser, String dataset) {
        this.tokeniser = tokeniser;
        this.recordRefLabel = recordRefLabel(dataset);
    }

    /** The token label of a dataset's record references (dataset-scoped, so partners never collide). */
    public static String recordRefLabel(String dataset) {
        return IdentifierKind.RECORD_REF.name() + "/" + dataset;
    }

    public PseudonymisedRow pseudonymise(ValidatedRow row) {
        Map<IdentifierKind, String> ids = row.identifiers();
        List<IdentityKey> strong = new ArrayList<>(2);
        for (IdentifierKind kind : STRONG) {
            String value = ids.get(kind);
            if (value != null) {
                strong.add(new IdentityKey(LinkKeyKind.valueOf(kind.name()), tokeniser.token(kind.name(), value)));
            }
        }
        List<IdentityKey> composite = new ArrayList<>(2);
        String given = ids.get(IdentifierKind.GIVEN_NAME);
        String family = ids.get(IdentifierKind.FAMILY_NAME);
        String dob = ids.get(IdentifierKind.DATE_OF_BIRTH);
        if (given != null && family != null && dob != null) {
            String nameDob = given + '|' + family + '|' + dob;
            String postcode = ids.get(IdentifierKind.POSTCODE);
            if (postcode != null) {
                composite.add(new IdentityKey(LinkKeyKind.NAME_DOB_POSTCODE,
                        tokeniser.token(LinkKeyKind.NAME_DOB_POSTCODE.name(), nameDob + '|' + postcode)));
            }
            composite.add(new IdentityKey(LinkKeyKind.NAME_DOB, tokeniser.token(LinkKeyKind.NAME_DOB.name(), nameDob)));
        }
        FamilyKey familyKey = familyKey(ids);
        String recordRef = ids.get(IdentifierKind.RECORD_REF);
        String recordToken = recordRef == null
                ? tokeniser.token(recordRefLabel, "#row" + row.rowNumber())
                : tokeniser.token(recordRefLabel, recordRef);
        return new PseudonymisedRow(row.rowNumber(), strong, composite, recordToken, familyKey, row.familyRole(),
                row.indicators(), row.eventDate(), dob == null ? null : dob.substring(0, 7), row.expectantParent(),
                row.attributes());
    }

    private FamilyKey familyKey(Map<IdentifierKind, String> ids) {
        String familyRef = ids.get(IdentifierKind.FAMILY_REF);
        if (familyRef != null) {
            return new FamilyKey(IdentifierKind.FAMILY_REF.name(), tokeniser.token(IdentifierKind.FAMILY_REF.name(), familyRef));
        }
        String householdRef = ids.get(IdentifierKind.HOUSEHOLD_REF);
        if (householdRef != null) {
            return new FamilyKey(IdentifierKind.HOUSEHOLD_REF.name(),
                    tokeniser.token(IdentifierKind.HOUSEHOLD_REF.name(), householdRef));
        }
        return null;
    }
}
