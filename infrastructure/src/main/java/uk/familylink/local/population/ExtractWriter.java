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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.contract.ColumnSpec;
import uk.familylink.domain.contract.ColumnType;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.need.Need;

/**
 * Writes what each partner would send about a synthetic population: one CSV per dataset, in the
 * dataset contract's columns and codes, with rows where a family's needs give the partner a reason
 * to know them (so the contract's indicator rules evidence those needs and no others), made untidy
 * at the configured {@link Imperfections} rates. Ground truth (record reference to true person and
 * family) goes to a separate file and never into an extract. Rows are streamed family by family;
 * nothing but counters is held.
 */
public final class ExtractWriter {

  /** Columns of the ground-truth file. */
  public static final List<String> GROUND_TRUTH_COLUMNS =
      List.of("dataset", "record_ref", "person_id", "family_id", "imperfections", "age_band");

  /** Age bands of the ground truth's {@code age_band} column (age on the generator's date). */
  public static final List<String> AGE_BANDS =
      List.of("0-4", "5-10", "11-15", "16-17", "18-24", "25-44", "45-64", "65+");

  /**
   * Ground-truth imperfection labels of rows made invalid on purpose (validation must refuse them).
   */
  public static final Set<String> INVALID_LABELS =
      Set.of("invalid_nhs", "invalid_date", "transposed_nhs");

  /**
   * The columns the generator fills for each dataset; a required contract column outside these
   * cannot be generated.
   */
  static final Map<Dataset, Set<String>> GENERATED_COLUMNS = generatedColumns();

  private static final Logger LOG = LoggerFactory.getLogger(ExtractWriter.class);
  private static final DateTimeFormatter UK_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
  private static final long ROW_SALT = 0x0E87_2AC7L;
  private static final long ROW_ERROR_SALT = 0x0E77_0B5EL;
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final List<String> OUT_OF_WORK_BENEFITS =
      List.of(
          "UNIVERSAL_CREDIT",
          "UNIVERSAL_CREDIT",
          "UNIVERSAL_CREDIT",
          "JOBSEEKERS_ALLOWANCE",
          "EMPLOYMENT_SUPPORT_ALLOWANCE",
          "INCOME_SUPPORT");
  private static final List<String> IN_WORK_BENEFITS =
      List.of(
          "UNIVERSAL_CREDIT",
          "UNIVERSAL_CREDIT",
          "CARERS_ALLOWANCE",
          "PERSONAL_INDEPENDENCE_PAYMENT");
  private static final List<String> HOUSING_NEED_STATUSES =
      List.of(
          "HOMELESS",
          "AT_RISK_OF_HOMELESSNESS",
          "AT_RISK_OF_HOMELESSNESS",
          "TEMPORARY_ACCOMMODATION");
  private static final List<String> SOCIAL_CARE_CATEGORIES =
      List.of(
          "CHILD_IN_NEED",
          "CHILD_IN_NEED",
          "CHILD_IN_NEED",
          "CHILD_PROTECTION",
          "CHILD_PROTECTION",
          "LOOKED_AFTER");

