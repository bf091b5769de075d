package uk.familylink.domain.contract;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * All dataset contracts, loaded once (at cold start) from YAML files: one file per dataset, {@code
 * <dataset>.yaml}. Adding a dataset or a partner is adding or editing a file; no code changes. Any
 * invalid contract stops loading with a message naming the file and the setting.
 */
public final class ContractRegistry {

  /** Classpath folder the functions module packages {@code infrastructure/contracts} into. */
  public static final String CLASSPATH_FOLDER = "contracts";

  private final Map<String, DatasetContract> byDataset;
  private final Map<String, List<DatasetContract>> byPartner;

  private ContractRegistry(Collection<DatasetContract> contracts) {
    Map<String, DatasetContract> datasets = new TreeMap<>();
    Map<String, List<DatasetContract>> partners = new TreeMap<>();
    for (DatasetContract c : contracts) {
      if (datasets.put(c.dataset(), c) != null) {
        throw new ContractException(
            "contract " + c.dataset() + ".yaml: the dataset is defined twice");
      }
      for (String p : c.partners()) {
        partners.computeIfAbsent(p, k -> new ArrayList<>()).add(c);
      }
    }
    partners.replaceAll((k, v) -> List.copyOf(v));
    this.byDataset = Collections.unmodifiableMap(datasets);
    this.byPartner = Collections.unmodifiableMap(partners);
  }

  /** A registry of the given contracts (tests, tools). */
  public static ContractRegistry of(Collection<DatasetContract> contracts) {
    return new ContractRegistry(contracts);
  }

  /** Loads the contracts packaged under the classpath folder {@value #CLASSPATH_FOLDER}. */
  public static ContractRegistry fromClasspath() {
    return fromClasspath(ContractRegistry.class.getClassLoader(), CLASSPATH_FOLDER);
  }

  /**
   * Loads every {@code *.yaml}/{@code *.yml} in a classpath folder, whether the folder is a
   * directory (IDE, tests, Lambda's unpacked zip) or inside a jar (the local CLI's shaded jar).
   */
  public static ContractRegistry fromClasspath(ClassLoader loader, String folder) {
    String clean = folder.replaceAll("^/+|/+$", "");
    URL url = loader.getResource(clean);
    try {
      if (url != null && "file".equals(url.getProtocol())) {
        return fromDirectory(Path.of(url.toURI()));
      }
      if (url != null && "jar".equals(url.getProtocol())) {
        return fromJarUri(url.toURI(), clean);
      }
      // Some jars carry no directory entries, so the folder itself is not a resource:
      // list the jar this class came from instead.
      return fromOwnJar(clean);
    } catch (URISyntaxException e) {
      throw new ContractException("cannot locate classpath folder " + clean + "/", e);
    } catch (IOException e) {
      throw new ContractException("cannot read contracts from classpath folder " + clean + "/", e);
    }
  }

  /** Loads every {@code *.yaml}/{@code *.yml} file of a directory. */
  public static ContractRegistry fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ContractException("contracts directory " + dir + " does not exist");
    }
    List<DatasetContract> contracts = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      List<Path> sorted = new ArrayList<>();
      files.forEach(sorted::add);
      sorted.sort(null);
      for (Path p : sorted) {
        String name = p.getFileName().toString();
        if (isContractFile(name) && Files.isRegularFile(p)) {
          try (InputStream in = Files.newInputStream(p)) {
            contracts.add(ContractParser.parse(name, in));
          }
        }
      }
    } catch (IOException e) {
      throw new ContractException("cannot read contracts directory " + dir, e);
    }
    return nonEmpty(contracts, dir.toString());
  }

  /** Parses one contract file (its name must be {@code <dataset>.yaml}). */
  public static DatasetContract parse(String fileName, InputStream in) {
    return ContractParser.parse(fileName, in);
  }

  private static ContractRegistry fromJarUri(URI folderUri, String folder) throws IOException {
    FileSystem fs;
    boolean opened = false;
    try {
      fs = FileSystems.newFileSystem(folderUri, Map.of());
      opened = true;
    } catch (FileSystemAlreadyExistsException e) {
      fs = FileSystems.getFileSystem(folderUri);
    }
    try {
      return fromDirectory(fs.getPath("/" + folder));
    } finally {
      if (opened) {
        fs.close();
      }
    }
  }

  private static ContractRegistry fromOwnJar(String folder) throws IOException, URISyntaxException {
    CodeSource source = ContractRegistry.class.getProtectionDomain().getCodeSource();
    Path location = source == null ? null : Path.of(source.getLocation().toURI());
    if (location == null || !Files.isRegularFile(location)) {
      throw new ContractException(
          "no contracts found: classpath folder " + folder + "/ is missing");
    }
    List<DatasetContract> contracts = new ArrayList<>();
    try (JarFile jar = new JarFile(location.toFile())) {
      Set<String> names = new TreeSet<>();
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith(folder + "/") && name.indexOf('/', folder.length() + 1) < 0) {
          names.add(name);
        }
      }
      for (String name : names) {
        String file = name.substring(folder.length() + 1);
        if (isContractFile(file)) {
          try (InputStream in = jar.getInputStream(jar.getJarEntry(name))) {
            contracts.add(ContractParser.parse(file, in));
          }
        }
      }
    }
    return nonEmpty(contracts, location + "!/" + folder);
  }

  private static boolean isContractFile(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static ContractRegistry nonEmpty(List<DatasetContract> contracts, String where) {
    if (contracts.isEmpty()) {
      throw new ContractException("no contracts (*.yaml) found in " + where);
    }
    return new ContractRegistry(contracts);
  }

  /** The contract of {@code dataset}, if any. */
  public Optional<DatasetContract> find(String dataset) {
    return Optional.ofNullable(dataset == null ? null : byDataset.get(dataset));
  }

  /** Contracts the partner may send, by dataset name; empty for an unknown partner. */
  public List<DatasetContract> datasetsFor(String partner) {
    return partner == null ? List.of() : byPartner.getOrDefault(partner, List.of());
  }

  /** Every partner named by at least one contract. */
  public Set<String> partners() {
    return Collections.unmodifiableSet(byPartner.keySet());
  }

  /** Whether {@code partner} may send {@code dataset}. */
  public boolean isAllowed(String partner, String dataset) {
    DatasetContract c = find(dataset).orElse(null);
    return c != null && partner != null && c.partners().contains(partner);
  }

  /** All contracts by dataset name. */
  public Collection<DatasetContract> all() {
    return byDataset.values();
  }
}
