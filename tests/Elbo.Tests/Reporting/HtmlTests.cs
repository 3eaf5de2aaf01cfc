using Elbo.Reporting;

namespace Elbo.Tests.Reporting;

public class HtmlTests
{
    [Fact]
    public void Escape_replaces_the_five_markup_characters()
    {
        Assert.Equal("a &amp; b &lt;i&gt; &quot;q&quot; &#39;s&#39;", Html.Escape("a & b <i> \"q\" 's'"));
        Assert.Equal("plain", Html.Escape("plain"));
        Assert.Equal("", Html.Escape(null));
    }

    [Fact]
    public void Document_escapes_text_in_titles_paragraphs_tables_and_captions()
    {
        var doc = new HtmlDocument("<b>title</b>");
        doc.Paragraph("x < y & z");
        doc.Table(["<h>"], [new[] { "<td>" }], "cap <c>");
        doc.Figure(Html.Text("fig"), "caption \"<x>\"");
        string html = doc.ToString();
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("<h>", html);
        Assert.DoesNotContain("<td><td>", html);
        Assert.DoesNotContain("<x>", html);
        Assert.Contains("&lt;b&gt;title&lt;/b&gt;", html);
        Assert.Contains("x &lt; y &amp; z", html);
        Assert.Contains("caption &quot;&lt;x&gt;&quot;", html);
    }

    [Fact]
    public void Png_image_is_an_inline_data_url_with_alt_text_and_its_size()
    {
        var png = ReportFixtures.Png(20, 10);
        string img = Html.PngImage(png, "a \"grid\"").Markup;
        Assert.StartsWith("<img src=\"data:image/png;base64," + Convert.ToBase64String(png) + "\"", img);
        Assert.Contains("alt=\"a &quot;grid&quot;\"", img);
        Assert.Contains("width=\"20\" height=\"10\"", img);
    }

    public static TheoryData<string, byte[]> DamagedPngs => new()
    {
        { "not a PNG", "GIF89a not a png at all, really"u8.ToArray() },
        { "header only", ReportFixtures.HeaderOnlyPng() },
        { "truncated", ReportFixtures.TruncatedPng() },
        { "bad CRC", ReportFixtures.PngWithBadCrc() },
        { "corrupt data", ReportFixtures.PngWithCorruptData() },
    };

    [Theory]
    [MemberData(nameof(DamagedPngs))]
    public void Damaged_png_is_refused_although_a_browser_would_draw_some_of_them(string damage, byte[] png)
    {
        var e = Assert.Throws<FormatException>(() => Html.PngImage(png, damage));
        Assert.Contains("PNG", e.Message);
    }

    [Fact]
    public void Png_validation_accepts_what_the_png_writer_writes_and_reads_the_size()
    {
        Assert.Equal(new PngHeader(33, 7), PngHeader.Validate(ReportFixtures.Png(33, 7)));
        Assert.Equal(new PngHeader(1, 1), PngHeader.Validate(ReportFixtures.Png(1, 1)));
    }

    [Fact]
    public void Svg_loses_its_xml_declaration_and_doctype_and_gets_a_label()
    {
        string svg = Html.Svg(ReportFixtures.CurvesSvg(), "Training curves", "curves-").Markup;
        Assert.StartsWith("<svg", svg);
        Assert.DoesNotContain("<?xml", svg);
        Assert.DoesNotContain("DOCTYPE", svg);
        Assert.Contains("aria-label=\"Training curves\"", svg);
        Assert.Contains("role=\"img\"", svg);
        Assert.Contains("<polyline", svg);
    }

    [Fact]
    public void Svg_ids_and_their_references_get_the_prefix()
    {
        string svg = Html.Svg(ReportFixtures.CurvesSvg(), "c", "curves-").Markup;
        Assert.Contains("id=\"curves-plot\"", svg);
        Assert.Contains("clip-path=\"url(#curves-plot)\"", svg);
        Assert.DoesNotContain("url(#plot)", svg);
        string use = Html.Svg("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><circle id=\"d\" r=\"1\"/><use xlink:href=\"#d\"/><use href=\"#d\"/></svg>", "u", "p-").Markup;
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(use, "href=\"#p-d\"").Count);
    }

    [Fact]
    public void Svg_loses_scripts_event_handlers_and_references_outside_the_drawing()
    {
        const string svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">
              <script>alert(2)</script>
              <style>@import url(https://example.com/x.css); .a { fill: red }</style>
              <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
              <image href="https://example.com/a.png" width="5" height="5"/>
              <image xlink:href="file:///etc/passwd" width="5" height="5"/>
              <rect width="5" height="5" style="fill: url(http://example.com/p.svg#g)" onclick="x()"/>
              <a href="javascript:alert(3)"><circle r="2"/></a>
              <image href="data:image/png;base64,AAAA" width="1" height="1"/>
            </svg>
            """;
        string markup = Html.Svg(svg, "s", "s-").Markup;
        foreach (var bad in new[] { "onload", "<script", "alert", "@import", "example.com", "foreignObject", "file:", "onclick", "javascript:" })
            Assert.DoesNotContain(bad, markup);
        Assert.Contains("<rect", markup);
        Assert.Contains("<circle", markup);
        Assert.Contains("data:image/png;base64,AAAA", markup);
    }

    [Fact]
    public void Svg_without_its_namespace_is_written_in_the_svg_namespace()
    {
        string markup = Html.Svg("<svg width=\"4\" height=\"4\"><rect width=\"4\" height=\"4\"/></svg>", "n", "n-").Markup;
        Assert.StartsWith("<svg ", markup);
        Assert.Contains(" xmlns=\"http://www.w3.org/2000/svg\"", markup);
        Assert.Contains("<rect ", markup);
        Assert.DoesNotContain("xmlns=\"\"", markup);
    }

    [Theory]
    [InlineData("<svg><rect></svg>")]
    [InlineData("<html><body/></html>")]
    [InlineData("")]
    public void Malformed_or_non_svg_text_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => Html.Svg(text, "x", "x-"));
    }

    [Fact]
    public void Sections_nest_headings_and_tables_right_align_numeric_columns()
    {
        var doc = new HtmlDocument("T");
        doc.Section("Outer", "outer", d => d.Section("Inner", "inner", i => i.Table(["Name", "Value"], [new[] { "a", "1.5" }, new[] { "b", "−2" }])));
        string html = doc.ToString();
        Assert.Contains("<section id=\"outer\">\n<h2>Outer</h2>", html);
        Assert.Contains("<section id=\"inner\">\n<h3>Inner</h3>", html);
        Assert.Contains("<td>a</td><td class=\"num\">1.5</td>", html);
    }

    [Fact]
    public void Page_is_self_contained_with_a_policy_that_forbids_fetching_anything()
    {
        var doc = new HtmlDocument("T");
        doc.Figure(Html.PngImage(ReportFixtures.Png(4, 4), "p"), "c");
        string html = doc.ToString();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<meta charset=\"utf-8\">", html);
        Assert.Contains("Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
    }
}
