package uk.familylink.local.population;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;

/**
 * The dataset contracts the generator writes to: the same {@link ContractRegistry} the ingest
 * service validates against, so an extract's header, codes and upload key follow the contract.
 */
public final class PartnerContracts {

  private final ContractRegistry registry;
  private final Map<Dataset, DatasetContract> contracts;
  private final String source;

  private PartnerContracts(
      ContractRegistry registry, Map<Dataset, DatasetContract> contracts, String source) {
    this.registry = registry;
    this.contracts = contracts;
    this.source = source;
  }

  /**
   * Contracts from {@code contractsDir} when given, else those packaged under the classpath folder
   * {@code contracts/}.
   */
  public static PartnerContracts load(Optional<Path> contractsDir) {
    return contractsDir
        .map(dir -> of(ContractRegistry.fromDirectory(dir), dir.toString()))
        .orElseGet(PartnerContracts::classpath);
  }

  /** The packaged contracts (loaded once). */
  public static PartnerContracts classpath() {
    return Packaged.INSTANCE;
  }

  /**
   * Fails, naming the dataset, when the registry lacks a contract for a dataset the generator
   * writes.
   */
  public static PartnerContracts of(ContractRegistry registry, String source) {
    Objects.requireNonNull(registry, "registry");
    Map<Dataset, DatasetContract> contracts = new EnumMap<>(Dataset.class);
    for (Dataset dataset : Dataset.values()) {
      DatasetContract contract =
          registry
              .find(dataset.id())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "No contract for dataset "
                              + dataset.id()
                              + " in "
                              + source
                              + "; the generator writes "
                              + Dataset.ids()));
      contracts.put(dataset, contract);
    }
    return new PartnerContracts(registry, contracts, source);
  }

  public ContractRegistry registry() {
    return registry;
  }

  public DatasetContract contract(Dataset dataset) {
    return contracts.get(dataset);
  }

  /** The contract's columns in its canonical order: the extract's header. */
  public List<String> columns(Dataset dataset) {
    return contracts.get(dataset).columnNames();
  }

  /** The partner that uploads the dataset: the contract's first listed partner. */
  public String partner(Dataset dataset) {
    return contracts.get(dataset).partners().get(0);
  }

  /**
   * {@code incoming/<partner>/<dataset>/<fileName>}, the key the ingest service accepts for this
   * dataset.
   */
  public String uploadKey(Dataset dataset, String fileName) {
    return "incoming/" + partner(dataset) + "/" + dataset.id() + "/" + fileName;
  }

  /** Where the contracts came from, for the run summary. */
  public String source() {
    return source;
  }

  private static final class Packaged {
    static final PartnerContracts INSTANCE =
        of(
            ContractRegistry.fromClasspath(),
            "classpath:" + ContractRegistry.CLASSPATH_FOLDER + "/");
  }
}
