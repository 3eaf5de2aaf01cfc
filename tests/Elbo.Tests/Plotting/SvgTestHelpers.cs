using System.Globalization;
using System.Xml.Linq;
using Elbo.Plotting;

namespace Elbo.Tests.Plotting;

/// <summary>Parses Elbo's SVG output as XML and finds its parts.</summary>
internal static class SvgTestHelpers
{
    public static readonly XNamespace Svg = SvgWriter.Namespace;

    /// <summary>The document (XDocument.Parse throws on anything that is not well-formed XML).</summary>
    public static XDocument Parse(string svg) => XDocument.Parse(svg);

    /// <summary>Elements of <paramref name="name"/> inside groups of class <paramref name="groupClass"/>.</summary>
    public static IEnumerable<XElement> InGroups(XDocument doc, string groupClass, string name) =>
        doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == groupClass).SelectMany(g => g.Descendants(Svg + name));

    public static List<XElement> Groups(XDocument doc, string groupClass) =>
        doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == groupClass).ToList();

    /// <summary>The legend's labels, in order.</summary>
    public static List<string> LegendLabels(XDocument doc) =>
        Groups(doc, "entry").Select(e => e.Element(Svg + "text")!.Value).ToList();

    public static double Number(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
