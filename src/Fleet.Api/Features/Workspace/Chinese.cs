using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation.Results;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// The Chinese of a refusal, by its code (Resources/Refusals.zh-Hans.resx), its arguments shown as people read them:
/// a contract enum by its Chinese label, a size in MB, a field or import column by its label, a list of roles joined by
/// 或, the names a workbook column takes each with its label. Nothing here reads an English sentence, except
/// <see cref="Recorded"/>, which knows the few reasons the system itself writes into a record.
/// </summary>
public static partial class Chinese
{
    public static string Of(string code, IReadOnlyDictionary<string, object?> args) =>
        Texts.Fill(Texts.Template(code, Texts.ChineseCulture), args, Show);

    public static string Of(CodedText text) => Of(text.Code, text.Args);

    public static string Of(Refusal refusal) => Of(refusal.Code, refusal.Args);

    public static string Of(RowError error) => Of(error.Code, error.Args);

    /// <summary>A validator's failure: Fleet's rules by their code, FluentValidation's own by the Field.* entries.</summary>
    public static string Of(ValidationFailure failure) => Of(ValidationTexts.Of(failure));

    /// <summary>The reasons the system writes into a record (a violation's close reason), by code; their English is stored.</summary>
    private static readonly string[] SystemReasons = ["Recoveries.SettledReason", "SpotChecks.CorrectedReason", "SealUp.ExemptedReason"];

    // Each system reason's English with its placeholders as groups: rows written before codes existed read the same way.
    private static readonly (Regex English, string Code)[] Reasons = SystemReasons
        .Select(code => (new Regex("^" + Regex.Escape(Texts.Template(code, Texts.EnglishCulture)).Replace(@"\{", "{")
            .Replace("{id}", "(?<id>[0-9a-fA-F-]{36})").Replace("{plate}", "(?<plate>.+)") + "$", RegexOptions.CultureInvariant), code))
        .ToArray();

    /// <summary>What a system reason names when the record it refers to is not described: never its id.</summary>
    private static readonly Dictionary<string, string> Unnamed = new()
    {
        ["Recoveries.SettledReason"] = "追缴案件",
        ["SpotChecks.CorrectedReason"] = "见更正记录",
        ["SealUp.ExemptedReason"] = "见豁免申请",
    };

    /// <summary>
    /// A text stored in a record: one of the system's own reasons (<see cref="SystemReasons"/>) in Chinese, naming the
    /// record it refers to as <paramref name="describe"/> says (the campaign of a recovery case, the time of a correction)
    /// rather than by its id; any other text, as the user typed it.
    /// </summary>
    public static string Recorded(string text, Func<Guid, string?>? describe = null)
    {
        if (text.Length == 0 || !char.IsAsciiLetter(text[0])) return text;
        foreach (var (english, code) in Reasons)
        {
            var match = english.Match(text);
            if (!match.Success) continue;
            var args = match.Groups.Cast<Group>().Skip(1).ToDictionary(g => g.Name, g => (object?)g.Value);
            if (args.TryGetValue("id", out var raw))
                args["id"] = Guid.TryParse(raw as string, out var id) && describe?.Invoke(id) is { } name ? name : Unnamed[code];
            return Of(code, args);
        }
        return text;
    }

    private static string Show(object? value) => value switch
    {
        Bytes b => Size(b.Count),
        AnyOf any => string.Join("或", any.Values.Select(Label)),
        NamesOf names => string.Join("、", Enum.GetNames(names.Enum).Select(n => Choice(names.Enum, n))),
        FieldList list => string.Join("、", list.Fields.Select(Column)),
        FieldName field => Fields.Label(field.Field),
        CodedText inner => Of(inner),
        Enum e => Label(e),
        _ => Texts.EnglishOf(value),
    };

    private static string Label(Enum value) => Labels.Has(value) ? Labels.Of(value) : value.ToString();

    /// <summary>A choice as a person types it in a workbook or picks it on a page: its label (一般公务用车), which is accepted too.</summary>
    private static string Choice(Type type, string name) =>
        Enum.Parse(type, name) is Enum value && Labels.Has(value) ? Labels.Of(value) : name;

    /// <summary>An import column as the header may name it in Chinese (each field label is a header the vehicle import reads).</summary>
    private static string Column(string field) => Fields.Label(field);

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{(bytes / (1024m * 1024m)).ToString("0.#", CultureInfo.InvariantCulture)} MB"
        : bytes >= 1024 ? $"{(bytes / 1024m).ToString("0.#", CultureInfo.InvariantCulture)} KB" : $"{bytes} 字节";
}
