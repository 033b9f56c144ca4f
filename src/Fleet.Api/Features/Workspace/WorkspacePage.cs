using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// What every page model shares: the caller (the same <see cref="Infrastructure.Caller"/> the API's rules take), the
/// validators' and rules' refusals shown against their fields in Chinese, and a notice that survives the redirect.
/// </summary>
public abstract class WorkspacePage : PageModel
{
    public Caller Caller => Caller.From(User);

    /// <summary>One line shown at the top of the next page ("已封存").</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Runs the API's validator for the input; its failures go against the fields, under <paramref name="prefix"/>.</summary>
    protected async Task<bool> ValidAsync<T>(IValidator<T> validator, T input, string prefix = "Input")
    {
        var result = await validator.ValidateAsync(input, HttpContext.RequestAborted);
        foreach (var failure in result.Errors)
            ModelState.AddModelError(Key(prefix, failure.PropertyName), Named(failure.PropertyName, Chinese.Of(failure)));
        return result.IsValid;
    }

    /// <summary>True when the rule did what was asked; otherwise its refusal is shown (against its field, if it names one).</summary>
    protected bool Done<T>(Outcome<T> outcome, string prefix = "Input")
    {
        if (outcome.Refusal is not { } refusal) return true;
        ModelState.AddModelError(refusal.Field is { } field ? Key(prefix, field) : "",
            refusal.Field is { } named ? Named(named, Chinese.Of(refusal)) : Chinese.Of(refusal));
        return false;
    }

    /// <summary>Back to a page with a notice: the pattern every form follows (post, then redirect, then get).</summary>
    protected RedirectResult Back(string notice, string? url = null)
    {
        Notice = notice;
        return Redirect(url ?? Request.Path + Request.QueryString);
    }

    /// <summary>A message names its field ("车架号：…") unless it already does, as the texts of FluentValidation's own checks do (请填写车架号。).</summary>
    private static string Named(string field, string message)
    {
        var label = Fields.Label(field);
        return message.Contains(label, StringComparison.Ordinal) ? message : $"{label}：{message}";
    }

    private static string Key(string prefix, string field) => string.IsNullOrEmpty(prefix) ? field : $"{prefix}.{field}";
}
