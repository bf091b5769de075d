package uk.familylink.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;

class SvgBarChartTest {

  @Test
  void barsAreProportionalToShownValuesAndSymbolsGetNoBar() {
    String svg =
        SvgBarChart.render(
            "Families <by> need",
            List.of(
                new SvgBarChart.Bar("Housing & homes", "200", 200.0),
                new SvgBarChart.Bar("Crime", "c", null),
                new SvgBarChart.Bar("Health", "100", 100.0)),
            "");
    Document doc = Jsoup.parse(svg, "", Parser.xmlParser());
    List<Element> rects = doc.select("rect.bar");
    assertThat(rects).hasSize(2);
    double first = Double.parseDouble(rects.get(0).attr("width"));
    double second = Double.parseDouble(rects.get(1).attr("width"));
    assertThat(first).isEqualTo(2 * second);
    assertThat(doc.select("text.symbol").text()).isEqualTo("c");
    assertThat(doc.selectFirst("title").text()).isEqualTo("Families <by> need");
    assertThat(svg).contains("Families &lt;by&gt; need").contains("Housing &amp; homes");
    for (Element e : doc.getAllElements()) {
      e.attributes().forEach(a -> assertThat(a.getKey()).doesNotStartWith("data-"));
    }
  }

  @Test
  void aChartOfOnlySymbolsDrawsNoBars() {
    String svg = SvgBarChart.render("x", List.of(new SvgBarChart.Bar("Crime", "c", null)), "%");
    assertThat(Jsoup.parse(svg, "", Parser.xmlParser()).select("rect")).isEmpty();
  }
}
