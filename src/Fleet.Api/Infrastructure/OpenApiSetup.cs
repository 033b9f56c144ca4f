using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// What the OpenAPI document says beyond what the endpoints declare, for the clients generated from it: the bearer
/// scheme and which operations need it, an operationId and a summary for every operation, distinct schema names,
/// the problem answers each operation can give, and the xlsx answers of the reports.
/// </summary>
public static partial class OpenApiSetup
{
    private const string Bearer = "Bearer";
    private const string Problem = "Problem";
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static IServiceCollection AddFleetOpenApi(this IServiceCollection services, Func<string, string?> summaryOf) =>
        services.AddOpenApi(o =>
        {
            // Nested request records share short names (SignIn.Request, SpotCheckEndpoints.Request): name them by their
            // container. A type moved since its name was published keeps that name (SchemaName).
            o.CreateSchemaReferenceId = type => type.Type.GetCustomAttributes(typeof(SchemaNameAttribute), false) is [SchemaNameAttribute named]
                ? named.Name
                : type.Type.IsNested && !type.Type.IsGenericType
                ? type.Type.DeclaringType!.Name.Replace("Endpoints", "", StringComparison.Ordinal) + type.Type.Name
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            // Money and litres are decimals, not binary floating point.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(decimal) || context.JsonTypeInfo.Type == typeof(decimal?)) schema.Format = "decimal";
                // Enums are read by a converter of Fleet's own (names only), which the schema exporter cannot see into:
                // their names, and null where the value is optional. (A list's items now carry the names inline.)
                var type = context.JsonTypeInfo.Type;
                if (EnumNames.EnumOf(type) is { } e)
                {
                    if (schema.Enum is not { Count: > 0 }) schema.Enum = Enum.GetNames(e).Select(n => (System.Text.Json.Nodes.JsonNode)n).ToList();
                    if (Nullable.GetUnderlyingType(type) is not null && !schema.Enum.Contains(null!)) schema.Enum.Add(null!);
                }
                else if (schema.Items is null && type != typeof(string) && type.GetInterfaces().Append(type)
                    .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] is { IsEnum: true } item)
                {
                    schema.Items = new OpenApiSchema { Enum = Enum.GetNames(item).Select(n => (System.Text.Json.Nodes.JsonNode)n).ToList() };
                }
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, _, _) =>
            {
                ReferToEnums(document);
                document.Info.Title = "Fleet API";
                document.Info.Description = "Official-vehicle fleet compliance: the HTTP contract (docs/api.md).";
                // A server URL without a trailing slash, so that clients join paths to it cleanly.
                foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The accessToken of POST /api/auth/token.",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[Problem] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "RFC 9457 problem details; a 400 names each bad field in errors.",
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
                        ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["errors"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object | JsonSchemaType.Null,
                            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                        },
                    },
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var description = context.Description;
                var method = description.HttpMethod ?? "GET";
                var path = "/" + (description.RelativePath ?? "").TrimEnd('/');
                var route = Regex.Replace(path, @"\{(\w+)(:[^}]*)?\}", "{$1}");
                operation.OperationId = OperationId(method, route);
                operation.Summary ??= summaryOf($"{method} {route}") ?? $"{method} {route}";

