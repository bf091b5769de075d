package uk.familylink.local;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import uk.familylink.local.population.ContractColumns;
import uk.familylink.local.population.Dataset;

/**
 * Checks an extract before upload. For now only the header against the contract's columns; the
 * row-level validator from the functions module is to be wired in here.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a CSV extract against its dataset contract before uploading it. Prints row numbers and reasons, never values.")
final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true, description = "Dataset id, e.g. early-help, school-attendance.")
    String dataset;

    @Option(names = "--contracts", description = "Folder of contract YAML files (default: classpath contracts/, else built-in columns).")
    Path contracts;

    @Parameters(paramLabel = "FILE", description = "The CSV extract.")
    Path file;

    @Override
    public Integer call() throws Exception {
        Dataset target = Dataset.byId(dataset);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No such file: " + file + " (give the path to a CSV extract)");
        }
        List<String> expected = ContractColumns.load(Optional.ofNullable(contracts)).columns(target);
        List<String> header;
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file)) {
            header = reader.stream().findFirst().map(CsvRecord::getFields).orElse(List.of());
        }
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(header);
        List<String> unexpected = new ArrayList<>(header);
        unexpected.removeAll(expected);
        if (missing.isEmpty() && unexpected.isEmpty()) {
            System.out.printf("%s: header matches the %s contract (%d columns)%n", file.getFileName(), target.id(), expected.size());
            return 0;
        }
        System.out.printf("%s: header does not match the %s contract; missing columns %s, unexpected columns %s%n",
                file.getFileName(), target.id(), missing, unexpected);
        return 1;
    }
}
