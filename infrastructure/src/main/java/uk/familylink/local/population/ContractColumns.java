package uk.familylink.local.population;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The column order of each dataset, read from the contract YAML files when they are present
 * ({@code <dir>/<dataset>.yaml} or {@code .yml}, else the classpath folder {@code contracts/}),
 * otherwise the agreed defaults in {@link Dataset}. Only the column names are read, in the shapes
 * a contract is likely to take: {@code columns: [name, ...]}, {@code columns: [{name: ...}, ...]}
 * or {@code columns: {name: {...}, ...}}.
 */
public final class ContractColumns {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<Dataset, List<String>> columns;
    private final Map<Dataset, String> sources;

    private ContractColumns(Map<Dataset, List<String>> columns, Map<Dataset, String> sources) {
        this.columns = columns;
        this.sources = sources;
    }

    /** Columns from {@code contractsDir} if given and present, then the classpath, then the defaults. */
    public static ContractColumns load(Optional<Path> contractsDir) {
        Map<Dataset, List<String>> columns = new EnumMap<>(Dataset.class);
        Map<Dataset, String> sources = new EnumMap<>(Dataset.class);
        for (Dataset dataset : Dataset.values()) {
            Optional<List<String>> found = contractsDir.flatMap(dir -> fromDirectory(dir, dataset));
            String source = found.isPresent() ? contractsDir.get().resolve(dataset.id() + ".yaml").toString() : null;
            if (found.isEmpty()) {
                found = fromClasspath(dataset);
                source = found.isPresent() ? "classpath:contracts/" + dataset.id() : null;
            }
            columns.put(dataset, found.orElse(dataset.defaultColumns()));
            sources.put(dataset, source == null ? "built-in defaults" : source);
        }
        return new ContractColumns(columns, sources);
    }

    public static ContractColumns defaults() {
        Map<Dataset, List<String>> columns = new EnumMap<>(Dataset.class);
        Map<Dataset, String> sources = new EnumMap<>(Dataset.class);
        for (Dataset dataset : Dataset.values()) {
            columns.put(dataset, dataset.defaultColumns());
            sources.put(dataset, "built-in defaults");
        }
        return new ContractColumns(columns, sources);
    }

    public List<String> columns(Dataset dataset) {
        return columns.get(dataset);
    }

    /** Where a dataset's columns came from, for the run summary. */
    public String source(Dataset dataset) {
        return sources.get(dataset);
    }

    private static Optional<List<String>> fromDirectory(Path dir, Dataset dataset) {
        for (String ext : new String[] {".yaml", ".yml"}) {
            Path file = dir.resolve(dataset.id() + ext);
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return Optional.of(parse(in, file.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not read contract " + file, e);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> fromClasspath(Dataset dataset) {
        for (String ext : new String[] {".yaml", ".yml"}) {
            String resource = "contracts/" + dataset.id() + ext;
            try (InputStream in = ContractColumns.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    return Optional.of(parse(in, "classpath:" + resource));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read contract classpath:" + resource, e);
            }
        }
        return Optional.empty();
    }

    static List<String> parse(InputStream in, String where) throws IOException {
        JsonNode root = YAML.readTree(in);
        JsonNode node = root == null ? null : root.get("columns");
        List<String> names = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode column : node) {
                String name = column.isTextual() ? column.asText() : column.path("name").asText(null);
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("Contract " + where + ": a column has no name");
                }
                names.add(name);
            }
        } else if (node != null && node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Contract " + where + " lists no columns (expected a 'columns' list or map)");
        }
        return List.copyOf(names);
    }
}
