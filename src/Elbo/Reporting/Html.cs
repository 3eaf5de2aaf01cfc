using System.Globalization;
using System.Text;

namespace Elbo.Reporting;

/// <summary>Escaping and the leaf elements of a report: text, code, inline PNG images and inline SVG drawings.</summary>
public static class Html
{
    /// <summary><paramref name="text"/> with <c>&amp; &lt; &gt; " '</c> replaced by character references, safe both as
    /// element content and inside a quoted attribute value.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }
        return sb.ToString();
    }

    /// <summary><paramref name="value"/> escaped for a double-quoted attribute value (the same rules as
    /// <see cref="Escape"/>; line breaks are kept, as HTML allows them in attributes).</summary>
    public static string EscapeAttribute(string? value) => Escape(value);

    /// <summary>Escaped text as a fragment.</summary>
    public static HtmlFragment Text(string? text) => HtmlFragment.Trusted(Escape(text));

    /// <summary>Text in a <c>&lt;code&gt;</c> element (a command, a file name).</summary>
    public static HtmlFragment Code(string text) => HtmlFragment.Trusted($"<code>{Escape(text)}</code>");

    /// <summary>Text in a <c>&lt;strong&gt;</c> element.</summary>
    public static HtmlFragment Strong(string text) => HtmlFragment.Trusted($"<strong>{Escape(text)}</strong>");

    /// <summary>An <c>&lt;img&gt;</c> holding <paramref name="png"/> as a <c>data:image/png;base64</c> URL, with its
    /// alternative text and its width and height in pixels (read from the PNG header, so the page does not move while
    /// it loads). Throws FormatException when the bytes are not a whole PNG image (see
    /// <see cref="PngHeader.Validate"/>: browsers draw a damaged PNG without complaint).</summary>
    public static HtmlFragment PngImage(ReadOnlySpan<byte> png, string alt)
    {
        var header = PngHeader.Validate(png);
        string w = header.Width.ToString(CultureInfo.InvariantCulture), h = header.Height.ToString(CultureInfo.InvariantCulture);
        return HtmlFragment.Trusted($"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{EscapeAttribute(alt)}\" width=\"{w}\" height=\"{h}\">");
    }

    /// <summary>The SVG document <paramref name="svg"/> as inline markup: no XML declaration or doctype, scripts,
    /// event handlers and references outside the drawing removed, ids prefixed with <paramref name="idPrefix"/> so
    /// several drawings on one page do not clash, and <paramref name="label"/> as its accessible name. Throws
    /// FormatException when the text is not a well-formed SVG document (see <see cref="SvgMarkup"/>).</summary>
    public static HtmlFragment Svg(string svg, string label, string idPrefix) =>
        HtmlFragment.Trusted(SvgMarkup.Inline(svg, label, idPrefix));
}
