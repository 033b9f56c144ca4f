using System.Reflection;
using System.Text.Json;
using FluentValidation;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// The validator every request's validator derives from: besides its own rules, each text of the request is plain
/// text (<see cref="PlainText"/>), so the API, the pages and the workbook import, which all run the validator, refuse
/// the same characters. Notes, notes of a decision and reasons may keep tabs and line breaks; names, codes, places
/// and numbers may not.
/// </summary>
public abstract class RequestValidator<T> : AbstractValidator<T>
{
    private static readonly string[] MultiLine = ["Notes", "Note", "Reason"];

    // Getters bound once: the validator runs on every write (the spot-check POST is a hot path), reflection per call is not needed.
    private static readonly (Func<T, string?> Value, string Field, bool MultiLine)[] Texts = typeof(T)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0 && p.GetMethod is { IsStatic: false })
        .Select(p => (p.GetMethod!.CreateDelegate<Func<T, string?>>(), JsonNamingPolicy.CamelCase.ConvertName(p.Name), MultiLine.Contains(p.Name)))
        .ToArray();

    protected RequestValidator()
    {
        RuleFor(request => request).Custom((request, context) =>
        {
            foreach (var (value, field, multiLine) in Texts)
                if (PlainText.Problem(value(request), multiLine) is { } problem)
                    context.AddFailure(problem.Failure(field));
        });
    }
}
