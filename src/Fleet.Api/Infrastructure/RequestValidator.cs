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

    private static readonly (PropertyInfo Property, string Field, bool MultiLine)[] Texts = typeof(T)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0)
        .Select(p => (p, JsonNamingPolicy.CamelCase.ConvertName(p.Name), MultiLine.Contains(p.Name)))
        .ToArray();

    protected RequestValidator()
    {
        RuleFor(request => request).Custom((request, context) =>
        {
            foreach (var (property, field, multiLine) in Texts)
                if (PlainText.Problem((string?)property.GetValue(request), multiLine) is { } problem)
                    context.AddFailure(field, problem);
        });
    }
}
