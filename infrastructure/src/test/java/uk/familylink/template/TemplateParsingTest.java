package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The short-form tag reader the security tests rely on. */
class TemplateParsingTest {

  @Test
  void shortFormTagsBecomeTheirLongForms() {
    CfnTemplate t =
        CfnTemplate.parse(
            """
                Resources:
                  R:
                    Properties:
                      A: !Ref Thing
                      B: !GetAtt Table.StreamArn
                      C: !Sub "arn:${AWS::Partition}:s3:::${Bucket}/*"
                      D: !If [Cond, !Sub "x-${A}", !Ref B]
                      E: !FindInMap [Map, !Ref Key, Days]
                      F: !Join ["", [a, !Ref B]]
                      G: !Not [!Equals [!Ref P, ""]]
                """);
    Map<String, Object> p = CfnTemplate.properties(CfnTemplate.map(t.rawResources().get("R")));

    assertThat(p.get("A")).isEqualTo(Map.of("Ref", "Thing"));
    assertThat(p.get("B")).isEqualTo(Map.of("Fn::GetAtt", List.of("Table", "StreamArn")));
    assertThat(p.get("C")).isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${Bucket}/*"));
    assertThat(p.get("D"))
        .isEqualTo(
            Map.of("Fn::If", List.of("Cond", Map.of("Fn::Sub", "x-${A}"), Map.of("Ref", "B"))));
    assertThat(p.get("E"))
        .isEqualTo(Map.of("Fn::FindInMap", List.of("Map", Map.of("Ref", "Key"), "Days")));
    assertThat(p.get("F"))
        .isEqualTo(Map.of("Fn::Join", List.of("", List.of("a", Map.of("Ref", "B")))));
    assertThat(p.get("G"))
        .isEqualTo(
            Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "P"), "")))));
    assertThat(CfnTemplate.texts(p.get("D"))).containsExactly("x-${A}", "${B}");
    assertThat(CfnTemplate.text(p.get("B"))).isEqualTo("${Table.StreamArn}");
  }

  @Test
  void forEachLoopsExpandWithAlphanumericLogicalIdsAndLiteralPrefixes() {
    CfnTemplate t =
        CfnTemplate.parse(
            """
                Resources:
                  Fn::ForEach::Loop:
                    - Partner
                    - !Ref Partners
                    - Role&{Partner}:
                        Type: AWS::IAM::Role
                        Properties:
                          Path: !Sub "incoming/${Partner}/*"
                          Name: !Ref Partner
                """);
    Map<String, Map<String, Object>> expanded = t.resources(List.of("early-help", "dwp"));

    assertThat(expanded).containsOnlyKeys("Roleearlyhelp", "Roledwp");
    Map<String, Object> props = CfnTemplate.properties(expanded.get("Roleearlyhelp"));
    assertThat(props.get("Path")).isEqualTo(Map.of("Fn::Sub", "incoming/early-help/*"));
    assertThat(props.get("Name")).isEqualTo("early-help");
  }

  @Test
  void theRealTemplateParses() {
    CfnTemplate t = CfnTemplate.load();

    assertThat(t.root()).containsKeys("Parameters", "Resources", "Outputs");
    assertThat(CfnTemplate.strings(t.root().get("Transform")))
        .containsExactly("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31");
  }
}
