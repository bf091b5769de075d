package uk.familylink.report;

import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A horizontal bar chart as inline SVG, built as an XML DOM (so labels are escaped by the
 * serialiser, never by string concatenation). It draws only what is published: a bar's length comes
 * from its shown number; a bar whose value is a symbol ({@code c}, {@code x}, {@code u}...) gets no
 * bar, only the symbol as text. No element carries hover text or data attributes.
 */
public final class SvgBarChart {

  /** One bar: its label, the published text, and the number behind it (null for a symbol). */
  public record Bar(String label, String shown, Double value) {
    public Bar {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(shown, "shown");
    }
  }

  static final String SVG_NS = "http://www.w3.org/2000/svg";
  static final int WIDTH = 720;
  static final int LABEL_WIDTH = 300;
  static final int VALUE_WIDTH = 70;
  static final int BAR_HEIGHT = 20;
  static final int GAP = 8;
  static final int TOP = 8;

  private SvgBarChart() {}

  /**
   * Renders the chart.
   *
   * @param title accessible name of the chart
   * @param unit appended to values on the axis ({@code %} or empty)
   */
  public static String render(String title, List<Bar> bars, String unit) {
    Document doc = newDocument();
    int height = TOP * 2 + bars.size() * (BAR_HEIGHT + GAP);
    Element svg = doc.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + height);
    svg.setAttribute("width", Integer.toString(WIDTH));
    svg.setAttribute("height", Integer.toString(height));
    svg.setAttribute("role", "img");
    svg.setAttribute("class", "chart");
    doc.appendChild(svg);
    Element name = doc.createElementNS(SVG_NS, "title");
    name.setTextContent(title);
    svg.appendChild(name);

    double max =
        bars.stream().filter(b -> b.value() != null).mapToDouble(Bar::value).max().orElse(0);
    double scale = max <= 0 ? 0 : (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / max;
    int y = TOP;
    for (Bar bar : bars) {
      Element group = doc.createElementNS(SVG_NS, "g");
      group.setAttribute("class", "row");
      Element label = text(doc, LABEL_WIDTH - 8, y + BAR_HEIGHT * 0.75, "label", bar.label());
      label.setAttribute("text-anchor", "end");
      group.appendChild(label);
      double length = 0;
      if (bar.value() != null) {
        length = bar.value() * scale;
        Element rect = doc.createElementNS(SVG_NS, "rect");
        rect.setAttribute("class", "bar");
        rect.setAttribute("x", Integer.toString(LABEL_WIDTH));
        rect.setAttribute("y", Integer.toString(y));
        rect.setAttribute("width", format(length));
        rect.setAttribute("height", Integer.toString(BAR_HEIGHT));
        group.appendChild(rect);
      }
      String valueText = bar.value() == null ? bar.shown() : bar.shown() + unit;
      group.appendChild(
          text(
              doc,
              LABEL_WIDTH + length + 6,
              y + BAR_HEIGHT * 0.75,
              bar.value() == null ? "value symbol" : "value",
              valueText));
      svg.appendChild(group);
      y += BAR_HEIGHT + GAP;
    }
    return serialise(doc);
  }

  private static Element text(Document doc, double x, double y, String cls, String content) {
    Element text = doc.createElementNS(SVG_NS, "text");
    text.setAttribute("class", cls);
    text.setAttribute("x", format(x));
    text.setAttribute("y", format(y));
    text.setTextContent(content);
    return text;
  }

  static String format(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static Document newDocument() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      return factory.newDocumentBuilder().newDocument();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("no XML document builder", e);
    }
  }

  private static String serialise(Document doc) {
    try {
      var transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      transformer.setOutputProperty(OutputKeys.METHOD, "xml");
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new IllegalStateException("cannot serialise the chart", e);
    }
  }
}
