package uk.familylink.local.population;

import java.util.List;

/**
 * The partner datasets the generator writes, with the agreed column lists used when no contract
 * file is found, and the partner whose prefix ({@code incoming/<partner>/<dataset>/}) uploads it.
 */
public enum Dataset {
    EARLY_HELP("early-help", "herefordshire-council", "EH",
            "record_ref,family_ref,given_name,family_name,date_of_birth,postcode,nhs_number,role,referral_date,closure_date,needs_identified,expectant_parent"),
    SCHOOL_ATTENDANCE("school-attendance", "herefordshire-schools", "SA",
            "record_ref,upn,uln,given_name,family_name,date_of_birth,postcode,academic_year,sessions_possible,unauthorised_absences,exclusions"),
    POLICE_INCIDENTS("police-incidents", "west-mercia-police", "PI",
            "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role"),
    DWP_BENEFITS("dwp-benefits", "dwp", "DW",
            "record_ref,nino,given_name,family_name,date_of_birth,postcode,benefit,out_of_work,award_date"),
    HEALTH("health", "nhs-herefordshire-worcestershire", "HE",
            "record_ref,nhs_number,given_name,family_name,date_of_birth,postcode,service,contact_date,expectant_parent"),
    HOUSING("housing", "herefordshire-housing", "HO",
            "record_ref,household_ref,given_name,family_name,date_of_birth,postcode,status,assessment_date"),
    SOCIAL_CARE("social-care", "herefordshire-childrens-services", "SC",
            "record_ref,family_ref,nhs_number,given_name,family_name,date_of_birth,postcode,category,referral_date");

    private final String id;
    private final String partner;
    private final String refPrefix;
    private final List<String> defaultColumns;

    Dataset(String id, String partner, String refPrefix, String columns) {
        this.id = id;
        this.partner = partner;
        this.refPrefix = refPrefix;
        this.defaultColumns = List.of(columns.split(","));
    }

    /** The dataset's name in keys, contracts and file names, e.g. {@code early-help}. */
    public String id() {
        return id;
    }

    public String partner() {
        return partner;
    }

    /** Prefix of this partner's own record references (a partner's reference is not ground truth). */
    String refPrefix() {
        return refPrefix;
    }

    public List<String> defaultColumns() {
        return defaultColumns;
    }

    /** The S3 key a partner would upload this extract to. */
    public String incomingKey(String fileName) {
        return "incoming/" + partner + "/" + id + "/" + fileName;
    }

    public static Dataset byId(String id) {
        for (Dataset d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("Unknown dataset '" + id + "'; known: " + List.of(values()).stream().map(Dataset::id).toList());
    }
}
