using Zxcvbn.Matcher;

namespace Fleet.Api.Features.Users;

/// <summary>
/// Passwords people actually pick, measured by zxcvbn (Dropbox's estimator: dictionaries, keyboard walks, dates, l33t):
/// a password it finds crackable in under about 12 days of guessing (score below 3) is refused. It is told the words
/// an attacker of this office would try first: Fleet's own name and words, the unit's name and code, and common pinyin
/// (pinyin-words.txt), which its English dictionaries lack.
/// </summary>
public static class Guessable
{
    public const string KeyboardRun = "Users.PasswordKeyboard";
    public const string KnownName = "Users.PasswordKnownName";
    public const string CommonWords = "Users.PasswordCommonWords";

    /// <summary>Fleet's name and what it is about, as people would type them.</summary>
    private static readonly string[] ProductWords = ["fleet", "gongche", "gongwuche", "gongwuyongche", "公车", "公务用车"];

    // Long passwords past this are judged by their start: the estimate's time grows with the square of the length.
    private const int Judged = 100;

    private static readonly Lazy<string[]> Pinyin = new(() =>
    {
        using var stream = typeof(Guessable).Assembly.GetManifestResourceStream("pinyin-words.txt")!;
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line[0] != '#') words.Add(line.Trim());
        return [.. words];
    });

    // One estimator, built once (its dictionaries take a while to load); it is not documented as thread-safe.
    private static readonly Zxcvbn.Zxcvbn Estimator = new(Zxcvbn.Translation.English);
    private static readonly Lock Gate = new();

    /// <summary>Why zxcvbn finds the password easy to guess, or null; <paramref name="names"/>: the unit's name and code.</summary>
    public static CodedText? Weakness(string password, IEnumerable<string?> names)
    {
        var known = ProductWords.Concat(names.Select(n => n?.Trim().ToLowerInvariant()).Where(n => n is { Length: >= 3 }).Select(n => n!))
            .Distinct().ToList();
        var judged = password.Length <= Judged ? password : password[..Judged];
        Zxcvbn.Result result;
        lock (Gate) result = Estimator.EvaluatePassword(judged, [.. known, .. Pinyin.Value]);
        if (result.Score >= 3) return null;
        if (result.MatchSequence.OfType<DictionaryMatch>().Any(m => known.Contains(m.MatchedWord))) return new(KnownName);
        // A digit run is a row on the keypad too; "keyboard" is said of letter walks (qwertyuiop, 1qaz2wsx).
        var keyboard = new SpatialMatcher().MatchPassword(judged).Where(m => !m.Token.All(char.IsAsciiDigit))
            .Select(m => m.Token.Length).DefaultIfEmpty(0).Max();
        return new(keyboard * 2 >= judged.Length ? KeyboardRun : CommonWords);
    }
}
