using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// The texts of refusal codes: Resources/Refusals.resx (English, what API clients read) and Refusals.zh-Hans.resx
/// (Chinese, what the pages show), keyed by the code ("SealUp.ReleaseTooEarly"), with named placeholders ({plate})
/// filled from the refusal's arguments (docs/decisions/013-refusal-codes.md).
/// </summary>
public static partial class Texts
{
    public static readonly ResourceManager Resources = new("Fleet.Api.Resources.Refusals", typeof(Texts).Assembly);

    public static readonly CultureInfo EnglishCulture = CultureInfo.InvariantCulture;

    public static readonly CultureInfo ChineseCulture = CultureInfo.GetCultureInfo("zh-Hans");

    /// <summary>The code's English with its arguments in place; a code without a text reads as the code itself.</summary>
    public static string English(string code, IReadOnlyDictionary<string, object?> args) =>
        Fill(Template(code, EnglishCulture), args, EnglishOf);

    /// <summary>The code's text in <paramref name="culture"/>, placeholders unfilled; null when the code has none.</summary>
    public static string? TemplateOrNull(string code, CultureInfo culture) => Resources.GetString(code, culture);

    public static string Template(string code, CultureInfo culture) => TemplateOrNull(code, culture) ?? code;

    /// <summary>Each {name} of the template replaced by its argument as <paramref name="render"/> shows it; unknown names stay.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, object?> args, Func<object?, string> render) =>
        args.Count == 0 && !template.Contains('{') ? template
            : Placeholder().Replace(template, m => args.TryGetValue(m.Groups[1].Value, out var value) ? render(value) : m.Value);

    /// <summary>The placeholders a template names, in order.</summary>
    public static IEnumerable<string> Placeholders(string template) => Placeholder().Matches(template).Select(m => m.Groups[1].Value);

    /// <summary>An argument in English: enums by name, numbers and dates invariant, wrappers (<see cref="ITextArg"/>) as they say.</summary>
    public static string EnglishOf(object? value) => value switch
    {
        null => "",
        ITextArg arg => arg.English,
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static IReadOnlyDictionary<string, object?> Args(params (string Name, object? Value)[] args) =>
        args.Length == 0 ? NoArgs : args.ToDictionary(a => a.Name, a => a.Value);

    public static readonly IReadOnlyDictionary<string, object?> NoArgs = new Dictionary<string, object?>();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>A text by code and arguments, before it is a refusal (a plain-text problem, a password's weakness, a refused workbook).</summary>
public sealed record CodedText(string Code, IReadOnlyDictionary<string, object?> Args)
{
    public CodedText(string code, params (string Name, object? Value)[] args) : this(code, Texts.Args(args)) { }

    public string English => Texts.English(Code, Args);

    public override string ToString() => English;
}

/// <summary>An argument shown otherwise in Chinese than in English (the pages render it; the API reads <see cref="English"/>).</summary>
public interface ITextArg
{
    string English { get; }
}

/// <summary>A size in bytes: the number in English, in MB or KB in Chinese.</summary>
public sealed record Bytes(long Count) : ITextArg
{
    public string English => Count.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Enum values as alternatives: "Admin or Inspector"; in Chinese by their labels, joined by 或.</summary>
public sealed record AnyOf(IReadOnlyList<Enum> Values) : ITextArg
{
    public string English => string.Join(" or ", Values);
}

/// <summary>The names an enum takes, "General, LawEnforcement"; in Chinese each with its label.</summary>
public sealed record NamesOf(Type Enum) : ITextArg
{
    public string English => string.Join(", ", System.Enum.GetNames(Enum));
}

/// <summary>Fields (import columns) by their contract names; in Chinese by their labels.</summary>
public sealed record FieldList(IReadOnlyList<string> Fields) : ITextArg
{
    public string English => string.Join(", ", Fields);
}

/// <summary>A field as a validator names it in English ('make'); in Chinese by its label.</summary>
public sealed record FieldName(string Field, string Display) : ITextArg
{
    public string English => Display;
}
