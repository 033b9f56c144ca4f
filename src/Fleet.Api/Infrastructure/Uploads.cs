using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure;

/// <summary>One bad cell of an imported file: its row (as the sheet numbers it), its field, and what is wrong.</summary>
public sealed record RowError(int Row, string Field, string Message);

/// <summary>What the file imports (vehicles, usage records) check and answer alike.</summary>
public static class Uploads
{
    /// <summary>
    /// One non-empty file within <paramref name="maxBytes"/>, or the problem to answer: 400 naming <c>file</c>, or 413.
    /// <paramref name="noun"/> names the file in the messages ("workbook", "file").
    /// </summary>
    public static async Task<ProblemHttpResult?> CheckOneAsync(IFormFile? file, HttpRequest http, long maxBytes, string noun, string whatToSend, CancellationToken ct)
    {
        if (file is null || file.Length == 0) return Invalid($"Send one {whatToSend} as multipart form data.");
        if (http.HasFormContentType && (await http.ReadFormAsync(ct)).Files.Count > 1)
            return Invalid($"Send one {noun} at a time: this upload holds several files.");
        if (file.Length > maxBytes)
            return Problems.OfField(StatusCodes.Status413PayloadTooLarge, "Payload too large", "file", $"The {noun} may be at most {maxBytes} bytes.");
        return null;
    }

    /// <summary>
    /// The 400 for a file with bad rows, of which nothing was imported: the first <paramref name="shown"/> errors in row
    /// order under <c>rowErrors</c>, how many there were in all under <c>errorCount</c>, and <c>file</c> under <c>errors</c>.
    /// </summary>
    public static ProblemHttpResult RowErrors(IReadOnlyCollection<RowError> errors, int errorCount, int shown, string noun) =>
        TypedResults.Problem(
            $"{errors.Select(e => e.Row).Distinct().Count()}{(errorCount > errors.Count ? "+" : "")} row(s) have errors; nothing was imported.",
            statusCode: StatusCodes.Status400BadRequest, title: $"The {noun} has bad rows",
            extensions: new Dictionary<string, object?>
            {
                ["rowErrors"] = errors.OrderBy(e => e.Row).Take(shown).ToList(),
                ["errorCount"] = errorCount,
                ["errors"] = new Dictionary<string, string[]> { ["file"] = [$"{errorCount} error(s) in the rows; see rowErrors."] },
            });

    private static ProblemHttpResult Invalid(string message) =>
        Problems.OfField(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", "file", message);
}
