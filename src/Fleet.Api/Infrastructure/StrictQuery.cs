using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Enum filters in query strings take their names only. Minimal APIs bind them with Enum.TryParse, which also takes
/// numbers and comma-joined names; this checks the raw values against the names before the handler binds them, for
/// every endpoint at once (its parameters and those of its [AsParameters] records), and answers a 400 naming the field.
/// </summary>
public static class StrictQuery
{
    private static readonly ConcurrentDictionary<MethodInfo, (string Name, Type Enum)[]> Filters = new();

    public static IApplicationBuilder UseStrictQueryEnums(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } method && http.Request.QueryString.HasValue)
        {
            foreach (var (name, type) in Filters.GetOrAdd(method, EnumParameters))
            {
                foreach (var value in http.Request.Query[name])
                {
                    if (EnumNames.TryParse(type, value, out _)) continue;
                    var shown = value is { Length: > 40 } ? value[..40] + "…" : value;
                    await Problems.Field(name, "Request.UnknownValue", ("value", shown), ("choices", new NamesOf(type))).ExecuteAsync(http);
                    return;
                }
            }
        }
        await next(http);
    });

    private static (string, Type)[] EnumParameters(MethodInfo method)
    {
        var found = new List<(string, Type)>();
        foreach (var p in method.GetParameters())
        {
            if (EnumNames.EnumOf(p.ParameterType) is { } e) found.Add((p.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromQueryAttribute>()?.Name ?? p.Name!, e));
            else if (p.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                foreach (var inner in p.ParameterType.GetConstructors().SelectMany(c => c.GetParameters()))
                    if (EnumNames.EnumOf(inner.ParameterType) is { } ie) found.Add((inner.Name!, ie));
                foreach (var prop in p.ParameterType.GetProperties())
                    if (EnumNames.EnumOf(prop.PropertyType) is { } pe) found.Add((JsonNamingPolicy.CamelCase.ConvertName(prop.Name), pe));
            }
        }
        return found.DistinctBy(f => f.Item1, StringComparer.OrdinalIgnoreCase).ToArray();
    }
}
