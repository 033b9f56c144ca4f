using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure;

/// <summary>One bad cell of an imported file: its row (as the sheet numbers it), its field, what is wrong in English, and its code.</summary>
public sealed record RowError(int Row, string Field, string Message, string Code)
{
    public RowError(int row, string field, CodedText text) : this(row, field, text.English, text.Code) => Args = text.Args;

    public RowError(int row, string field, string code, params (string Name, object? Value)[] args) : this(row, field, new CodedText(code, args)) { }

    /// <summary>The arguments of <see cref="Code"/>'s texts (the pages show the Chinese); not part of the answer.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, object?> Args { get; init; } = Texts.NoArgs;

    [JsonIgnore]
    public CodedText Text => new(Code, Args);
}

/// <summary>The codes of what a file upload's checks refuse: no file, several files, a file too large.</summary>
public sealed record UploadCodes(string SendOne, string OneAtATime, string TooLarge);

/// <summary>What the file imports (vehicles, usage records) check and answer alike.</summary>
public static class Uploads
{
    /// <summary>One non-empty file within <paramref name="maxBytes"/>, or the problem to answer: 400 naming <c>file</c>, or 413.</summary>
    public static async Task<ProblemHttpResult?> CheckOneAsync(IFormFile? file, HttpRequest http, long maxBytes, UploadCodes codes, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return Invalid(new CodedText(codes.SendOne));
        if (http.HasFormContentType && (await http.ReadFormAsync(ct)).Files.Count > 1)
            return Invalid(new CodedText(codes.OneAtATime));
        if (file.Length > maxBytes)
            return Problems.OfField(StatusCodes.Status413PayloadTooLarge, "file", new CodedText(codes.TooLarge, ("bytes", new Bytes(maxBytes))));
        return null;
    }

    /// <summary>
    /// The 400 for a file with bad rows, of which nothing was imported: the first <paramref name="shown"/> errors in row
    /// order under <c>rowErrors</c>, how many there were in all under <c>errorCount</c>, and <c>file</c> under <c>errors</c>.
    /// </summary>
    public static ProblemHttpResult RowErrors(IReadOnlyCollection<RowError> errors, int errorCount, int shown, string noun)
    {
        var problem = Problems.Details(StatusCodes.Status400BadRequest, new CodedText("Upload.BadRows", ("count", errorCount)),
            new FieldErrors { { "file", "Upload.BadRows", ("count", errorCount) } }, $"The {noun} has bad rows");
        problem.Detail = $"{errors.Select(e => e.Row).Distinct().Count()}{(errorCount > errors.Count ? "+" : "")} row(s) have errors; nothing was imported.";
        problem.Extensions["rowErrors"] = errors.OrderBy(e => e.Row).Take(shown).ToList();
        problem.Extensions["errorCount"] = errorCount;
        return TypedResults.Problem(problem);
    }

    private static ProblemHttpResult Invalid(CodedText text) => Problems.OfField(StatusCodes.Status400BadRequest, "file", text);
}
