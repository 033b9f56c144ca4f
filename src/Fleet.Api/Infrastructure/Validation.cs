using FluentValidation;
using FluentValidation.Results;

namespace Fleet.Api.Infrastructure;

/// <summary>Runs the request's FluentValidation validator before the handler; a failure is a 400 naming each field, with its codes.</summary>
public sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter where T : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<T>().FirstOrDefault();
        if (request is null)
            return Problems.Field("body", "Request.BodyRequired");
        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        if (!result.IsValid)
            return Problems.Invalid(ValidationTexts.Of(result));
        return await next(context);
    }
}

public static class ValidationExtensions
{
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) where T : class =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();

    /// <summary>The rule's refusal by code: its error code, its English message from the resx, its arguments as the failure's state.</summary>
    public static IRuleBuilderOptions<T, TProperty> Refuse<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string code, params (string Name, object? Value)[] args)
    {
        var text = new CodedText(code, args);
        // FluentValidation formats the message: braces a text keeps are doubled.
        return rule.WithErrorCode(code).WithMessage(text.English.Replace("{", "{{").Replace("}", "}}")).WithState(_ => text.Args);
    }

    /// <summary>A failure of <paramref name="field"/> carrying this text's code and arguments.</summary>
    public static ValidationFailure Failure(this CodedText text, string field) =>
        new(field, text.English) { ErrorCode = text.Code, CustomState = text.Args };
}

/// <summary>
/// A validator's failure as a text by code: Fleet's own rules carry their code (<see cref="ValidationExtensions.Refuse"/>);
/// FluentValidation's built-in validators are mapped by their error code to Field.* entries of the resx, filled with the
/// failure's placeholder values ({PropertyName}, {MaxLength}, ...).
/// </summary>
public static class ValidationTexts
{
    private static readonly Dictionary<string, string> BuiltIn = new(StringComparer.Ordinal)
    {
        ["NotEmptyValidator"] = "Field.Required",
        ["NotNullValidator"] = "Field.Required",
        ["NullValidator"] = "Field.MustBeEmpty",
        ["MaximumLengthValidator"] = "Field.TooLong",
        ["InclusiveBetweenValidator"] = "Field.OutOfRange",
        ["NotEqualValidator"] = "Field.NotEqual",
        ["GreaterThanOrEqualValidator"] = "Field.TooSmall",
        ["PredicateValidator"] = "Field.Invalid",
        ["AsyncPredicateValidator"] = "Field.Invalid",
        ["RegularExpressionValidator"] = "Field.BadFormat",
    };

    /// <summary>The built-in validators Fleet maps, by FluentValidation's error code, to the code of their text.</summary>
    public static IReadOnlyDictionary<string, string> BuiltInCodes => BuiltIn;

    public static FieldErrors Of(ValidationResult result)
    {
        var errors = new FieldErrors();
        foreach (var failure in result.Errors) errors.Add(failure.PropertyName, Of(failure));
        return errors;
    }

    public static CodedText Of(ValidationFailure failure)
    {
        if (failure.CustomState is IReadOnlyDictionary<string, object?> args && Texts.TemplateOrNull(failure.ErrorCode, Texts.EnglishCulture) is not null)
            return new CodedText(failure.ErrorCode, args);
        if (!BuiltIn.TryGetValue(failure.ErrorCode ?? "", out var code))
            return new CodedText("Request.Invalid", ("reason", failure.ErrorMessage));
        var values = (failure.FormattedMessagePlaceholderValues ?? []).ToDictionary(p => p.Key, p => (object?)p.Value);
        var shown = values.TryGetValue("PropertyName", out var display) ? display?.ToString() ?? failure.PropertyName : failure.PropertyName;
        values["PropertyName"] = new FieldName(failure.PropertyName, shown);
        return new CodedText(code, values);
    }
}
