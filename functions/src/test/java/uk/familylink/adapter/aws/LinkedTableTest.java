package uk.familylink.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.LinkKeyKind;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.retention.ItemKind;

class LinkedTableTest {

  @Test
  void everyKeyTheAdaptersBuildHasItsKind() {
    assertThat(LinkedTable.kindOf(LinkedTable.personPk(new PersonId("P1")), "PERSON"))
        .isEqualTo(ItemKind.PERSON);
    assertThat(LinkedTable.kindOf(LinkedTable.personPk(new PersonId("P1")), "MERGE"))
        .as("merges are told apart from persons by their sk")
        .isEqualTo(ItemKind.MERGE);
    assertThat(
            LinkedTable.kindOf(
                LinkedTable.identityPk(new IdentityKey(LinkKeyKind.NHS_NUMBER, "t")), "ID"))
        .isEqualTo(ItemKind.ID);
    assertThat(LinkedTable.kindOf(LinkedTable.recordPk("health", "t"), "REC"))
        .isEqualTo(ItemKind.REC);
    assertThat(
            LinkedTable.kindOf(
                LinkedTable.familyPk(new FamilyKey("HOUSEHOLD_REF", "t")), "MEMBER#P1"))
        .isEqualTo(ItemKind.FAMILY);
    assertThat(LinkedTable.kindOf(DynamoDbFileLedger.filePk("f"), "FILE")).isEqualTo(ItemKind.FILE);
    assertThat(LinkedTable.kindOf(LinkedTable.RELEASED_PK, "PERSON#P1"))
        .isEqualTo(ItemKind.RELEASED);
    assertThat(LinkedTable.kindOf(DynamoDbCandidateIndex.PK_PREFIX + "k", "P1#d#0"))
        .isEqualTo(ItemKind.BLOCK);
    assertThat(LinkedTable.kindOf(LinkedTable.AUDIT_PREFIX + "2026-01-01", "x"))
        .isEqualTo(ItemKind.AUDIT);
  }

  @Test
  void anythingElseIsOther() {
    assertThat(LinkedTable.kindOf(DynamoDbRestamp.STATE_PK, DynamoDbRestamp.STATE_SK))
        .isEqualTo(ItemKind.OTHER);
    assertThat(LinkedTable.kindOf("SOMETHING#else", "x")).isEqualTo(ItemKind.OTHER);
    assertThat(LinkedTable.kindOf(null, null)).isEqualTo(ItemKind.OTHER);
  }
}
