namespace Fleet.Api.Infrastructure;

/// <summary>
/// What a text a person typed may hold: no control characters (a note may keep tabs and line breaks), no DEL, no
/// U+FFFE/U+FFFF and no bidirectional overrides or isolates, which make a record read differently from what it holds.
/// One rule for request bodies, forms and imported cells.
/// </summary>
public static class PlainText
{
    /// <summary>Null when the text may be stored; else why not (the field is named by the caller).</summary>
    public static CodedText? Problem(string? text, bool multiLine = false)
    {
        if (text is null) return null;
        foreach (var c in text)
        {
            if (c < 0x20)
            {
                if (multiLine && c is '\t' or '\n' or '\r') continue;
                return c is '\t' or '\n' or '\r'
                    ? new CodedText("Text.LineBreaks")
                    : Control("Text.Control", c);
            }
            if (c == 0x7F || c is '\uFFFE' or '\uFFFF') return Control("Text.Control", c);
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
                return Control("Text.Bidi", c);
        }
        return null;
    }

    private static CodedText Control(string code, char c) => new(code, ("char", ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A text nobody typed as a field (an uploaded file's name): what may not be stored becomes '_'.</summary>
    public static string Clean(string text) =>
        IsPlain(text) ? text : string.Concat(text.Select(c => IsPlain(c.ToString()) ? c : '_'));

    public static bool IsPlain(string? text, bool multiLine = false) => Problem(text, multiLine) is null;

    /// <summary>
    /// A code as a person meant it (NFKC): full-width letters, digits and spaces, as a phone keyboard's Chinese mode
    /// types them (鲁Ａ１２３４６, Ｄ０１), become their ordinary forms; Chinese characters are left as they are.
    /// Plates, VINs, fuel cards and unit codes go through it before they are checked, stored or searched.
    /// </summary>
    public static string Halfwidth(string? text) =>
        text is null ? "" : text.IsNormalized(System.Text.NormalizationForm.FormKC) ? text : text.Normalize(System.Text.NormalizationForm.FormKC);
}
