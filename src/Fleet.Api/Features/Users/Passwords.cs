using FluentValidation;

namespace Fleet.Api.Features.Users;

/// <summary>
/// What makes a password acceptable, the same on create, change and reset: at least 12 characters, not a common password
/// (common-passwords.txt, its source named in its header, also with digits or symbols around it), not the username,
/// not one repeated character or a short repeated pattern, not a plain run (123456789012, abcdefghijkl, their reverse),
/// and not what zxcvbn finds easy to guess (<see cref="Guessable"/>: keyboard walks, words with digits, the unit's name).
/// </summary>
public static class Passwords
{
    public const int MinLength = Infrastructure.Auth.MinPasswordLength;
    public const int MaxLength = 256;

    private static readonly Lazy<HashSet<string>> Common = new(() =>
    {
        using var stream = typeof(Passwords).Assembly.GetManifestResourceStream("common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line[0] != '#') set.Add(line.Trim());
        return set;
    });

    public static int CommonCount => Common.Value.Count;

    /// <summary>Why the password is refused, or null when it is acceptable; <paramref name="names"/>: the unit's name and code.</summary>
    public static CodedText? Weakness(string? password, string? username, params IEnumerable<string?> names)
    {
        if (string.IsNullOrEmpty(password)) return new("Users.PasswordRequired");
        if (password.Length < MinLength) return new("Users.PasswordShort", ("min", MinLength));
        if (password.Length > MaxLength) return new("Users.PasswordLong", ("max", MaxLength));
        if (username?.Trim() is { Length: > 0 } name && (password.Equals(name, StringComparison.OrdinalIgnoreCase) ||
            (name.Length >= 4 && password.Contains(name, StringComparison.OrdinalIgnoreCase))))
            return new("Users.PasswordHasName");
        if (IsRepeated(password)) return new("Users.PasswordRepeated");
        if (IsRun(password)) return new("Users.PasswordRun");
        var core = password.Trim(Decoration);
        if (Common.Value.Contains(password) || (core.Length >= 4 && Common.Value.Contains(core)))
            return new("Users.PasswordCommon");
        return Guessable.Weakness(password, names.Append(username));
    }

    private static readonly char[] Decoration = "0123456789!@#$%^&*()-_=+.,;:?~`'\" ".ToCharArray();

    private static bool IsRepeated(string p)
    {
        for (var unit = 1; unit <= 4; unit++)
        {
            if (p.Length % unit != 0 && unit > 1) continue;
            var repeated = true;
            for (var i = unit; i < p.Length && repeated; i++) repeated = char.ToLowerInvariant(p[i]) == char.ToLowerInvariant(p[i % unit]);
            if (repeated) return true;
        }
        return false;
    }

    /// <summary>Each character one after (or one before) the last: digits wrap (…8901…), letters ignore case.</summary>
    private static bool IsRun(string p)
    {
        foreach (var step in new[] { 1, -1 })
        {
            var run = true;
            for (var i = 1; i < p.Length && run; i++) run = Next(char.ToLowerInvariant(p[i - 1]), step) == char.ToLowerInvariant(p[i]);
            if (run) return true;
        }
        return false;
    }

    private static char Next(char c, int step) => c switch
    {
        >= '0' and <= '9' => (char)('0' + ((c - '0' + step + 10) % 10)),
        _ => (char)(c + step),
    };

    /// <summary>The password rule for a validator; <paramref name="username"/> gives the account's username when known.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> StrongPassword<T>(this IRuleBuilder<T, string?> rule, Func<T, string?> username) =>
        rule.Custom((password, context) =>
        {
            if (Weakness(password, username(context.InstanceToValidate)) is { } weak) context.AddFailure(weak.Failure(context.PropertyPath));
        });
}
