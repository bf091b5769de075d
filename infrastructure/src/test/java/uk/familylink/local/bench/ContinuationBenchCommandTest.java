package uk.familylink.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The CI-sized run of {@code bench continuation}: a 5,000-row extract with half a second of linking
 * per invocation stops and continues many times through the real handler, and still ends with every
 * valid row linked exactly once. (The 2,000,000-row run is a benchmark, not a test.)
 */
class ContinuationBenchCommandTest {

  @Test
  void aFileThatContinuesManyTimesEndsWithEveryValidRowLinkedOnce() throws Exception {
    ContinuationBenchCommand.Result r = ContinuationBenchCommand.run(5_000, 0.5, 7, 10_000, null);

    assertThat(r.continuations()).as("continued through the queue many times").isGreaterThan(2);
    assertThat(r.records()).as("records = valid rows").isEqualTo(5_000);
    assertThat(r.distinctRecords()).as("no duplicate").isEqualTo(r.records());
    assertThat(r.rowsLinked()).as("the audit counts every invocation's rows").isEqualTo(5_000);
    assertThat(r.recordsWithoutPerson()).isZero();
    assertThat(r.activePersonsWithoutRecord()).as("no orphan person").isZero();
    assertThat(r.ledgerStatus()).as("nothing stuck").isEqualTo("DONE");
    assertThat(r.reportExists()).isTrue();
    assertThat(r.ingestAuditEntries()).as("one audit entry for the file").isEqualTo(1);
    assertThat(r.uploadsLeft()).isZero();
    assertThat(r.ok()).isTrue();
  }

  @Test
  void theInMemoryStoreRunsTheSamePathAndTheSameChecks() throws Exception {
    ContinuationBenchCommand.Result r =
        ContinuationBenchCommand.run(5_000, 0.02, 11, 10_000, null, new MemoryContinuationBench());

    assertThat(r.continuations()).as("continued through the queue").isGreaterThan(2);
    assertThat(r.records()).as("records = valid rows").isEqualTo(5_000);
    assertThat(r.distinctRecords()).isEqualTo(r.records());
    assertThat(r.rowsLinked()).isEqualTo(5_000);
    assertThat(r.activePersons()).as("the check read the persons back").isPositive();
    assertThat(r.recordsWithoutPerson()).isZero();
    assertThat(r.activePersonsWithoutRecord()).isZero();
    assertThat(r.ledgerStatus()).isEqualTo("DONE");
    assertThat(r.reportExists()).isTrue();
    assertThat(r.ingestAuditEntries()).isEqualTo(1);
    assertThat(r.uploadsLeft()).isZero();
    assertThat(r.ok()).isTrue();
  }
}
