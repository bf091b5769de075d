package uk.familylink.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import uk.familylink.domain.contract.ContractException;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ValidationPolicy;
import uk.familylink.domain.validation.ValidationReport;

/**
 * Checks an extract offline, before upload, with the same validator and contracts as the ingest
 * service: the report JSON goes to stdout, the partner's summary to stderr. Like the service, it
 * prints row numbers, column names and reasons, never values.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a CSV extract against its dataset contract before uploading it, exactly as ingest would.",
      "Prints the validation report (JSON) on stdout and a summary on stderr: row numbers and reasons, never values.",
      "Exit status: 0 accepted (perhaps with invalid rows left out), 1 rejected, 2 usage error."
    },
    exitCodeOnInvalidInput = ValidateCommand.USAGE)
final class ValidateCommand implements Callable<Integer> {

  static final int ACCEPTED = 0;
  static final int REJECTED = 1;
  static final int USAGE = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--dataset",
      required = true,
      description = "Dataset name, e.g. early-help, school-attendance.")
  String dataset;

  @Option(
      names = "--contracts",
      description = "Folder of dataset contract YAML files (default: the packaged contracts).")
  Path contracts;

  @Parameters(paramLabel = "FILE", description = "The CSV extract.")
  Path file;

  private final Clock clock;

  ValidateCommand() {
    this(Clock.systemUTC());
  }

  ValidateCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ContractRegistry registry;
    try {
      registry =
          contracts == null
              ? ContractRegistry.fromClasspath()
              : ContractRegistry.fromDirectory(contracts);
    } catch (ContractException e) {
      // names the contract file and setting, never partner data
      err.println("familylink validate: " + e.getMessage());
      err.flush();
      return USAGE;
    }
    DatasetContract contract = registry.find(dataset).orElse(null);
    if (contract == null) {
      List<String> known = registry.all().stream().map(DatasetContract::dataset).toList();
      err.println(
          "familylink validate: unknown dataset '"
              + dataset
              + "'; known datasets: "
              + String.join(", ", known));
      err.flush();
      return USAGE;
    }
    if (!Files.isRegularFile(file)) {
      err.println(
          "familylink validate: "
              + (Files.isDirectory(file)
                  ? "is a directory: "
                  : Files.exists(file) ? "not a regular file: " : "no such file: ")
              + file
              + " (give the path to a CSV extract)");
      err.flush();
      return USAGE;
    }
    ExtractValidator validator =
        new ExtractValidator(
            contract, ValidationPolicy.DEFAULTS.overriddenBy(contract.limits()), clock);
    if (!Files.isReadable(file)) {
      err.println("familylink validate: permission denied: " + file);
      err.flush();
      return USAGE;
    }
    ValidationReport report;
    try (InputStream in = Files.newInputStream(file)) {
      report = validator.validate(in, row -> {});
    }
    out.println(report.toJson());
    out.flush();
    err.println(report.toSummaryText());
    err.flush();
    return report.isRejected() ? REJECTED : ACCEPTED;
  }
}
