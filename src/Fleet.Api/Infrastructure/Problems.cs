using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// The 4xx answers Fleet gives, as RFC 9457 problem details, built here and nowhere else: <c>detail</c> in English and
/// <c>code</c>, the refusal's stable code ("SealUp.ReleaseTooEarly"); a problem of fields also has <c>errors</c> (field →
/// English texts) and <c>codes</c> (field → their codes, parallel to errors), <c>code</c> being the first failure's code
/// (docs/decisions/013-refusal-codes.md).
/// </summary>
public static class Problems
{
    public static Results<ValidationProblem, ProblemHttpResult> Of(Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.Invalid => Field(refusal.Field!, refusal.Text),
        RefusalKind.NotFound => Status(StatusCodes.Status404NotFound, refusal.Text),
        RefusalKind.Forbidden => Status(StatusCodes.Status403Forbidden, refusal.Text),
        RefusalKind.PreconditionRequired => Status(StatusCodes.Status428PreconditionRequired, refusal.Text),
        RefusalKind.PreconditionFailed => Status(StatusCodes.Status412PreconditionFailed, refusal.Text),
        RefusalKind.TooLarge => OfField(StatusCodes.Status413PayloadTooLarge, refusal.Field!, refusal.Text),
        RefusalKind.Unsupported => OfField(StatusCodes.Status415UnsupportedMediaType, refusal.Field!, refusal.Text),
        RefusalKind.Unprocessable => OfField(StatusCodes.Status422UnprocessableEntity, refusal.Field!, refusal.Text),
        _ => Status(StatusCodes.Status409Conflict, refusal.Text),
    };

    /// <summary>The problem details of every refusal: status, title, detail (the English of <paramref name="text"/>) and code; errors and codes when fields are named.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails Details(int status, CodedText text, FieldErrors? fields = null, string? title = null)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title ?? TitleOf(status), Detail = text.English };
        problem.Extensions["code"] = text.Code;
        if (fields is { Count: > 0 })
        {
            problem.Extensions["errors"] = fields.Errors();
            problem.Extensions["codes"] = fields.Codes();
        }
        return Keep(problem, text, fields);
    }

    // The texts (codes and arguments) a problem was built from, for a page that calls an endpoint in-process and shows
    // the refusal in Chinese; never serialized, gone with the problem.
    private static readonly ConditionalWeakTable<Microsoft.AspNetCore.Mvc.ProblemDetails, Said> Kept = new();

    private sealed record Said(CodedText Text, FieldErrors? Fields);

    private static T Keep<T>(T problem, CodedText text, FieldErrors? fields) where T : Microsoft.AspNetCore.Mvc.ProblemDetails
    {
        Kept.AddOrUpdate(problem, new Said(text, fields));
        return problem;
    }

    /// <summary>The texts a problem built here carries: its own and its fields'; null for one built elsewhere.</summary>
    public static (CodedText Text, FieldErrors? Fields)? TextsOf(Microsoft.AspNetCore.Mvc.ProblemDetails problem) =>
        Kept.TryGetValue(problem, out var said) ? (said.Text, said.Fields) : null;

    /// <summary>A problem of fields (400), as a validation problem: errors, codes, and code the first failure's.</summary>
    public static ValidationProblem Invalid(FieldErrors fields)
    {
        var problem = TypedResults.ValidationProblem(fields.Errors(), extensions: new Dictionary<string, object?> { ["code"] = fields[0].Text.Code, ["codes"] = fields.Codes() });
        Keep(problem.ProblemDetails, fields[0].Text, fields);
        return problem;
    }

    public static ValidationProblem Field(string field, CodedText text) => Invalid(new FieldErrors { { field, text } });

    public static ValidationProblem Field(string field, string code, params (string Name, object? Value)[] args) => Field(field, new CodedText(code, args));

    public static ProblemHttpResult Status(int status, CodedText text, string? title = null) => TypedResults.Problem(Details(status, text, title: title));

    public static ProblemHttpResult Conflict(string code, params (string Name, object? Value)[] args) => Status(StatusCodes.Status409Conflict, new CodedText(code, args));

    /// <summary>A record not found, or outside the caller's scope (404), by its code ("Vehicles.NotFound").</summary>
    public static ProblemHttpResult NotFound(string code) => Status(StatusCodes.Status404NotFound, new CodedText(code));

    /// <summary>A problem of one field with a status other than a validation problem's (400 of a file, 413, 415), the field under errors as a validation problem has it.</summary>
    public static ProblemHttpResult OfField(int status, string field, CodedText text, string? title = null) =>
        TypedResults.Problem(Details(status, text, new FieldErrors { { field, text } }, title));

    // The framework's own 4xx answers without a body (no token, a role not allowed, no such route or method), by status.
    private static readonly Dictionary<int, string> FrameworkCodes = new()
    {
        [StatusCodes.Status401Unauthorized] = "Auth.SignInRequired",
        [StatusCodes.Status403Forbidden] = "Common.Forbidden",
        [StatusCodes.Status404NotFound] = "Common.NotFound",
        [StatusCodes.Status405MethodNotAllowed] = "Request.MethodNotAllowed",
        [StatusCodes.Status415UnsupportedMediaType] = "Request.UnsupportedMediaType",
    };

    /// <summary>
    /// Every problem details written gets a code: those built here have theirs; one the framework writes for a bare
    /// status (the status code pages) gets its status's code and text.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code") || problem.Status is not { } status || !FrameworkCodes.TryGetValue(status, out var code)) return;
        problem.Extensions["code"] = code;
        problem.Detail ??= Texts.English(code, Texts.NoArgs);
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "One or more validation errors occurred.",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        412 => "Precondition failed",
        413 => "Payload too large",
        415 => "Unsupported media type",
        428 => "Precondition required",
        429 => "Too many requests",
        500 => "Internal error",
        _ => "Refused",
    };
}

