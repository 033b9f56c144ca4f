using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Infrastructure;

public enum RefusalKind { Invalid, NotFound, Forbidden, Conflict, PreconditionRequired, PreconditionFailed, TooLarge, Unsupported, Unprocessable }

/// <summary>
/// Why a rule refused: the caller's input (naming the field), a record not found in the caller's scope, a role or unit
/// not allowed, or a wrong state. <see cref="Code"/> names the refusal ("SealUp.ReleaseTooEarly"); its texts, English
/// and Chinese, live in Resources/Refusals*.resx and take <see cref="Args"/>.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Code, IReadOnlyDictionary<string, object?> Args, string? Field = null)
{
    /// <summary>The English text, as API clients read it in detail or errors.</summary>
    public string Message => Texts.English(Code, Args);

    public CodedText Text => new(Code, Args);

    public static Refusal Invalid(string field, string code, params (string Name, object? Value)[] args) => new(RefusalKind.Invalid, code, Texts.Args(args), field);

    public static Refusal Invalid(string field, CodedText text) => new(RefusalKind.Invalid, text.Code, text.Args, field);

    /// <summary>A record not found, or outside the caller's scope (404): "Vehicles.NotFound".</summary>
    public static Refusal NotFound(string code) => new(RefusalKind.NotFound, code, Texts.NoArgs);

    public static Refusal Forbidden(string code, params (string Name, object? Value)[] args) => new(RefusalKind.Forbidden, code, Texts.Args(args));

    public static Refusal Conflict(string code, params (string Name, object? Value)[] args) => new(RefusalKind.Conflict, code, Texts.Args(args));

    public static Refusal Conflict(CodedText text) => new(RefusalKind.Conflict, text.Code, text.Args);

    /// <summary>A change to a versioned record sent without the version it was read at (If-Match).</summary>
    public static Refusal VersionRequired() => new(RefusalKind.PreconditionRequired, "Common.VersionRequired", Texts.NoArgs);

    /// <summary>An upload over its size limit (413), naming the field.</summary>
    public static Refusal TooLarge(string field, CodedText text) => new(RefusalKind.TooLarge, text.Code, text.Args, field);

    /// <summary>An upload whose content is not of a kind kept (415), naming the field.</summary>
    public static Refusal Unsupported(string field, CodedText text) => new(RefusalKind.Unsupported, text.Code, text.Args, field);

    /// <summary>A well-formed request that cannot be taken as sent (422), naming the field: a key sent with another request.</summary>
    public static Refusal Unprocessable(string field, string code) => new(RefusalKind.Unprocessable, code, Texts.NoArgs, field);

    public static Refusal Stale() => new(RefusalKind.PreconditionFailed, "Common.Stale", Texts.NoArgs);
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
    public static Results<ValidationProblem, ProblemHttpResult> ToProblem(this Refusal refusal) => Problems.Of(refusal);

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
