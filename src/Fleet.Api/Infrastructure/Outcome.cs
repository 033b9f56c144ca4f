using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure;

public enum RefusalKind { Invalid, NotFound, Forbidden, Conflict, PreconditionRequired, PreconditionFailed, TooLarge, Unsupported }

/// <summary>Why a rule refused: the caller's input (naming the field), a record not found in the caller's scope, a role or unit not allowed, or a wrong state.</summary>
public sealed record Refusal(RefusalKind Kind, string Message, string? Field = null)
{
    public static Refusal Invalid(string field, string message) => new(RefusalKind.Invalid, message, field);

    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, $"{what} was not found.");

    public static Refusal Forbidden(string message) => new(RefusalKind.Forbidden, message);

    public static Refusal Conflict(string message) => new(RefusalKind.Conflict, message);

    /// <summary>A change to a versioned record sent without the version it was read at (If-Match).</summary>
    public static Refusal VersionRequired() => new(RefusalKind.PreconditionRequired, "Send If-Match with the ETag of the record as read.");

    /// <summary>An upload over its size limit (413), naming the field.</summary>
    public static Refusal TooLarge(string field, string message) => new(RefusalKind.TooLarge, message, field);

    /// <summary>An upload whose content is not of a kind kept (415), naming the field.</summary>
    public static Refusal Unsupported(string field, string message) => new(RefusalKind.Unsupported, message, field);

    public static Refusal Stale() => new(RefusalKind.PreconditionFailed, "The record changed since it was read; read it again and repeat the change.");
}

/// <summary>What a rule answers: the value it produced, or why it refused. Never an HTTP result.</summary>
public readonly record struct Outcome<T>(T? Value, Refusal? Refusal)
{
    public bool IsOk => Refusal is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}

/// <summary>The one translation of a rule's outcome to HTTP, for every endpoint.</summary>
public static class OutcomeHttp
{
    public static Results<ValidationProblem, ProblemHttpResult> ToProblem(this Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.Invalid => Problems.Field(refusal.Field!, refusal.Message),
        RefusalKind.NotFound => TypedResults.Problem(refusal.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        RefusalKind.Forbidden => Problems.Forbidden(refusal.Message),
        RefusalKind.PreconditionRequired => Problems.PreconditionRequired(),
        RefusalKind.PreconditionFailed => Problems.PreconditionFailed(),
        RefusalKind.TooLarge => Problems.OfField(StatusCodes.Status413PayloadTooLarge, "Payload too large", refusal.Field!, refusal.Message),
        RefusalKind.Unsupported => Problems.OfField(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", refusal.Field!, refusal.Message),
        _ => Problems.Conflict(refusal.Message),
    };

    public static Results<Ok<TDto>, ValidationProblem, ProblemHttpResult> ToOk<T, TDto>(this Outcome<T> outcome, Func<T, TDto> map) =>
        outcome.Refusal is { } refusal ? Widen<Ok<TDto>>(refusal) : TypedResults.Ok(map(outcome.Value!));

    public static Results<Created<TDto>, ValidationProblem, ProblemHttpResult> ToCreated<T, TDto>(this Outcome<T> outcome, Func<T, string> location, Func<T, TDto> map) =>
        outcome.Refusal is { } refusal ? Widen<Created<TDto>>(refusal) : TypedResults.Created(location(outcome.Value!), map(outcome.Value!));

    public static async Task<Results<Ok<TDto>, ValidationProblem, ProblemHttpResult>> ToOkAsync<T, TDto>(this Task<Outcome<T>> pending, Func<T, Task<TDto>> map)
    {
        var outcome = await pending;
        return outcome.Refusal is { } refusal ? Widen<Ok<TDto>>(refusal) : TypedResults.Ok(await map(outcome.Value!));
    }

    public static async Task<Results<Ok<TDto>, ValidationProblem, ProblemHttpResult>> ToOkAsync<T, TDto>(this Task<Outcome<T>> pending, Func<T, TDto> map) =>
        (await pending).ToOk(map);

    public static async Task<Results<Created<TDto>, ValidationProblem, ProblemHttpResult>> ToCreatedAsync<T, TDto>(
        this Task<Outcome<T>> pending, Func<T, string> location, Func<T, Task<TDto>> map)
    {
        var outcome = await pending;
        return outcome.Refusal is { } refusal ? Widen<Created<TDto>>(refusal) : TypedResults.Created(location(outcome.Value!), await map(outcome.Value!));
    }

    public static async Task<Results<Created<TDto>, ValidationProblem, ProblemHttpResult>> ToCreatedAsync<T, TDto>(
        this Task<Outcome<T>> pending, Func<T, string> location, Func<T, TDto> map) => (await pending).ToCreated(location, map);

    /// <summary>A change that answers nothing but its success (204).</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ToNoContentAsync<T>(this Task<Outcome<T>> pending) =>
        (await pending).Refusal is { } refusal ? Widen<NoContent>(refusal) : TypedResults.NoContent();

    private static Results<TOk, ValidationProblem, ProblemHttpResult> Widen<TOk>(Refusal refusal) where TOk : IResult
    {
        var problem = refusal.ToProblem();
        return problem.Result is ValidationProblem invalid ? invalid : (ProblemHttpResult)problem.Result;
    }
}