/// <summary>The failures of a problem of fields, in order: each field with its text (code and arguments).</summary>
public sealed class FieldErrors : List<(string Field, CodedText Text)>
{
    public void Add(string field, CodedText text) => Add((field, text));

    public void Add(string field, string code, params (string Name, object? Value)[] args) => Add((field, new CodedText(code, args)));

    /// <summary>Field → English texts, as <c>errors</c>.</summary>
    public Dictionary<string, string[]> Errors() => Group(t => t.English);

    /// <summary>Field → codes, as <c>codes</c>, parallel to <see cref="Errors"/>.</summary>
    public Dictionary<string, string[]> Codes() => Group(t => t.Code);

    private Dictionary<string, string[]> Group(Func<CodedText, string> of) =>
        this.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.Select(f => of(f.Text)).ToArray());

    /// <summary>Null when there is no failure: what a check that may find none answers.</summary>
    public FieldErrors? OrNull() => Count == 0 ? null : this;
}

/// <summary>
/// Maps what escapes a handler to problem details: bad request bodies name the offending field, unique-index and
/// concurrency clashes become 409 and 412, anything else a 500 without a stack trace.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, text, fields) = exception switch
        {
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => (413, new CodedText("Request.TooLarge"), null),
            BadHttpRequestException bad => (400, new CodedText("Request.Unreadable"), FieldOf(bad, http)),
            DbUpdateConcurrencyException => (412, new CodedText("Common.Stale"), null),
            DbUpdateException db when DbErrors.IsUniqueViolation(db) => (409, new CodedText("Common.Duplicate"), null),
            _ => (500, new CodedText("Common.ServerError"), (FieldErrors?)null),
        };
        if (status == 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        else logger.LogInformation("Request refused with {Status}: {Message}", status, exception.Message);

        http.Response.StatusCode = status;
        // A body that cannot be read: the field's failure is the problem's code (as a validation problem's first failure).
        var problem = Problems.Details(status, text, fields, status == 400 ? "Invalid request" : null);
        if (fields is { Count: > 0 }) problem.Extensions["code"] = fields[0].Text.Code;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static FieldErrors FieldOf(BadHttpRequestException bad, HttpContext http)
    {
        for (Exception? e = bad; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
                var text = json.Message.Contains("could not be mapped", StringComparison.Ordinal) ? new CodedText("Request.UnknownField")
                    : json.Path is null or "$" ? new CodedText("Request.Malformed")
                    : PropertyType(http, field) is { IsEnum: true } type ? EnumNames.UseOneOf(type)
                    : new CodedText("Request.WrongType");
                return new() { { field, text } };
            }
        }
        var bind = BindFailure().Match(bad.Message);
        if (bind.Success)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(bind.Groups["name"].Value);
            var value = bind.Groups["value"].Value;
            return EnumTypeNamed(bind.Groups["type"].Value) is { IsEnum: true } type
                ? new() { { name, "Request.UnknownValue", ("value", value), ("choices", new NamesOf(type)) } }
                : new() { { name, "Request.InvalidValue", ("value", value) } };
        }
        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)) return new() { { "body", "Request.BodyRequired" } };
        return new() { { "request", "Request.Invalid", ("reason", bad.Message) } };
    }

    [GeneratedRegex("""parameter "(?:(?<type>[\w\.\?<>]+) )?(?<name>\w+)" from "(?<value>[^"]*)""")]
    private static partial Regex BindFailure();

    /// <summary>The type of the request body's property that a JSON path names (one level: the contract's bodies are flat).</summary>
    private static Type? PropertyType(HttpContext http, string field)
    {
        // The exception handler runs with the endpoint cleared; the feature keeps the one that failed.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        var body = endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;
        var property = body?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        return property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
    }

    /// <summary>"VehicleStatus?", "Nullable&lt;VehicleStatus&gt;": the contract's enum of that name, if it is one.</summary>
    private static Type? EnumTypeNamed(string typeName)
    {
        var name = typeName.Replace("Nullable<", "").TrimEnd('?', '>');
        return typeof(Fleet.Data.Entities.Role).Assembly.GetType($"Fleet.Data.Entities.{name[(name.LastIndexOf('.') + 1)..]}");
    }
}