  /** How many families were made and written, with what. */
  public record Summary(
      int families,
      long people,
      int familiesWithThreeOrMoreNeeds,
      int eligibleFamilies,
      Map<Dataset, Long> rows,
      Map<Dataset, Long> invalidRows,
      Map<Dataset, Path> files,
      Map<Dataset, String> uploadKeys,
      Path groundTruth) {

    public long totalRows() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final PartnerContracts contracts;
  private final Imperfections imperfections;

  /**
   * Per dataset: the contract's allowed codes by CODE / CODE_LIST column, to fail fast if a
   * contract and the generator disagree.
   */
  private final Map<Dataset, Map<String, Set<String>>> codes = new EnumMap<>(Dataset.class);

  /**
   * Per dataset: DATE columns and the date of birth, which the "reformatted" imperfection rewrites
   * as dd/MM/yyyy.
   */
  private final Map<Dataset, Set<String>> dateColumns = new EnumMap<>(Dataset.class);

  /**
   * Per dataset: optional strong-identifier columns, which the "missing_id" imperfection may blank.
   */
  private final Map<Dataset, Set<String>> optionalStrongIds = new EnumMap<>(Dataset.class);

  /**
   * @throws IllegalArgumentException when a contract requires a column the generator cannot fill
   */
  public ExtractWriter(PartnerContracts contracts, Imperfections imperfections) {
    this.contracts = Objects.requireNonNull(contracts, "contracts");
    this.imperfections = Objects.requireNonNull(imperfections, "imperfections");
    for (Dataset dataset : Dataset.values()) {
      DatasetContract contract = contracts.contract(dataset);
      Map<String, Set<String>> datasetCodes = new HashMap<>();
      Set<String> dates = new HashSet<>();
      Set<String> optionalIds = new HashSet<>();
      for (ColumnSpec column : contract.columns()) {
        boolean generated = GENERATED_COLUMNS.get(dataset).contains(column.name());
        if (!generated && column.required()) {
          throw new IllegalArgumentException(
              "The "
                  + dataset.id()
                  + " contract ("
                  + contracts.source()
                  + ") requires column "
                  + column.name()
                  + ", which the generator cannot fill; it fills "
                  + GENERATED_COLUMNS.get(dataset));
        }
        if (!generated) {
          // Column names are contract vocabulary, not personal data: safe to log.
          LOG.warn(
              "The generator has no values for optional column {} of {}; it is left empty",
              column.name(),
              dataset.id());
        }
        if (column.type() == ColumnType.CODE || column.type() == ColumnType.CODE_LIST) {
          datasetCodes.put(column.name(), Set.copyOf(column.codes()));
        }
        if (column.type() == ColumnType.DATE
            || column.identifier() == IdentifierKind.DATE_OF_BIRTH) {
          dates.add(column.name());
        }
        if (column.identifier() != null && column.identifier().isStrong() && !column.required()) {
          optionalIds.add(column.name());
        }
      }
      codes.put(dataset, datasetCodes);
      dateColumns.put(dataset, dates);
      optionalStrongIds.put(dataset, optionalIds);
    }
  }

  /**
   * Writes {@code <extractsDir>/<dataset>.csv} for every dataset and the ground truth to {@code
   * groundTruthFile}, which must not be inside {@code extractsDir} (it would be uploaded).
   *
   * @param progress called with the number of families written so far, every 500 families and at
   *     the end
   */
  public Summary write(
      PopulationGenerator generator,
      int familyCount,
      Path extractsDir,
      Path groundTruthFile,
      IntConsumer progress) {
    Path extracts = extractsDir.toAbsolutePath().normalize();
    Path truth = groundTruthFile.toAbsolutePath().normalize();
    if (truth.startsWith(extracts)) {
      throw new IllegalArgumentException(
          "The ground-truth file must be outside the extracts folder "
              + extracts
              + " (everything there is meant for upload); choose another path for it.");
    }
    Map<Dataset, CsvWriter> writers = new EnumMap<>(Dataset.class);
    Map<Dataset, Path> files = new EnumMap<>(Dataset.class);
    Map<Dataset, String> keys = new EnumMap<>(Dataset.class);
    Map<Dataset, Long> rows = new EnumMap<>(Dataset.class);
    Map<Dataset, Long> invalid = new EnumMap<>(Dataset.class);
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
          keys.put(dataset, contracts.uploadKey(dataset, file.getFileName().toString()));
          CsvWriter writer = CsvWriter.builder().build(file, StandardCharsets.UTF_8);
          writers.put(dataset, writer);
          writer.writeRecord(contracts.columns(dataset));
          rows.put(dataset, 0L);
          invalid.put(dataset, 0L);
        }
        for (int i = 0; i < familyCount; i++) {
          Family family = generator.family(i);
          people += family.members().size();
          if (family.needs().size() >= 3) {
            threePlus++;
          }
          if (family.isEligible(generator.today())) {
            eligible++;
          }
          SplittableRandom random = PopulationGenerator.randomFor(generator.seed(), i, ROW_SALT);
          // linkage errors draw from their own stream: without them the rows are unchanged
          SplittableRandom errorRandom =
              PopulationGenerator.randomFor(generator.seed(), i, ROW_ERROR_SALT);
          RowErrors rowErrors = new RowErrors(generator.errors());
          for (Row row : rowsFor(family, generator.today(), random)) {
            checkCodes(row);
            if (GENERATED_COLUMNS.get(row.dataset).contains("address_line")) {
              row.values.put(
                  "address_line",
                  PopulationGenerator.addressLine(family.index(), family.postcode()));
            }
            List<String> labels =
                new ArrayList<>(
                    rowErrors.apply(
                        row.values, row.person, family, generator.today(), errorRandom));
            labels.addAll(untidy(row, family, random));
            long n = rows.merge(row.dataset, 1L, Long::sum);
            String recordRef = recordRef(row.dataset, n);
            row.values.put("record_ref", recordRef);
            if (labels.stream().anyMatch(INVALID_LABELS::contains)) {
              invalid.merge(row.dataset, 1L, Long::sum);
            }
            writers.get(row.dataset).writeRecord(inContractOrder(row));
            truthWriter.writeRecord(
                row.dataset.id(),
                recordRef,
                row.person.personId(),
                family.familyId(),
                String.join(";", labels),
                ageBand(row.person.ageOn(generator.today())));
          }
          if ((i + 1) % 500 == 0 || i + 1 == familyCount) {
            progress.accept(i + 1);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not write the synthetic extracts to " + extracts + ": " + e.getMessage(), e);
    } finally {
      for (CsvWriter writer : writers.values()) {
        try {
          writer.close();
        } catch (IOException e) {
          LOG.warn("Closing an extract failed: {}", e.toString());
        }
      }
    }
    return new Summary(familyCount, people, threePlus, eligible, rows, invalid, files, keys, truth);
  }

  /** The {@link #AGE_BANDS} band of an age in years. */
  public static String ageBand(int age) {
    int[] upper = {4, 10, 15, 17, 24, 44, 64};
    for (int i = 0; i < upper.length; i++) {
      if (age <= upper[i]) {
        return AGE_BANDS.get(i);
      }
    }
    return AGE_BANDS.get(AGE_BANDS.size() - 1);
  }

  /**
   * The partner's reference of the {@code n}-th data row of a dataset (so row number n and
   * reference agree).
   */
  public static String recordRef(Dataset dataset, long n) {
    return String.format("%s%08d", dataset.refPrefix(), n);
  }

  private List<String> inContractOrder(Row row) {
    List<String> columns = contracts.columns(row.dataset);
    List<String> out = new ArrayList<>(columns.size());
    for (String column : columns) {
      String value = row.values.get(column);
      out.add(value == null ? "" : value);
    }
    return out;
  }

  /**
   * A generated code the contract does not list is a generator bug (or a changed contract): stop
   * rather than write bad rows.
   */
  private void checkCodes(Row row) {
    for (Map.Entry<String, Set<String>> e : codes.get(row.dataset).entrySet()) {
      String value = row.values.get(e.getKey());
      if (value == null || value.isEmpty()) {
        continue;
      }
      for (String code : value.split(";", -1)) {
        if (!e.getValue().contains(code)) {
          // generator vocabulary, not personal data
          throw new IllegalStateException(
              "The "
                  + row.dataset.id()
                  + " contract ("
                  + contracts.source()
                  + ") does not allow code "
                  + code
                  + " in column "
                  + e.getKey()
                  + "; allowed: "
                  + e.getValue());
        }
      }
    }
  }

  private static Map<Dataset, Set<String>> generatedColumns() {
    Map<Dataset, Set<String>> m = new EnumMap<>(Dataset.class);
    Set<String> person =
        Set.of("record_ref", "given_name", "family_name", "date_of_birth", "postcode");
    m.put(
        Dataset.EARLY_HELP,
        union(
            person,
            "address_line",
            "family_ref",
            "nhs_number",
            "family_role",
            "expectant_parent",
            "referral_date",
            "closure_date",
            "needs_identified"));
    m.put(
        Dataset.SCHOOL_ATTENDANCE,
        union(
            person,
            "upn",
            "uln",
            "academic_year",
            "term",
            "period_end_date",
            "sessions_possible",
            "unauthorised_absences",
            "exclusions"));
    m.put(
        Dataset.POLICE_INCIDENTS,
        union(person, "address_line", "pnc_id", "incident_date", "incident_type", "person_role"));
    m.put(
        Dataset.DWP_BENEFITS, union(person, "nino", "benefit", "out_of_work", "claim_start_date"));
    m.put(
        Dataset.HEALTH,
        union(person, "address_line", "nhs_number", "service", "contact_date", "expectant_parent"));
    m.put(
        Dataset.HOUSING,
        union(
            person, "address_line", "household_ref", "nino", "housing_status", "assessment_date"));
    m.put(
        Dataset.SOCIAL_CARE,
        union(person, "address_line", "family_ref", "nhs_number", "category", "referral_date"));
    return m;
  }

  private static Set<String> union(Set<String> base, String... more) {
    Set<String> s = new HashSet<>(base);
    s.addAll(List.of(more));
    return Set.copyOf(s);
  }

  /** One extract row about one person, before imperfections. */
  private static final class Row {
    final Dataset dataset;
    final Person person;
    final Map<String, String> values = new HashMap<>();

    Row(Dataset dataset, Person person, String postcode) {
      this.dataset = dataset;
      this.person = person;
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

  /** A school term that has ended: the row's period. */
  record Term(int academicYear, String name, LocalDate end, int sessions) {
    Term previous() {
      return switch (name) {
        case "SUMMER" ->
            new Term(academicYear, "SPRING", LocalDate.of(academicYear + 1, 3, 27), 116);
        case "SPRING" -> new Term(academicYear, "AUTUMN", LocalDate.of(academicYear, 12, 19), 142);
        default -> new Term(academicYear - 1, "SUMMER", LocalDate.of(academicYear, 7, 22), 128);
      };
    }

    /** The latest term that ended on or before {@code today}. */
    static Term lastEnded(LocalDate today) {
      Term t = new Term(today.getYear(), "AUTUMN", LocalDate.of(today.getYear(), 12, 19), 142);
      while (t.end.isAfter(today)) {
        t = t.previous();
      }
      return t;
    }
  }

  private List<Row> rowsFor(Family family, LocalDate today, SplittableRandom random) {
    List<Row> rows = new ArrayList<>();
    Set<Need> needs = family.needs();
    String postcode = family.postcode();
    List<Person> adults = family.adults();
    List<Person> children = family.children();

    // Early Help: the council's own case work. It always records family-relationship needs (no
    // other partner evidences them) and, per episode, only some of the family's other needs.
    boolean earlyHelp =
        needs.contains(Need.FAMILY_RELATIONSHIPS)
            || (needs.size() >= 3 && random.nextDouble() < 0.7)
            || (!needs.isEmpty() && family.hasExpectantParent() && random.nextDouble() < 0.5)
            || (!needs.isEmpty() && random.nextDouble() < 0.2)
            || random.nextDouble() < 0.03;
    if (earlyHelp) {
      List<Need> identified =
          needs.stream()
              .filter(n -> n == Need.FAMILY_RELATIONSHIPS || random.nextDouble() < 0.5)
              .sorted()
              .collect(Collectors.toList());
      if (identified.isEmpty() && !needs.isEmpty()) {
        identified.add(PopulationGenerator.pick(random, List.copyOf(needs)));
      }
      String needList =
          identified.stream().map(Need::name).sorted().collect(Collectors.joining(";"));
      LocalDate referral = today.minusDays(30 + random.nextInt(700));
      LocalDate closure =
          random.nextDouble() < 0.5
              ? null
              : min(today, referral.plusDays(30 + random.nextInt(270)));
      boolean parents = family.hasChildren() || family.hasExpectantParent();
      for (int i = 0; i < family.members().size(); i++) {
        Person p = family.members().get(i);
        String role =
            p.role() == Role.CHILD
                ? "CHILD"
                : parents && (i == 0 || random.nextDouble() < 0.85)
                    ? "PARENT_CARER"
                    : "OTHER_ADULT";
        // Some members are known to Early Help by NHS number, others only by name, date of birth
        // and address.
        String nhs = random.nextDouble() < 0.6 ? p.nhsNumber() : null;
        rows.add(
            new Row(Dataset.EARLY_HELP, p, postcode)
                .with("family_ref", family.familyRef())
                .with("nhs_number", nhs)
                .with("family_role", role)
                .with("expectant_parent", yesNo(p.expectant()))
                .with("referral_date", referral)
                .with("closure_date", closure)
                .with("needs_identified", needList));
      }
    }

    // Schools: every pupil with a UPN, last term; pupils behind an EDUCATION need miss 10%+ of
    // sessions without authorisation or were excluded, and appear for the term before too.
    Term term = Term.lastEnded(today);
    List<Person> pupils =
        children.stream()
            .filter(c -> c.upn() != null && c.ageOn(today) >= 4 && c.ageOn(today) <= 17)
            .toList();
    List<Person> affected = new ArrayList<>();
    if (needs.contains(Need.EDUCATION) && !pupils.isEmpty()) {
      pupils.stream().filter(c -> random.nextDouble() < 0.6).forEach(affected::add);
      if (affected.isEmpty()) {
        affected.add(PopulationGenerator.pick(random, pupils));
      }
    }
    for (Person pupil : pupils) {
      boolean struggling = affected.contains(pupil);
      for (Term t = term, stop = struggling ? term.previous().previous() : term.previous();
          !t.equals(stop);
          t = t.previous()) {
        int possible = t.sessions() - random.nextInt(8);
        int absent;
        int exclusions = 0;
        if (struggling) {
          boolean excluded = random.nextDouble() < 0.3;
          exclusions = excluded ? 1 + random.nextInt(2) : 0;
          int percent =
              excluded && random.nextBoolean() ? random.nextInt(10) : 10 + random.nextInt(31);
          absent = (possible * percent + 99) / 100; // rounded up: 10% stays 10%
        } else {
          absent = possible * random.nextInt(9) / 100; // under 10%
        }
        rows.add(
            new Row(Dataset.SCHOOL_ATTENDANCE, pupil, postcode)
                .with("upn", pupil.upn())
                .with("uln", pupil.uln())
                .with("academic_year", t.academicYear())
                .with("term", t.name())
                .with("period_end_date", t.end())
                .with("sessions_possible", possible)
                .with("unauthorised_absences", absent)
                .with("exclusions", exclusions));
      }
    }

    // Police: offences and anti-social behaviour (CRIME), domestic abuse, missing children
    // (CHILD_SAFETY).
    if (needs.contains(Need.CRIME)) {
      List<Person> candidates = new ArrayList<>(adults);
      children.stream().filter(c -> c.ageOn(today) >= 10).forEach(candidates::add);
      Person offender = PopulationGenerator.pick(random, candidates);
      int incidents = 1 + random.nextInt(2);
      for (int k = 0; k < incidents; k++) {
        String type = random.nextDouble() < 0.6 ? "OFFENCE" : "ANTI_SOCIAL_BEHAVIOUR";
        rows.add(
            police(
                offender,
                postcode,
                today.minusDays(1 + random.nextInt(365)),
                type,
                random.nextBoolean() ? "SUSPECT" : "OFFENDER"));
      }
    }
    if (needs.contains(Need.DOMESTIC_ABUSE)) {
      LocalDate date = today.minusDays(1 + random.nextInt(365));
      rows.add(police(adults.get(0), postcode, date, "DOMESTIC_ABUSE", "VICTIM"));
      if (adults.size() > 1) {
        rows.add(police(adults.get(1), postcode, date, "DOMESTIC_ABUSE", "SUSPECT"));
      }
      children.stream()
          .filter(c -> c.ageOn(today) >= 5 && random.nextDouble() < 0.3)
          .forEach(c -> rows.add(police(c, postcode, date, "DOMESTIC_ABUSE", "WITNESS")));
    }
    if (needs.contains(Need.CHILD_SAFETY) && random.nextDouble() < 0.3) {
      List<Person> older = children.stream().filter(c -> c.ageOn(today) >= 10).toList();
      if (!older.isEmpty()) {
        rows.add(
            police(
                PopulationGenerator.pick(random, older),
                postcode,
                today.minusDays(1 + random.nextInt(365)),
                "MISSING",
                "MISSING_PERSON"));
      }
    }

    // DWP: out-of-work claims behind FINANCIAL_STABILITY; some in-work claims elsewhere (no
    // indicator).
    List<Person> claimants = adults.stream().filter(a -> a.nino() != null).toList();
    boolean financial = needs.contains(Need.FINANCIAL_STABILITY);
    for (int i = 0; i < claimants.size(); i++) {
      Person adult = claimants.get(i);
      boolean outOfWork = financial && (i == 0 || random.nextDouble() < 0.7);
      boolean inWork = !outOfWork && random.nextDouble() < 0.12;
      if (outOfWork || inWork) {
        rows.add(
            new Row(Dataset.DWP_BENEFITS, adult, postcode)
                .with("nino", adult.nino())
                .with(
                    "benefit",
                    PopulationGenerator.pick(
                        random, outOfWork ? OUT_OF_WORK_BENEFITS : IN_WORK_BENEFITS))
                .with("out_of_work", yesNo(outOfWork))
                .with("claim_start_date", today.minusDays(1 + random.nextInt(1095))));
      }
    }

    // Health: only people with an NHS number (the extract requires it).
    List<Person> registered = family.members().stream().filter(p -> p.nhsNumber() != null).toList();
    if (needs.contains(Need.HEALTH) && !registered.isEmpty()) {
      int contacts = 1 + random.nextInt(2);
      for (int k = 0; k < contacts; k++) {
        Person p = PopulationGenerator.pick(random, registered);
        String service =
            p.role() == Role.CHILD
                ? PopulationGenerator.pick(random, List.of("CAMHS", "GP"))
                : PopulationGenerator.pick(random, List.of("MENTAL_HEALTH", "MENTAL_HEALTH", "GP"));
        rows.add(health(p, postcode, today, random, service));
      }
    }
    if (needs.contains(Need.EARLY_YEARS)) {
      registered.stream()
          .filter(c -> c.role() == Role.CHILD && c.ageOn(today) < 5)
          .forEach(
              c ->
                  rows.add(
                      health(
                          c,
                          postcode,
                          today,
                          random,
                          random.nextBoolean() ? "HEALTH_VISITING" : "EARLY_YEARS_CHECK")));
      // antenatal contact with the health visitor
      registered.stream()
          .filter(Person::expectant)
          .forEach(p -> rows.add(health(p, postcode, today, random, "HEALTH_VISITING")));
    }
    List<Person> registeredAdults =
        registered.stream().filter(p -> p.role() == Role.ADULT).toList();
    if (needs.contains(Need.SUBSTANCE_USE)
        && !registeredAdults.isEmpty()
        && random.nextDouble() < 0.9) {
      rows.add(
          health(
              PopulationGenerator.pick(random, registeredAdults),
              postcode,
              today,
              random,
              "SUBSTANCE_USE"));
    }

    // Housing: homelessness cases behind HOUSING (every member of the household); some
    // secure-tenancy assessments elsewhere.
    boolean housing = needs.contains(Need.HOUSING);
    if (housing || random.nextDouble() < 0.04) {
      String status = housing ? PopulationGenerator.pick(random, HOUSING_NEED_STATUSES) : "SECURE";
      LocalDate assessed = today.minusDays(1 + random.nextInt(540));
      for (Person p : family.members()) {
        String nino = p.nino() != null && random.nextDouble() < 0.5 ? p.nino() : null;
        rows.add(
            new Row(Dataset.HOUSING, p, postcode)
                .with("household_ref", family.householdRef())
                .with("nino", nino)
                .with("housing_status", status)
                .with("assessment_date", assessed));
      }
    }

    // Children's social care: an episode for the children of a CHILD_SAFETY family.
    if (needs.contains(Need.CHILD_SAFETY) && !children.isEmpty()) {
      LocalDate referral = today.minusDays(1 + random.nextInt(730));
      String category = PopulationGenerator.pick(random, SOCIAL_CARE_CATEGORIES);
      for (Person child : children) {
        rows.add(
            new Row(Dataset.SOCIAL_CARE, child, postcode)
                .with("family_ref", random.nextDouble() < 0.7 ? family.familyRef() : null)
                .with("nhs_number", random.nextDouble() < 0.8 ? child.nhsNumber() : null)
                .with("category", category)
                .with("referral_date", referral));
      }
    }
    return rows;
  }

  private static Row police(Person p, String postcode, LocalDate date, String type, String role) {
    // pnc_id is blank for people without a police record: those rows link by name, date of birth
    // and postcode
    return new Row(Dataset.POLICE_INCIDENTS, p, postcode)
        .with("pnc_id", p.pncId())
        .with("incident_date", date)
        .with("incident_type", type)
        .with("person_role", role);
  }

  private static Row health(
      Person p, String postcode, LocalDate today, SplittableRandom random, String service) {
    return new Row(Dataset.HEALTH, p, postcode)
        .with("nhs_number", p.nhsNumber())
        .with("service", service)
        .with("contact_date", today.minusDays(1 + random.nextInt(365)))
        .with("expectant_parent", yesNo(p.expectant()));
  }

  private static String yesNo(boolean value) {
    return value ? "Y" : "N";
  }

  /** Applies imperfections in place; returns their labels for the ground truth. */
  private List<String> untidy(Row row, Family family, SplittableRandom random) {
    List<String> labels = new ArrayList<>(2);
    Map<String, String> v = row.values;
    if (family.previousPostcode() != null && random.nextDouble() < imperfections.stalePostcode()) {
      v.put("postcode", family.previousPostcode());
      if (v.get("address_line") != null) {
        v.put(
            "address_line",
            PopulationGenerator.addressLine(family.index(), family.previousPostcode()));
      }
      labels.add("stale_postcode");
    }
    if (random.nextDouble() < imperfections.nameTypo()) {
      String column = random.nextBoolean() ? "given_name" : "family_name";
      v.put(column, typo(v.get(column), random));
      labels.add("typo");
    }
    if (random.nextDouble() < imperfections.missingStrongId()) {
      // only identifiers the contract lets a partner leave out; the row still links by name and
      // date of birth
      boolean blanked = false;
      for (String column : optionalStrongIds.get(row.dataset)) {
        String value = v.get(column);
        if (value != null && !value.isEmpty()) {
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
      reformat(v, dateColumns.get(row.dataset), random);
      ukDates = true;
      labels.add("reformatted");
    }
    if (random.nextDouble() < imperfections.invalid()) {
      String nhs = v.get("nhs_number");
      String digits = nhs == null ? "" : nhs.replace(" ", "");
      if (digits.length() == 10) {
        v.put("nhs_number", SyntheticIdentifiers.nhsNumberWithBadCheckDigit(digits));
        labels.add("invalid_nhs");
      } else {
        int year = row.person.dateOfBirth().getYear();
        // Neither 30 February nor 31 April ever exists.
        boolean february = random.nextBoolean();
        String month = february ? "02" : "04";
        String day = february ? "30" : "31";
        v.put(
            "date_of_birth",
            ukDates ? day + "/" + month + "/" + year : year + "-" + month + "-" + day);
        labels.add("invalid_date");
      }
    }
    return labels;
  }

  /** Writes identifiers and dates another way partners do, which normalisation must accept. */
  private static void reformat(
      Map<String, String> v, Set<String> dateColumns, SplittableRandom random) {
    for (Map.Entry<String, String> e : v.entrySet()) {
      String value = e.getValue();
      if (value == null || value.isEmpty()) {
        continue;
      }
      if (dateColumns.contains(e.getKey())) {
        e.setValue(LocalDate.parse(value).format(UK_DATE));
        continue;
      }
      switch (e.getKey()) {
        case "nhs_number" ->
            e.setValue(
                value.substring(0, 3) + " " + value.substring(3, 6) + " " + value.substring(6));
        case "nino" ->
            e.setValue(
                random.nextBoolean()
                    ? value.toLowerCase(Locale.ROOT)
                    : value.substring(0, 2)
                        + " "
                        + value.substring(2, 4)
                        + " "
                        + value.substring(4, 6)
                        + " "
                        + value.substring(6, 8)
                        + " "
                        + value.substring(8));
        case "upn" -> e.setValue(value.toLowerCase(Locale.ROOT));
        // synthetic PNC records start in 2005, so the long form's century is always 20
        case "pnc_id" -> e.setValue("20" + value);
        case "postcode" -> e.setValue(value.replace(" ", "").toLowerCase(Locale.ROOT));
        // as partners abbreviate and punctuate addresses: "12, high rd."
        case "address_line" ->
            e.setValue(
                value
                    .replaceFirst(" ", ", ")
                    .replace(" Road", " Rd.")
                    .replace(" Street", " St")
                    .replace(" Avenue", " Ave")
                    .replace(" Crescent", " Cres")
                    .replace(" Gardens", " Gdns")
                    .toLowerCase(Locale.ROOT));
        default -> {}
      }
    }
  }

  /**
   * One character changed, dropped or swapped with its neighbour; never the first letter, so the
   * name stays recognisable.
   */
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
}
