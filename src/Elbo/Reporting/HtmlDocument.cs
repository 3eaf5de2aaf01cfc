using System.Globalization;
using System.Text;

namespace Elbo.Reporting;

/// <summary>Builds one self-contained HTML page: headings, paragraphs, sections, tables and figures, escaped as they
/// are added, under a small inline stylesheet. The page refers to nothing outside itself (a Content-Security-Policy
/// forbids it: images must be <c>data:</c> URLs, scripts cannot run) and needs no JavaScript.</summary>
public sealed class HtmlDocument
{
    /// <summary>The default stylesheet: a readable column in the system font, figures side by side where they fit.</summary>
    public const string DefaultStylesheet = """
        :root { color-scheme: light; }
        body { margin: 0; background: #fff; color: #1d1d1f; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 1.7em; margin: 0.2em 0 0.1em; }
        h2 { font-size: 1.3em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #ddd; }
        h3 { font-size: 1.08em; margin: 1.2em 0 0.4em; }
        p { margin: 0.5em 0; }
        .lead { color: #555; margin-top: 0; }
        .note { background: #f6f6f4; border-left: 3px solid #bbb; padding: 8px 12px; color: #444; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.92em; background: #f2f2f2; padding: 0 3px; border-radius: 3px; }
        table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.93em; }
        caption { text-align: left; color: #555; padding-bottom: 4px; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
        th { background: #f6f6f4; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .figures, .side-by-side { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
        .side-by-side > table { margin-top: 0; }
        figure { margin: 0.6em 0; max-width: 100%; }
        figure img, figure svg { display: block; max-width: 100%; height: auto; }
        figure img { image-rendering: pixelated; border: 1px solid #e4e4e4; }
        figcaption { color: #555; font-size: 0.9em; margin-top: 4px; max-width: 520px; }
        ul { margin: 0.4em 0; padding-left: 1.4em; }
        """;

    private readonly StringBuilder _body = new();
    private readonly string _title;
    private readonly string _stylesheet;
    private int _depth;

    /// <summary>A page titled <paramref name="title"/> (the window title and the page's first heading) styled by
    /// <paramref name="stylesheet"/> (<see cref="DefaultStylesheet"/> when null).</summary>
    public HtmlDocument(string title, string? stylesheet = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        _title = title;
        _stylesheet = stylesheet ?? DefaultStylesheet;
        _body.Append("<h1>").Append(Html.Escape(title)).Append("</h1>\n");
    }

    /// <summary>A paragraph of plain text.</summary>
    public HtmlDocument Paragraph(string text) => Paragraph(Html.Text(text));

    /// <summary>A paragraph of markup, with an optional class (<c>lead</c>, <c>note</c>).</summary>
    public HtmlDocument Paragraph(HtmlFragment content, string? cssClass = null)
    {
        _body.Append(cssClass == null ? "<p>" : $"<p class=\"{Html.EscapeAttribute(cssClass)}\">").Append(content.Markup).Append("</p>\n");
        return this;
    }

    /// <summary>A bulleted list.</summary>
    public HtmlDocument List(IEnumerable<HtmlFragment> items)
    {
        _body.Append("<ul>\n");
        foreach (var item in items) _body.Append("<li>").Append(item.Markup).Append("</li>\n");
        _body.Append("</ul>\n");
        return this;
    }

    /// <summary>A <c>&lt;section&gt;</c> headed by <paramref name="heading"/> (h2 at the top level, h3 inside another
    /// section) with <paramref name="id"/> as its anchor, filled by <paramref name="body"/>.</summary>
    public HtmlDocument Section(string heading, string id, Action<HtmlDocument> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        int level = Math.Min(2 + _depth, 6);
        _body.Append($"<section id=\"{Html.EscapeAttribute(id)}\">\n<h{level}>").Append(Html.Escape(heading)).Append($"</h{level}>\n");
        _depth++;
        try
        {
            body(this);
        }
        finally
        {
            _depth--;
        }
        _body.Append("</section>\n");
        return this;
    }

    /// <summary>What <paramref name="body"/> adds (tables, figures), side by side where the page is wide enough.</summary>
    public HtmlDocument SideBySide(Action<HtmlDocument> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _body.Append("<div class=\"side-by-side\">\n");
        body(this);
        _body.Append("</div>\n");
        return this;
    }

    /// <summary>A table with a header row; columns whose cells are all numbers (or empty) are right-aligned.</summary>
    public HtmlDocument Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, string? caption = null)
    {
        var cells = new List<IReadOnlyList<HtmlFragment>>(rows.Count);
        foreach (var row in rows)
        {
            var r = new HtmlFragment[row.Count];
            for (int i = 0; i < row.Count; i++) r[i] = Html.Text(row[i]);
            cells.Add(r);
        }
        var numeric = new bool[header.Count];
        for (int c = 0; c < header.Count; c++)
        {
            bool all = rows.Count > 0;
            foreach (var row in rows)
                if (c < row.Count && row[c].Length > 0 && !IsNumber(row[c])) { all = false; break; }
            numeric[c] = all;
        }
        return Table(header, cells, caption, numeric);
    }

    /// <summary>A table of markup cells; <paramref name="numeric"/> marks the right-aligned columns.</summary>
    public HtmlDocument Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<HtmlFragment>> rows, string? caption, IReadOnlyList<bool>? numeric = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        string Cls(int c) => numeric != null && c < numeric.Count && numeric[c] ? " class=\"num\"" : "";
        _body.Append("<table>\n");
        if (caption != null) _body.Append("<caption>").Append(Html.Escape(caption)).Append("</caption>\n");
        _body.Append("<thead><tr>");
        for (int c = 0; c < header.Count; c++) _body.Append($"<th scope=\"col\"{Cls(c)}>").Append(Html.Escape(header[c])).Append("</th>");
        _body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            for (int c = 0; c < row.Count; c++) _body.Append($"<td{Cls(c)}>").Append(row[c].Markup).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>One figure: <paramref name="content"/> (an image or a drawing) above its caption.</summary>
    public HtmlDocument Figure(HtmlFragment content, string caption) => Figures([(content, caption)]);

    /// <summary>Figures side by side where the page is wide enough, each above its caption.</summary>
    public HtmlDocument Figures(IReadOnlyList<(HtmlFragment Content, string Caption)> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (figures.Count == 0) return this;
        _body.Append("<div class=\"figures\">\n");
        foreach (var (content, caption) in figures)
            _body.Append("<figure>").Append(content.Markup).Append("<figcaption>").Append(Html.Escape(caption)).Append("</figcaption></figure>\n");
        _body.Append("</div>\n");
        return this;
    }

    /// <summary>The complete page.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(_body.Length + _stylesheet.Length + 512);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // Nothing may be fetched: styles inline, images as data: URLs, no scripts.
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(Html.Escape(_title)).Append("</title>\n");
        sb.Append("<style>\n").Append(_stylesheet).Append("\n</style>\n</head>\n<body>\n<main>\n");
        sb.Append(_body);
        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static bool IsNumber(string s) =>
        double.TryParse(s.Replace('−', '-').Replace(",", "", StringComparison.Ordinal).TrimEnd('%', ' '), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
