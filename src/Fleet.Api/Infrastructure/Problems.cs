using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure;

/// <summary>The 4xx answers handlers give, as RFC 9457 problem details.</summary>
public static class Problems
{
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem($"{what} was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>A problem of one field with a status other than 400 (413, 415), with the field under errors as a validation problem has it.</summary>
    public static ProblemHttpResult OfField(int status, string title, string field, string message) =>
        TypedResults.Problem(message, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    public static ProblemHttpResult PreconditionFailed() =>
        TypedResults.Problem("The record changed since it was read; read it again and repeat the change.",
            statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed");

    public static ProblemHttpResult PreconditionRequired() =>
        TypedResults.Problem("Send If-Match with the ETag of the record as read.",
            statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition required");
}

/// <summary>
/// Maps what escapes a handler to problem details: bad request bodies name the offending field, unique-index and
/// concurrency clashes become 409 and 412, anything else a 500 without a stack trace.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = exception switch
        {
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                (413, "Payload too large", "The request body is larger than this endpoint accepts.", null),
            BadHttpRequestException bad => (400, "Invalid request", "The request could not be read.", FieldOf(bad, http)),
            DbUpdateConcurrencyException => (412, "Precondition failed", "The record changed since it was read; read it again and repeat the change.", null),
            DbUpdateException db when DbErrors.IsUniqueViolation(db) => (409, "Conflict", "A record with the same unique value already exists.", null),
            _ => (500, "Internal error", "The server could not complete the request; the error was logged.", (Dictionary<string, string[]>?)null),
        };
        if (status == 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        else logger.LogInformation("Request refused with {Status}: {Message}", status, exception.Message);

        http.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null) problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static Dictionary<string, string[]> FieldOf(BadHttpRequestException bad, HttpContext http)
    {
        for (Exception? e = bad; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
                var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                    ? "This field is not part of the request."
                    : json.Path is null or "$" ? "The body is not valid JSON."
                    : PropertyType(http, field) is { IsEnum: true } type ? EnumNames.UseOneOf(type)
                    : "The value is not of the expected type or format.";
                return new() { [field] = [message] };
            }
        }
        var bind = BindFailure().Match(bad.Message);
        if (bind.Success)
        {
            var allowed = EnumTypeNamed(bind.Groups["type"].Value) is { IsEnum: true } type ? " " + EnumNames.UseOneOf(type) : "";
            return new() { [JsonNamingPolicy.CamelCase.ConvertName(bind.Groups["name"].Value)] = [$"'{bind.Groups["value"].Value}' is not a valid value.{allowed}"] };
        }
        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)) return new() { ["body"] = ["A JSON body is required."] };
        return new() { ["request"] = [bad.Message] };
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
