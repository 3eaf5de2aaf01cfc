using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Elbo.Reporting;

/// <summary>Turns an SVG file into markup to embed in an HTML page. The file is parsed as XML (so a broken file is
/// caught here, not shown as garbage) and written back without its XML declaration and doctype. What could run code or
/// reach the network is removed: <c>script</c> and <c>foreignObject</c> elements, <c>on…</c> attributes, links
/// (<c>href</c>) other than to the drawing's own ids or to <c>data:</c> images, and styles that import or point at
/// outside URLs. Ids get a prefix, with the references to them, because every inline SVG shares the page's ids.</summary>
public static partial class SvgMarkup
{
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XlinkNs = "http://www.w3.org/1999/xlink";

    /// <summary>The sanitized inline markup of <paramref name="svg"/> (see the class summary), labelled with
    /// <paramref name="label"/> (<c>role="img"</c>, <c>aria-label</c>) unless it already has a label.</summary>
    /// <exception cref="FormatException">The text is not well-formed XML or its root is not an SVG element.</exception>
    public static string Inline(string svg, string label, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(svg);
        XDocument doc;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(svg), settings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"not well-formed SVG: {e.Message}", e);
        }
        var root = doc.Root;
        if (root == null || root.Name.LocalName != "svg")
            throw new FormatException($"not an SVG document (the root element is <{root?.Name.LocalName}>)");
        if (root.Name.Namespace == XNamespace.None) SetNamespace(root, SvgNs);

        foreach (var e in root.DescendantsAndSelf().ToList())
        {
            if (e.Name.LocalName is "script" or "foreignObject") { e.Remove(); continue; }
            if (e.Name.LocalName == "style" && ExternalUrl(e.Value)) { e.Remove(); continue; }
            foreach (var a in e.Attributes().ToList())
            {
                string name = a.Name.LocalName;
                if (a.IsNamespaceDeclaration) continue;
                if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase)
                    || (name == "href" && !(a.Value.StartsWith('#') || a.Value.StartsWith("data:image/", StringComparison.Ordinal)))
                    || ExternalUrl(a.Value))
                    a.Remove();
            }
        }
        PrefixIds(root, idPrefix);
        if (root.Attribute("aria-label") == null && root.Attribute("aria-labelledby") == null)
        {
            root.SetAttributeValue("role", "img");
            root.SetAttributeValue("aria-label", label);
        }
        return root.ToString(SaveOptions.DisableFormatting | SaveOptions.OmitDuplicateNamespaces);
    }

    // An SVG written without its namespace would not be drawn as SVG by an XML parser; in HTML the parser puts <svg>
    // in the SVG namespace anyway, and writing it out with the namespace keeps both readings the same.
    private static void SetNamespace(XElement root, XNamespace ns)
    {
        foreach (var e in root.DescendantsAndSelf())
            if (e.Name.Namespace == XNamespace.None) e.Name = ns + e.Name.LocalName;
        root.SetAttributeValue("xmlns", ns.NamespaceName);
    }

    private static void PrefixIds(XElement root, string prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in root.DescendantsAndSelf())
            if (e.Attribute("id") is { } id) { ids.Add(id.Value); id.Value = prefix + id.Value; }
        if (ids.Count == 0) return;
        foreach (var e in root.DescendantsAndSelf())
        {
            foreach (var a in e.Attributes())
            {
                if (a.IsNamespaceDeclaration || a.Name.LocalName == "id") continue;
                if (a.Name.LocalName == "href" && a.Value.StartsWith('#') && ids.Contains(a.Value[1..]))
                    a.Value = "#" + prefix + a.Value[1..];
                else if (a.Value.Contains("url(", StringComparison.Ordinal))
                    a.Value = LocalUrl().Replace(a.Value, m => ids.Contains(m.Groups[2].Value) ? $"url({m.Groups[1].Value}#{prefix}{m.Groups[2].Value}" : m.Value);
            }
            if (e.Name.LocalName == "style")
                foreach (var t in e.Nodes().OfType<XText>())
                    t.Value = LocalUrl().Replace(t.Value, m => ids.Contains(m.Groups[2].Value) ? $"url({m.Groups[1].Value}#{prefix}{m.Groups[2].Value}" : m.Value);
        }
    }

    private static bool ExternalUrl(string value) =>
        value.Contains("@import", StringComparison.OrdinalIgnoreCase) || ExternalUrlPattern().IsMatch(value);

    // url( followed by anything but a local reference (#id) or a data: URL.
    [GeneratedRegex(@"url\(\s*['""]?(?!#|data:)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrlPattern();

    [GeneratedRegex(@"url\((\s*['""]?)#([^'"")\s]+)")]
    private static partial Regex LocalUrl();
}
