using System.Globalization;
using Elbo.Plotting;
using static Elbo.Tests.Plotting.SvgTestHelpers;

namespace Elbo.Tests.Plotting;

public class SvgWriterTests
{
    [Fact]
    public void TheRootHasWidthHeightAndAMatchingViewBox()
    {
        var doc = Parse(new SvgWriter(640, 480.5).ToString());
        var root = doc.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("640", (string?)root.Attribute("width"));
        Assert.Equal("480.5", (string?)root.Attribute("height"));
        Assert.Equal("0 0 640 480.5", (string?)root.Attribute("viewBox"));
    }

    [Fact]
    public void TextAndAttributesAreEscapedSoTheDocumentParsesAndKeepsTheirContent()
    {
        const string nasty = "a<b & c>d \"quoted\" 'single' </text><script>";
        var svg = new SvgWriter(100, 100);
        svg.Open("g", ("class", nasty));
        svg.Text(1, 2, nasty);
        svg.Close();
        var doc = Parse(svg.ToString());
        Assert.Equal(nasty, doc.Descendants(Svg + "text").Single().Value);
        Assert.Equal(nasty, (string?)doc.Descendants(Svg + "g").Single().Attribute("class"));
        Assert.Empty(doc.Descendants(Svg + "script"));
    }

    [Fact]
    public void CharactersXmlCannotHoldAreReplaced()
    {
        var svg = new SvgWriter(100, 100);
        svg.Text(0, 0, "bell\u0007 lone\uD800 pair\uD83D\uDE00");
        var text = Parse(svg.ToString()).Descendants(Svg + "text").Single().Value;
        Assert.Equal("bell\uFFFD lone\uFFFD pair\uD83D\uDE00", text);
    }

    [Fact]
    public void NumbersUseTheInvariantCultureWithFewDigitsAndNoNegativeZero()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            // A culture with a decimal comma and an odd minus sign (named cultures are missing in invariant mode).
            var odd = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            odd.NumberFormat.NumberDecimalSeparator = ",";
            odd.NumberFormat.NumberGroupSeparator = ".";
            odd.NumberFormat.NegativeSign = "~";
            CultureInfo.CurrentCulture = odd;
            Assert.Equal("1234.6", SvgWriter.Number(1234.5678));
            Assert.Equal("0.12", SvgWriter.Number(0.1234, 2));
            Assert.Equal("3", SvgWriter.Number(3.0001));
            Assert.Equal("0", SvgWriter.Number(-0.01));
            Assert.Equal("-2.5", SvgWriter.Number(-2.5));
            Assert.Equal("1000000", SvgWriter.Number(1e6));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void NonFiniteNumbersAndBadNamesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => SvgWriter.Number(double.NaN));
        Assert.Throws<ArgumentException>(() => SvgWriter.Number(double.PositiveInfinity));
        var svg = new SvgWriter(10, 10);
        Assert.Throws<ArgumentException>(() => svg.Element("bad name"));
        Assert.Throws<ArgumentException>(() => svg.Element("rect", ("x\"=1", "2")));
        Assert.Throws<ArgumentException>(() => new SvgWriter(0, 10));
    }

    [Fact]
    public void ToStringClosesOpenElements()
    {
        var svg = new SvgWriter(10, 10);
        svg.Open("g").Open("g").Circle(1, 2, 3);
        var doc = Parse(svg.ToString());
        Assert.Equal(2, doc.Descendants(Svg + "g").Count());
        Assert.Single(doc.Descendants(Svg + "circle"));
    }
}
