using System.Text.Json.Nodes;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>The OpenAPI document is what client generators read: it must not mislead them.</summary>
public class OpenApiTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly string[] Methods = ["get", "post", "put", "delete", "patch"];

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_its_security_and_its_error_answers()
    {
        var document = await fleet.As(As.Anonymous).GetJson("/openapi/v1.json");
        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!);
        var ids = new HashSet<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(p => Methods.Contains(p.Key)))
            {
                var name = $"{method.ToUpperInvariant()} {path}";
                var id = (string?)operation!["operationId"];
                Assert.False(string.IsNullOrEmpty(id), $"{name} has no operationId");
                Assert.True(ids.Add(id!), $"{name}: operationId {id} is used twice");
                Assert.False(string.IsNullOrEmpty((string?)operation["summary"]), $"{name} has no summary");
                var anonymous = path is "/api/auth/token" or "/health" || path.StartsWith("/openapi", StringComparison.Ordinal);
                if (!anonymous)
                {
                    Assert.True(operation["security"] is JsonArray { Count: > 0 }, $"{name} declares no security");
                    Assert.NotNull(operation["responses"]!["401"]);
                }
                if (method is "post" or "put") Assert.NotNull(operation["responses"]!["400"]);
                if (path.Contains("{id}", StringComparison.Ordinal)) Assert.NotNull(operation["responses"]!["404"]);
                if (path.EndsWith(".xlsx", StringComparison.Ordinal))
                    Assert.NotNull(operation["responses"]!["200"]!["content"]!["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
            }
        }
        Assert.True(ids.Count > 50);

        var put = document["paths"]!["/api/vehicles/{id}"]!["put"]!;
        Assert.Contains(put["parameters"]!.AsArray(), p => (string)p!["name"]! == "If-Match" && (string)p["in"]! == "header");
        Assert.NotNull(put["responses"]!["412"]);
        Assert.NotNull(document["paths"]!["/api/vehicles/{id}"]!["get"]!["responses"]!["200"]!["headers"]!["ETag"]);
        Assert.NotNull(document["paths"]!["/api/vehicles"]!["post"]!["responses"]!["201"]!["headers"]!["ETag"]);
        Assert.Equal("decimal", (string)document["components"]!["schemas"]!["VehicleDto"]!["properties"]!["purchasePrice"]!["format"]!);
    }

    [Fact]
    public async Task No_two_request_types_share_a_schema()
    {
        var document = await fleet.As(As.Anonymous).GetJson("/openapi/v1.json");
        var schemas = document["components"]!["schemas"]!.AsObject().Select(p => p.Key).ToList();
        Assert.DoesNotContain("Request", schemas);
        Assert.DoesNotContain(schemas, s => s.StartsWith("AnonymousType", StringComparison.Ordinal));
        string? BodyOf(string path) => (string?)document["paths"]![path]!["post"]!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"];
        var bodies = new[] { "/api/auth/token", "/api/spot-checks", "/api/holidays", "/api/campaigns", "/api/vehicles/{id}/dispose", "/api/users" }
            .Select(BodyOf).ToList();
        Assert.All(bodies, b => Assert.NotNull(b));
        Assert.Equal(bodies.Count, bodies.Distinct().Count());
    }
}
