using System.Globalization;
using System.Text;

namespace Elbo.Plotting;

/// <summary>
/// Builds an SVG document as text: elements with attributes, text, groups, and a few shapes written without
/// intermediate objects (so a scatter of thousands of points stays cheap). Text and attribute values are escaped,
/// characters XML cannot hold are replaced, numbers are written in the invariant culture with few digits
/// (<see cref="Number"/>). The root carries <c>width</c>, <c>height</c> and a matching <c>viewBox</c>, so the picture
/// has a natural size and scales cleanly.
/// </summary>
public sealed class SvgWriter
{
    /// <summary>The SVG namespace.</summary>
    public const string Namespace = "http://www.w3.org/2000/svg";

    /// <summary>The font of every text element (the browser's sans-serif).</summary>
    public const string FontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif";

    private readonly StringBuilder _text = new();
    private readonly Stack<string> _open = new();
    private bool _finished;

    /// <summary>Starts a document of <paramref name="width"/> × <paramref name="height"/> user units (pixels).</summary>
    public SvgWriter(double width, double height)
    {
        if (!(width > 0) || !(height > 0) || double.IsInfinity(width) || double.IsInfinity(height))
            throw new ArgumentException($"an SVG needs a positive finite size, got {width} × {height}");
        Width = width;
        Height = height;
        _text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        _text.Append("<svg xmlns=\"").Append(Namespace).Append("\" version=\"1.1\" width=\"").Append(Number(width))
            .Append("\" height=\"").Append(Number(height)).Append("\" viewBox=\"0 0 ").Append(Number(width)).Append(' ')
            .Append(Number(height)).Append("\" font-family=\"").Append(FontFamily).Append("\">\n");
        _open.Push("svg");
    }

    /// <summary>The document's width in user units.</summary>
    public double Width { get; }

    /// <summary>The document's height in user units.</summary>
    public double Height { get; }

    /// <summary>Opens an element (closed by <see cref="Close"/>).</summary>
    public SvgWriter Open(string name, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        StartTag(name, attributes);
        _text.Append(">\n");
        _open.Push(name);
        return this;
    }

    /// <summary>Closes the innermost open element.</summary>
    public SvgWriter Close()
    {
        if (_open.Count <= 1) throw new InvalidOperationException("no element is open (the root closes with ToString)");
        _text.Append("</").Append(_open.Pop()).Append(">\n");
        return this;
    }

    /// <summary>Writes an empty element, e.g. <c>&lt;rect .../&gt;</c>.</summary>
    public SvgWriter Element(string name, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        StartTag(name, attributes);
        _text.Append("/>\n");
        return this;
    }

    /// <summary>Writes a <c>text</c> element holding <paramref name="content"/> (escaped) at (x, y).</summary>
    public SvgWriter Text(double x, double y, string content, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        ArgumentNullException.ThrowIfNull(content);
        CheckOpen();
        _text.Append("<text x=\"").Append(Number(x)).Append("\" y=\"").Append(Number(y)).Append('"');
        AppendAttributes(attributes);
        _text.Append('>');
        AppendEscaped(content, attribute: false);
        _text.Append("</text>\n");
        return this;
    }

    /// <summary>Writes <c>&lt;circle cx cy r/&gt;</c> with the fill inherited from the enclosing group.</summary>
    public SvgWriter Circle(double cx, double cy, double r)
    {
        CheckOpen();
        _text.Append("<circle cx=\"").Append(Number(cx)).Append("\" cy=\"").Append(Number(cy)).Append("\" r=\"")
            .Append(Number(r, 2)).Append("\"/>\n");
        return this;
    }

