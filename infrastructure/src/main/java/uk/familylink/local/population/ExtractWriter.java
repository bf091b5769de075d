package uk.familylink.local.population;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.need.Need;

/**
 * Writes what each partner would send about a synthetic population: one CSV per dataset, with rows
 * where a family's needs give the partner a reason to know them (plus some unrelated noise), made
 * untidy at the configured {@link Imperfections} rates. Ground truth (record reference to true
 * person and family) goes to a separate file and never into an extract. Rows are streamed family by
 * family; nothing but counters is held.
 */
public final class ExtractWriter {

    /** Columns of the ground-truth file. */
    public static final List<String> GROUND_TRUTH_COLUMNS = List.of("dataset", "record_ref", "person_id", "family_id", "imperfections");

    private static final Logger LOG = LoggerFactory.getLogger(ExtractWriter.class);
    private static final DateTimeFormatter UK_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final long ROW_SALT = 0x0E87_2AC7L;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    /** How many families to make and write, with what. */
    public record Summary(
            int families,
            long people,
            int familiesWithThreeOrMoreNeeds,
            int eligibleFamilies,
            Map<Dataset, Long> rows,
            Map<Dataset, Long> invalidRows,
            Map<Dataset, Path> files,
            Path groundTruth) {

        public long totalRows() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final ContractColumns contract;
    private final Imperfections imperfections;

    public ExtractWriter(ContractColumns contract, Imperfections imperfections) {
        this.contract = Objects.requireNonNull(contract, "contract");
        this.imperfections = Objects.requireNonNull(imperfections, "imperfections");
    }

    /**
     * Writes {@code <extractsDir>/<dataset>.csv} for every dataset and the ground truth to
     * {@code groundTruthFile}, which must not be inside {@code extractsDir} (it would be uploaded).
     *
     * @param progress called with the number of families written so far, every 500 families and at the end
     */
    public Summary write(PopulationGenerator generator, int familyCount, Path extractsDir, Path groundTruthFile, IntConsumer progress) {
        Path extracts = extractsDir.toAbsolutePath().normalize();
        Path truth = groundTruthFile.toAbsolutePath().normalize();
        if (truth.startsWith(extracts)) {
            throw new IllegalArgumentException("The ground-truth file must be outside the extracts folder " + extracts
                    + " (everything there is meant for upload); choose another path for it.");
        }
        Map<Dataset, CsvWriter> writers = new EnumMap<>(Dataset.class);
        Map<Dataset, Path> files = new EnumMap<>(Dataset.class);
        Map<Dataset, Long> rows = new EnumMap<>(Dataset.class);
        Map<Dataset, Long> invalid = new EnumMap<>(Dataset.class);
        Set<String> unknownColumnsWarned = new HashSet<>();
        long people = 0;
        int threePlus = 0;
        int eligible = 0;
        try {
            Files.createDirectories(extracts);
            if (truth.getParent() != null) {
                Files.createDirectories(truth.getParent());
            }
            try (CsvWriter truthWriter = CsvWriter.builder().build(truth, StandardCharsets.UTF_8)) {
                truthWriter.writeRecord(GROUND_TRUTH_COLUMNS);
                for (Dataset dataset : Dataset.values()) {
                    Path file = extracts.resolve(dataset.id() + ".csv");
                    files.put(dataset, file);
                    CsvWriter writer = CsvWriter.builder().build(file, StandardCharsets.UTF_8);
                    writers.put(dataset, writer);
                    writer.writeRecord(contract.columns(dataset));
                    rows.put(dataset, 0L);
                    invalid.put(dataset, 0L);
                }
                for (int i = 0; i < familyCount; i++) {
                    Family family = generator.family(i);
                    people += family.members().size();
                    if (family.needs().size() >= 3) {
                        threePlus++;
                        if (family.hasChildren() || family.hasExpectantParent()) {
                            eligible++;
                        }
                    }
                    SplittableRandom random = PopulationGenerator.randomFor(generator.seed(), i, ROW_SALT);
                    for (Row row : rowsFor(family, generator.today(), random)) {
                        List<String> labels = untidy(row, family, random);
                        long n = rows.merge(row.dataset, 1L, Long::sum);
                        String recordRef = String.format("%s%08d", row.dataset.refPrefix(), n);
                        row.values.put("record_ref", recordRef);
                        if (labels.contains("invalid_nhs") || labels.contains("invalid_date")) {
                            invalid.merge(row.dataset, 1L, Long::sum);
                        }
                        writers.get(row.dataset).writeRecord(inContractOrder(row, unknownColumnsWarned));
                        truthWriter.writeRecord(row.dataset.id(), recordRef, row.person.personId(), family.familyId(), String.join(";", labels));
                    }
                    if ((i + 1) % 500 == 0 || i + 1 == familyCount) {
                        progress.accept(i + 1);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the synthetic extracts to " + extracts + ": " + e.getMessage(), e);
        } finally {
            for (CsvWriter writer : writers.values()) {
                try {
                    writer.close();
                } catch (IOException e) {
                    LOG.warn("Closing an extract failed: {}", e.toString());
                }
            }
        }
        return new Summary(familyCount, people, threePlus, eligible, rows, invalid, files, truth);
    }

    private List<String> inContractOrder(Row row, Set<String> warned) {
        List<String> columns = contract.columns(row.dataset);
        List<String> out = new ArrayList<>(columns.size());
        for (String column : columns) {
            String value = row.values.get(column);
            if (value == null && !row.values.containsKey(column) && warned.add(row.dataset.id() + "/" + column)) {
                // Column names are contract vocabulary, not personal data: safe to log.
                LOG.warn("The generator has no values for column {} of {}; it is left empty", column, row.dataset.id());
            }
            out.add(value == null ? "" : value);
        }
        return out;
    }

    /** One extract row about one person, before imperfections. */
    private static final class Row {
        final Dataset dataset;
        final Person person;
        final Map<String, String> values = new LinkedHashMap<>();

        Row(Dataset dataset, Person person, String postcode) {
            this.dataset = dataset;
            this.person = person;
            values.put("record_ref", null);
            values.put("given_name", person.givenName());
            values.put("family_name", person.familyName());
            values.put("date_of_birth", person.dateOfBirth().toString());
            values.put("postcode", postcode);
        }

        Row with(String column, Object value) {
            values.put(column, value == null ? "" : value.toString());
            return this;
        }
    }

    private List<Row> rowsFor(Family family, LocalDate today, SplittableRandom random) {
        List<Row> rows = new ArrayList<>();
        Set<Need> needs = family.needs();
        String postcode = family.postcode();

        boolean earlyHelp = needs.contains(Need.FAMILY_RELATIONSHIPS)
                || (needs.size() >= 3 && random.nextDouble() < 0.8)
                || (!needs.isEmpty() && random.nextDouble() < 0.25)
                || random.nextDouble() < 0.03;
        if (earlyHelp) {
            LocalDate referral = today.minusDays(1 + random.nextInt(730));
            LocalDate closure = random.nextDouble() < 0.5 ? null : min(today, referral.plusDays(30 + random.nextInt(270)));
            String needList = needs.stream().map(Need::name).sorted().collect(Collectors.joining(";"));
            for (Person p : family.members()) {
                rows.add(new Row(Dataset.EARLY_HELP, p, postcode)
                        .with("family_ref", family.familyRef()).with("nhs_number", p.nhsNumber())
                        .with("role", p.role() == Role.ADULT ? "adult" : "child")
                        .with("referral_date", referral).with("closure_date", closure)
                        .with("needs_identified", needList).with("expectant_parent", p.expectant() ? "Y" : "N"));
            }
        }

        String academicYear = academicYear(today);
        for (Person child : family.children()) {
            int age = child.ageOn(today);
            if (age < 4) {
                continue;
            }
            boolean education = needs.contains(Need.EDUCATION);
            if (!education && random.nextDouble() >= 0.15) {
                continue;
            }
            int possible = 250 + random.nextInt(81);
            int absent = education ? possible * (10 + random.nextInt(31)) / 100 : possible * random.nextInt(6) / 100;
            int exclusions = education && random.nextDouble() < 0.3 ? 1 + random.nextInt(3) : 0;
            rows.add(new Row(Dataset.SCHOOL_ATTENDANCE, child, postcode)
                    .with("upn", child.upn()).with("uln", child.uln()).with("academic_year", academicYear)
                    .with("sessions_possible", possible).with("unauthorised_absences", absent).with("exclusions", exclusions));
        }

        List<Person> adults = family.adults();
        if (needs.contains(Need.CRIME)) {
            List<Person> candidates = new ArrayList<>(adults);
            family.children().stream().filter(c -> c.ageOn(today) >= 10).forEach(candidates::add);
            Person offender = PopulationGenerator.pick(random, candidates);
            int incidents = 1 + random.nextInt(2);
            for (int k = 0; k < incidents; k++) {
                String type = PopulationGenerator.pick(random, List.of("VIOLENCE", "THEFT", "CRIMINAL_DAMAGE", "ANTI_SOCIAL_BEHAVIOUR"));
                rows.add(police(offender, postcode, today, random, type, "SUSPECT"));
            }
        }
        if (needs.contains(Need.DOMESTIC_ABUSE)) {
            LocalDate date = today.minusDays(1 + random.nextInt(365));
            rows.add(new Row(Dataset.POLICE_INCIDENTS, adults.get(0), postcode).with("pnc_id", adults.get(0).pncId())
                    .with("incident_date", date).with("incident_type", "DOMESTIC_ABUSE").with("person_role", "VICTIM"));
            if (adults.size() > 1) {
                rows.add(new Row(Dataset.POLICE_INCIDENTS, adults.get(1), postcode).with("pnc_id", adults.get(1).pncId())
                        .with("incident_date", date).with("incident_type", "DOMESTIC_ABUSE").with("person_role", "PERPETRATOR"));
            }
        }
        if (needs.contains(Need.SUBSTANCE_USE) && random.nextDouble() < 0.5) {
            rows.add(police(PopulationGenerator.pick(random, adults), postcode, today, random, "DRUGS", "SUSPECT"));
        }
        if (random.nextDouble() < 0.03) {
            rows.add(police(PopulationGenerator.pick(random, adults), postcode, today, random, "ANTI_SOCIAL_BEHAVIOUR", "WITNESS"));
        }

        for (Person adult : adults) {
            boolean financial = needs.contains(Need.FINANCIAL_STABILITY) && random.nextDouble() < 0.8;
            boolean inWork = !financial && random.nextDouble() < 0.10;
            if (financial || inWork) {
                String benefit = financial
                        ? PopulationGenerator.pick(random, List.of("UNIVERSAL_CREDIT", "UNIVERSAL_CREDIT", "UNIVERSAL_CREDIT", "ESA", "JSA"))
                        : "UNIVERSAL_CREDIT";
                rows.add(new Row(Dataset.DWP_BENEFITS, adult, postcode).with("nino", adult.nino()).with("benefit", benefit)
                        .with("out_of_work", financial && random.nextDouble() < 0.85 ? "Y" : "N")
                        .with("award_date", today.minusDays(1 + random.nextInt(1095))));
            }
        }

        if (needs.contains(Need.HEALTH)) {
            int contacts = 1 + random.nextInt(2);
            for (int k = 0; k < contacts; k++) {
                Person p = PopulationGenerator.pick(random, family.members());
                String service = p.role() == Role.CHILD ? PopulationGenerator.pick(random, List.of("CAMHS", "GP", "PAEDIATRICS"))
                        : PopulationGenerator.pick(random, List.of("MENTAL_HEALTH", "GP", "COMMUNITY_NURSING"));
                rows.add(health(p, postcode, today, random, service));
            }
        }
        if (needs.contains(Need.EARLY_YEARS)) {
            family.children().stream().filter(c -> c.ageOn(today) < 5)
                    .forEach(c -> rows.add(health(c, postcode, today, random, "HEALTH_VISITING")));
        }
        family.members().stream().filter(Person::expectant).forEach(p -> rows.add(health(p, postcode, today, random, "MATERNITY")));
        if (needs.contains(Need.SUBSTANCE_USE) && random.nextDouble() < 0.7) {
            rows.add(health(PopulationGenerator.pick(random, adults), postcode, today, random, "SUBSTANCE_MISUSE_TREATMENT"));
        }
        if (random.nextDouble() < 0.05) {
            rows.add(health(PopulationGenerator.pick(random, family.members()), postcode, today, random, "GP"));
        }

        boolean housing = needs.contains(Need.HOUSING);
        if (housing || random.nextDouble() < 0.02) {
            String status = housing
                    ? PopulationGenerator.pick(random, List.of("HOMELESS", "THREATENED_WITH_HOMELESSNESS", "TEMPORARY_ACCOMMODATION", "OVERCROWDED"))
                    : "ADVICE_ONLY";
            LocalDate assessed = today.minusDays(1 + random.nextInt(540));
            for (Person adult : adults) {
                if (!housing || random.nextDouble() < 0.9) {
                    rows.add(new Row(Dataset.HOUSING, adult, postcode).with("household_ref", family.householdRef())
                            .with("status", status).with("assessment_date", assessed));
                }
            }
        }

        boolean safety = needs.contains(Need.CHILD_SAFETY);
        if (family.hasChildren() && (safety || random.nextDouble() < 0.02)) {
            LocalDate referral = today.minusDays(1 + random.nextInt(730));
            String category = safety
                    ? PopulationGenerator.pick(random, List.of("CHILD_IN_NEED", "CHILD_IN_NEED", "CHILD_IN_NEED", "CHILD_PROTECTION", "CHILD_PROTECTION", "LOOKED_AFTER"))
                    : "NO_FURTHER_ACTION";
            for (Person child : family.children()) {
                rows.add(new Row(Dataset.SOCIAL_CARE, child, postcode).with("family_ref", family.familyRef())
                        .with("nhs_number", child.nhsNumber()).with("category", category).with("referral_date", referral));
            }
        }
        return rows;
    }

    private static Row police(Person p, String postcode, LocalDate today, SplittableRandom random, String type, String role) {
        return new Row(Dataset.POLICE_INCIDENTS, p, postcode).with("pnc_id", p.pncId())
                .with("incident_date", today.minusDays(1 + random.nextInt(365))).with("incident_type", type).with("person_role", role);
    }

    private static Row health(Person p, String postcode, LocalDate today, SplittableRandom random, String service) {
        return new Row(Dataset.HEALTH, p, postcode).with("nhs_number", p.nhsNumber()).with("service", service)
                .with("contact_date", today.minusDays(1 + random.nextInt(365))).with("expectant_parent", p.expectant() ? "Y" : "N");
    }

    /** Applies imperfections in place; returns their labels for the ground truth. */
    private List<String> untidy(Row row, Family family, SplittableRandom random) {
        List<String> labels = new ArrayList<>(2);
        Map<String, String> v = row.values;
        if (family.previousPostcode() != null && random.nextDouble() < imperfections.stalePostcode()) {
            v.put("postcode", family.previousPostcode());
            labels.add("stale_postcode");
        }
        if (random.nextDouble() < imperfections.nameTypo()) {
            String column = random.nextBoolean() ? "given_name" : "family_name";
            v.put(column, typo(v.get(column), random));
            labels.add("typo");
        }
        if (random.nextDouble() < imperfections.missingStrongId()) {
            boolean blanked = false;
            for (String column : List.of("nhs_number", "nino", "upn", "pnc_id")) {
                if (v.containsKey(column) && !v.get(column).isEmpty()) {
                    v.put(column, "");
                    blanked = true;
                }
            }
            if (blanked) {
                labels.add("missing_id");
            }
        }
        boolean ukDates = false;
        if (random.nextDouble() < imperfections.reformatted()) {
            reformat(v, random);
            ukDates = true;
            labels.add("reformatted");
        }
        if (random.nextDouble() < imperfections.invalid()) {
            String nhs = v.get("nhs_number");
            if (nhs != null && nhs.replace(" ", "").length() == 10) {
                v.put("nhs_number", SyntheticIdentifiers.nhsNumberWithBadCheckDigit(nhs.replace(" ", "")));
                labels.add("invalid_nhs");
            } else {
                int year = row.person.dateOfBirth().getYear();
                // Neither 30 February nor 31 April ever exists.
                boolean february = random.nextBoolean();
                String month = february ? "02" : "04";
                String day = february ? "30" : "31";
                v.put("date_of_birth", ukDates ? day + "/" + month + "/" + year : year + "-" + month + "-" + day);
                labels.add("invalid_date");
            }
        }
        return labels;
    }

    private static void reformat(Map<String, String> v, SplittableRandom random) {
        for (Map.Entry<String, String> e : v.entrySet()) {
            String value = e.getValue();
            if (value == null || value.isEmpty()) {
                continue;
            }
            switch (e.getKey()) {
                case "nhs_number" -> e.setValue(value.substring(0, 3) + " " + value.substring(3, 6) + " " + value.substring(6));
                case "nino" -> e.setValue(random.nextBoolean() ? value.toLowerCase(java.util.Locale.ROOT)
                        : value.substring(0, 2) + " " + value.substring(2, 4) + " " + value.substring(4, 6) + " " + value.substring(6, 8) + " " + value.substring(8));
                case "upn" -> e.setValue(value.toLowerCase(java.util.Locale.ROOT));
                case "pnc_id" -> e.setValue(value.substring(2));
                case "postcode" -> e.setValue(value.replace(" ", "").toLowerCase(java.util.Locale.ROOT));
                default -> {
                    if (e.getKey().endsWith("_date") || e.getKey().equals("date_of_birth")) {
                        e.setValue(LocalDate.parse(value).format(UK_DATE));
                    }
                }
            }
        }
    }

    /** One character changed, dropped or swapped with its neighbour; never the first letter, so the name stays recognisable. */
    static String typo(String name, SplittableRandom random) {
        if (name.length() < 3) {
            return name + LETTERS.charAt(random.nextInt(LETTERS.length()));
        }
        int i = 1 + random.nextInt(name.length() - 1);
        StringBuilder s = new StringBuilder(name);
        switch (random.nextInt(3)) {
            case 0 -> {
                char replacement;
                do {
                    replacement = LETTERS.charAt(random.nextInt(LETTERS.length()));
                } while (Character.toLowerCase(name.charAt(i)) == replacement);
                s.setCharAt(i, replacement);
            }
            case 1 -> s.deleteCharAt(i);
            default -> {
                if (i == 1 || name.charAt(i) == name.charAt(i - 1)) {
                    s.deleteCharAt(i);
                } else {
                    s.setCharAt(i, name.charAt(i - 1));
                    s.setCharAt(i - 1, name.charAt(i));
                }
            }
        }
        return s.toString();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    static String academicYear(LocalDate today) {
        int start = today.getMonthValue() >= 9 ? today.getYear() : today.getYear() - 1;
        return start + "/" + String.format("%02d", (start + 1) % 100);
    }
}
