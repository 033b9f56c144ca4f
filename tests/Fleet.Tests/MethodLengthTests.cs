using System.Text;
using System.Text.RegularExpressions;

namespace Fleet.Tests;

/// <summary>
/// No method in src/Fleet.Api or src/Fleet.Data runs over 60 lines (issue 25: a rule reads as a rule). Counted by
/// braces over the source: a block directly in a type's body whose header is a method's, constructor's or accessor's
/// runs from its header's first line to its closing brace; lambdas and local functions count in their method.
/// </summary>
public partial class MethodLengthTests
{
    private const int MaxLines = 60;

    [Fact]
    public void No_method_in_src_runs_over_60_lines()
    {
        var root = RepoRoot();
        var files = new[] { "src/Fleet.Api", "src/Fleet.Data" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/") && !f.EndsWith(".g.cs", StringComparison.Ordinal)
                && !f.EndsWith(".Designer.cs", StringComparison.Ordinal) && !f.Contains("/Migrations/"))
            .ToList();
        Assert.True(files.Count > 100, $"Only {files.Count} source files found under {root}: the scan does not reach src.");

        var methods = files.SelectMany(f => Methods(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(root, f), m.Name, m.Lines))).ToList();
        Assert.True(methods.Count > 500, $"Only {methods.Count} methods found: the counter does not see them.");
        var tooLong = methods.Where(m => m.Lines > MaxLines).OrderByDescending(m => m.Lines).Select(m => $"{m.File}: {m.Name} {m.Lines} lines").ToList();
        Assert.True(tooLong.Count == 0, "Methods over 60 lines:\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void The_counter_sees_a_long_method_and_ignores_braces_in_text()
    {
        var body = string.Join("\n", Enumerable.Range(0, 70).Select(i => $"        var s{i} = \"}}\" + '{{' + $\"{{i}}\"; // }}"));
        var source = $$"""
            namespace N;
            public class C
            {
                private static readonly int[] Data = new int[] { 1, 2 };
                public int P { get { return 1; } }
                public void Long(int x)
                {
            {{body}}
                    /* } */
                    if (x > 0) { x++; }
                }
                public void Short() { }
                private sealed record R(int A)
                {
                    public int Twice() => A * 2;
                }
            }
            """;

        var methods = Methods(source).ToList();

        Assert.Contains(methods, m => m.Name == "Long" && m.Lines == 75);
        Assert.Contains(methods, m => m.Name == "Short" && m.Lines == 1);
        Assert.DoesNotContain(methods, m => m.Name == "Data");
    }

    /// <summary>The block-bodied members of a source file (methods, constructors, accessors), each with its length in lines.</summary>
    private static IEnumerable<(string Name, int Lines)> Methods(string source)
    {
        var code = Blank(source);
        // What each open brace opened: a type or namespace body, a member, or a block inside a member.
        var stack = new Stack<(char Kind, string Name, int Line)>();
        var line = 1;
        var headerStart = 0;
        var headerLine = 1;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '\n') line++;
            if (c == '{')
            {
                var inType = stack.Count == 0 || stack.Peek().Kind == 'T';
                if (!inType)
                {
                    stack.Push(('B', "", line));
                    continue;
                }
                var (header, firstLine) = WithoutAttributes(code[headerStart..i], headerLine);
                if (TypeHeader().IsMatch(header) || header.TrimStart().StartsWith("namespace", StringComparison.Ordinal))
                    stack.Push(('T', "", firstLine));
                else if (MemberName(header) is { } name)
                    stack.Push(('M', name, firstLine));
                else
                    stack.Push(('B', "", firstLine));
                headerStart = i + 1;
                headerLine = line;
            }
            else if (c == '}')
            {
                if (stack.Count == 0) continue;
                var (kind, name, start) = stack.Pop();
                if (kind == 'M') yield return (name, line - start + 1);
                if (stack.Count == 0 || stack.Peek().Kind == 'T')
                {
                    headerStart = i + 1;
                    headerLine = line;
                }
            }
            else if (c == ';' && (stack.Count == 0 || stack.Peek().Kind == 'T'))
            {
                headerStart = i + 1;
                headerLine = line;
            }
        }
    }

    /// <summary>A header without its attributes, and the line it starts on.</summary>
    private static (string Header, int Line) WithoutAttributes(string header, int line)
    {
        var i = 0;
        while (true)
        {
            while (i < header.Length && char.IsWhiteSpace(header[i])) line += header[i++] == '\n' ? 1 : 0;
            if (i >= header.Length || header[i] != '[') return (header[i..], line);
            for (var depth = 0; i < header.Length; i++)
            {
                if (header[i] == '\n') line++;
                if (header[i] == '[') depth++;
                if (header[i] == ']' && --depth == 0) { i++; break; }
            }
        }
    }

    /// <summary>
    /// The name of the member a header declares, when it is one whose block holds statements: a method or constructor
    /// (a name and a parameter list, with no '=' outside it: not a field's initializer) or a property (a name alone).
    /// </summary>
    private static string? MemberName(string header)
    {
        var depth = 0;
        var top = new StringBuilder();
        foreach (var c in header)
        {
            if (c == '(') depth++;
            if (depth == 0) top.Append(c);
            if (c == ')') depth--;
        }
        var outside = top.ToString();
        if (outside.Contains('=')) return null;
        var match = MemberHeader().Match(header.Trim());
        return match.Success && !Keywords.Contains(match.Groups["name"].Value) ? match.Groups["name"].Value : null;
    }

    private static readonly HashSet<string> Keywords = ["if", "for", "foreach", "while", "switch", "using", "lock", "catch", "fixed", "else", "try", "finally", "do", "checked", "unchecked", "unsafe"];

    [GeneratedRegex(@"(^|\s)(class|struct|interface|record|enum)\s")]
    private static partial Regex TypeHeader();

    [GeneratedRegex(@"(?<name>[\w.]+)\s*(<[^()]*>)?\s*(\((?s:.*)\))?(\s*:\s*(base|this)\s*\((?s:.*)\))?(\s*where\s(?s:.*))?$")]
    private static partial Regex MemberHeader();

    /// <summary>The source with comments, strings and character literals blanked (newlines kept), so braces are code.</summary>
    private static string Blank(string s)
    {
        var o = new StringBuilder(s.Length);
        var i = 0;
        // Interpolated strings whose holes are open: each with its quote count (1 for "...", n for raw), verbatim or not, and the depth of braces in the hole.
        var holes = new Stack<(int Quotes, bool Verbatim, int Dollars, int Depth)>();
        while (i < s.Length)
        {
            if (holes.Count > 0)
            {
                var h = holes.Peek();
                if (s[i] == '{') { holes.Pop(); holes.Push(h with { Depth = h.Depth + 1 }); o.Append(' '); i++; continue; }
                if (s[i] == '}')
                {
                    if (h.Depth > 0) { holes.Pop(); holes.Push(h with { Depth = h.Depth - 1 }); o.Append(' '); i++; continue; }
                    // The hole closes: back into the string's text.
                    holes.Pop();
                    i = SkipString(s, i + 1, h.Quotes, h.Verbatim, h.Dollars, o, holes);
                    continue;
                }
            }
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '/')
            {
                while (i < s.Length && s[i] != '\n') { o.Append(' '); i++; }
                continue;
            }
            if (s[i] == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                for (; i < end; i++) o.Append(s[i] == '\n' ? '\n' : ' ');
                continue;
            }
            if (s[i] == '\'')
            {
                var j = i + 1;
                while (j < s.Length && s[j] != '\'') j += s[j] == '\\' ? 2 : 1;
                for (; i <= j && i < s.Length; i++) o.Append(' ');
                continue;
            }
            // A string's prefix: $ (one or more), @, in either order.
            var k = i;
            var dollars = 0;
            var verbatim = false;
            while (k < s.Length && (s[k] == '$' || s[k] == '@'))
            {
                if (s[k] == '$') dollars++; else verbatim = true;
                k++;
            }
            if (k < s.Length && s[k] == '"')
            {
                var quotes = 0;
                while (k + quotes < s.Length && s[k + quotes] == '"') quotes++;
                // "" is an empty string, """ or more opens a raw string.
                if (quotes == 2 && !verbatim) { o.Append(' ', k + 2 - i); i = k + 2; continue; }
                var q = quotes >= 3 ? quotes : 1;
                o.Append(' ', k + q - i);
                i = SkipString(s, k + q, q, verbatim, dollars, o, holes);
                continue;
            }
            o.Append(s[i]);
            i++;
        }
        return o.ToString();
    }

    /// <summary>Blanks a string's text from <paramref name="i"/> to its end or to an interpolation hole's opening brace (pushed on <paramref name="holes"/>).</summary>
    private static int SkipString(string s, int i, int quotes, bool verbatim, int dollars, StringBuilder o,
        Stack<(int Quotes, bool Verbatim, int Dollars, int Depth)> holes)
    {
        var raw = quotes >= 3;
        var openBraces = Math.Max(1, dollars);
        while (i < s.Length)
        {
            var c = s[i];
            if (raw && c == '"' && i + quotes <= s.Length && s.Substring(i, quotes) == new string('"', quotes))
            {
                o.Append(' ', quotes);
                return i + quotes;
            }
            if (!raw && c == '"')
            {
                if (verbatim && i + 1 < s.Length && s[i + 1] == '"') { o.Append("  "); i += 2; continue; }
                o.Append(' ');
                return i + 1;
            }
            if (!raw && !verbatim && c == '\\') { o.Append(s[i + 1] == '\n' ? " \n" : "  "); i += 2; continue; }
            if (dollars > 0 && c == '{')
            {
                var run = 0;
                while (i + run < s.Length && s[i + run] == '{') run++;
                if (!raw && run >= 2) { o.Append(' ', 2); i += 2; continue; }
                if (run >= openBraces)
                {
                    // Literal braces before the hole's own, then the hole.
                    o.Append(' ', run);
                    holes.Push((quotes, verbatim, dollars, 0));
                    return i + run;
                }
                o.Append(' ', run);
                i += run;
                continue;
            }
            if (dollars > 0 && c == '}' && !raw && i + 1 < s.Length && s[i + 1] == '}') { o.Append("  "); i += 2; continue; }
            o.Append(c == '\n' ? '\n' : ' ');
            i++;
        }
        return i;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fleet.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Fleet.sln not found above " + AppContext.BaseDirectory);
    }
}