    /// <summary>Writes a line segment with the given stroke colour and width (and optional dash pattern).</summary>
    public SvgWriter Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null)
    {
        CheckOpen();
        _text.Append("<line x1=\"").Append(Number(x1)).Append("\" y1=\"").Append(Number(y1)).Append("\" x2=\"")
            .Append(Number(x2)).Append("\" y2=\"").Append(Number(y2)).Append("\" stroke=\"");
        AppendEscaped(stroke, attribute: true);
        _text.Append("\" stroke-width=\"").Append(Number(strokeWidth, 2)).Append('"');
        if (dash is not null)
        {
            _text.Append(" stroke-dasharray=\"");
            AppendEscaped(dash, attribute: true);
            _text.Append('"');
        }
        _text.Append("/>\n");
        return this;
    }

    /// <summary>Writes an open polyline through the points (xs[i], ys[i]).</summary>
    public SvgWriter Polyline(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, params ReadOnlySpan<(string Name, string Value)> attributes)
    {
        if (xs.Length != ys.Length) throw new ArgumentException($"a polyline needs as many x as y values, got {xs.Length} and {ys.Length}");
        CheckOpen();
        _text.Append("<polyline points=\"");
        for (int i = 0; i < xs.Length; i++)
        {
            if (i > 0) _text.Append(' ');
            _text.Append(Number(xs[i])).Append(',').Append(Number(ys[i]));
        }
        _text.Append('"');
        AppendAttributes(attributes);
        _text.Append("/>\n");
        return this;
    }

    /// <summary>Closes every open element and returns the document. The writer takes no more content afterwards.</summary>
    public override string ToString()
    {
        if (!_finished)
        {
            while (_open.Count > 0) _text.Append("</").Append(_open.Pop()).Append(">\n");
            _finished = true;
        }
        return _text.ToString();
    }

    /// <summary>A number as SVG wants it: invariant culture, at most <paramref name="decimals"/> decimals, no trailing
    /// zeros, no "-0". Throws ArgumentException for NaN or infinity (SVG has no way to say them).</summary>
    public static string Number(double value, int decimals = 1)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"SVG numbers must be finite, got {value}");
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 15);
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0) return "0";
        return rounded.ToString(decimals == 0 ? "0" : "0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    /// <summary><paramref name="text"/> escaped for XML content or a double-quoted attribute: &amp; &lt; &gt; &quot;
    /// &apos; as entities; control characters XML 1.0 forbids and unpaired surrogates become U+FFFD.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 8);
        AppendEscaped(sb, text, attribute: true);
        return sb.ToString();
    }

    private void StartTag(string name, ReadOnlySpan<(string Name, string Value)> attributes)
    {
        CheckName(name);
        CheckOpen();
        _text.Append('<').Append(name);
        AppendAttributes(attributes);
    }

    private void AppendAttributes(ReadOnlySpan<(string Name, string Value)> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            CheckName(name);
            ArgumentNullException.ThrowIfNull(value, name);
            _text.Append(' ').Append(name).Append("=\"");
            AppendEscaped(value, attribute: true);
            _text.Append('"');
        }
    }

    private void CheckOpen()
    {
        if (_finished) throw new InvalidOperationException("the SVG document is finished");
    }

    // Element and attribute names: ASCII letters first, then letters, digits, '-', '_', ':' or '.'.
    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        bool ok = char.IsAsciiLetter(name[0]);
        for (int i = 1; ok && i < name.Length; i++)
            ok = char.IsAsciiLetterOrDigit(name[i]) || name[i] is '-' or '_' or ':' or '.';
        if (!ok) throw new ArgumentException($"'{name}' is not an XML name Elbo writes");
    }

    private void AppendEscaped(string text, bool attribute) => AppendEscaped(_text, text, attribute);

    private static void AppendEscaped(StringBuilder sb, string text, bool attribute)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"' when attribute: sb.Append("&quot;"); break;
                case '\'' when attribute: sb.Append("&apos;"); break;
                case '\t' or '\n' or '\r': sb.Append(attribute ? ' ' : c); break;
                default:
                    if (c < 0x20 || c is '\uFFFE' or '\uFFFF') sb.Append('\uFFFD');
                    else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c)) sb.Append('\uFFFD');
                    else sb.Append(c);
                    break;
            }
        }
    }
}
