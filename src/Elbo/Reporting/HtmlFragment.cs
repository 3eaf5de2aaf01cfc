namespace Elbo.Reporting;

/// <summary>A piece of HTML markup that is safe to insert as it is: built by <see cref="Html"/> from escaped text,
/// images and sanitized SVG, or by joining other fragments. Plain strings never become markup by accident: every
/// <see cref="HtmlDocument"/> method that takes a <see cref="string"/> escapes it.</summary>
public readonly struct HtmlFragment
{
    private readonly string? _markup;

    private HtmlFragment(string markup) => _markup = markup;

    /// <summary>The markup.</summary>
    public string Markup => _markup ?? "";

    /// <summary>The empty fragment.</summary>
    public static HtmlFragment Empty => default;

    /// <summary>Wraps markup the caller vouches for (used by <see cref="Html"/>; prefer its factories).</summary>
    public static HtmlFragment Trusted(string markup) => new(markup ?? "");

    /// <summary>The two fragments one after the other.</summary>
    public static HtmlFragment operator +(HtmlFragment a, HtmlFragment b) => new(a.Markup + b.Markup);

    /// <summary>The fragment followed by the escaped <paramref name="text"/>.</summary>
    public static HtmlFragment operator +(HtmlFragment a, string text) => new(a.Markup + Html.Escape(text));

    /// <inheritdoc/>
    public override string ToString() => Markup;
}