                var metadata = description.ActionDescriptor.EndpointMetadata;
                var anonymous = metadata.OfType<IAllowAnonymous>().Any();
                var roles = metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Roles)) ||
                    metadata.OfType<AuthorizationPolicy>().Any(p => p.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().Any());
                operation.Responses ??= new OpenApiResponses();
                // An open operation says so ({}: no credentials), rather than leaving clients to guess.
                if (anonymous)
                {
                    operation.Security = [new OpenApiSecurityRequirement()];
                }
                else
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
                    Add(operation, context, "401", "No token, or one no longer valid.");
                    if (roles) Add(operation, context, "403", "The caller's role or unit may not do this.");
                }
                if (description.ParameterDescriptions.Count > 0 || method is "POST" or "PUT") Add(operation, context, "400", "Invalid input; errors names each field.");
                if (route.Contains("{id}", StringComparison.Ordinal)) Add(operation, context, "404", "Not found, or outside the caller's unit.");
                if (method is "POST" or "PUT" && !anonymous) Add(operation, context, "409", "A duplicate, or the record is in the wrong state.");
                // Every read of the API narrows to a region of the caller's scope with regionId= (RegionScoping).
                if (method == "GET" && !anonymous && route.StartsWith("/api/", StringComparison.Ordinal) &&
                    !description.ParameterDescriptions.Any(p => p.Name == RegionScoping.RegionParameter))
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = RegionScoping.RegionParameter,
                        In = ParameterLocation.Query,
                        Description = "A region in the caller's scope: only what lies in its subtree (404 outside the scope).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                    });
                    Add(operation, context, "404", "Not found, or outside the caller's scope.");
                }
                if (method == "PUT")
                {
                    Add(operation, context, "412", "The record changed since it was read (If-Match).");
                    Add(operation, context, "428", "Send If-Match with the record's ETag.");
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "If-Match",
                        In = ParameterLocation.Header,
                        Required = true,
                        Description = "The ETag of the record as read.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }
                // Versioned records answer with their version as an ETag: on reading one, changing one, or creating one.
                if (SendsETag.Contains($"{method} {route}"))
                {
                    foreach (var (status, response) in operation.Responses.Where(r => r.Key is "200" or "201"))
                    {
                        if (response is not OpenApiResponse ok) continue;
                        ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
                        ok.Headers["ETag"] = new OpenApiHeader { Description = "The record's version; send it back as If-Match.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                    }
                }
                if (method is "POST" or "PUT") Add(operation, context, "413", "The body is too large.");
                if (route == "/api/auth/token") Add(operation, context, "429", "Too many failed sign-ins; see Retry-After.");
                if (route.EndsWith(".xlsx", StringComparison.Ordinal))
                {
                    operation.Responses["200"] = new OpenApiResponse
                    {
                        Description = "The workbook.",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            [Xlsx] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                        },
                    };
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>The operations that answer with an ETag header (the ones that read, create or change a versioned record).</summary>
    private static readonly HashSet<string> SendsETag =
    [
        "POST /api/vehicles", "GET /api/vehicles/{id}", "PUT /api/vehicles/{id}", "POST /api/vehicles/{id}/dispose", "POST /api/units", "PUT /api/units/{id}",
    ];

    /// <summary>A list of enum values names the enum's schema, as it did when the exporter knew the converter.</summary>
    private static void ReferToEnums(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { } schemas) return;
        // Keyed by their names: two enums with the same names would be ambiguous, and are left inline.
        var enums = schemas.Where(s => s.Value.Enum is { Count: > 0 })
            .GroupBy(s => Key(s.Value.Enum!)).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Key);
        foreach (var property in schemas.Values.SelectMany(s => s.Properties?.Values ?? []).OfType<OpenApiSchema>())
            if (property.Items is OpenApiSchema { Enum.Count: > 0 } items && enums.TryGetValue(Key(items.Enum), out var name))
                property.Items = new OpenApiSchemaReference(name, document);
        static string Key(IList<System.Text.Json.Nodes.JsonNode> values) => string.Join(",", values.Where(v => v is not null).Select(v => v.ToJsonString()));
    }

    private static void Add(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(Problem, context.Document) },
            },
        };
    }

    /// <summary>"POST /api/vehicles/{id}/dispose" → "postVehiclesByIdDispose": stable, unique, readable in a generated client.</summary>
    public static string OperationId(string method, string route)
    {
        var words = route.Replace("/api/", "/", StringComparison.Ordinal).Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.StartsWith('{') ? "By" + Pascal(part.Trim('{', '}')) : Pascal(part.Replace(".xlsx", "Xlsx", StringComparison.Ordinal)));
        return method.ToLowerInvariant() + string.Concat(words);
    }

    private static string Pascal(string text) =>
        string.Concat(text.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}

/// <summary>The name a type's schema was published under, kept when the type moves (generated clients name their classes by it).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SchemaNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
