using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Fleet.Tests.Support;

public enum As { Anonymous, Admin, VehicleAdmin, OtherVehicleAdmin, Inspector, Auditor }

/// <summary>
/// A user of Fleet, signed in through the API, with helpers named for what they do. Tests build scenarios from these.
/// </summary>
public sealed class Client(FleetFactory factory, HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public HttpClient Http => http;

    public Task<HttpResponseMessage> Get(string url) => http.GetAsync(url);

    public Task<HttpResponseMessage> Post(string url, object? body) => http.PostAsJsonAsync(url, body, Json);

    public Task<HttpResponseMessage> PostRaw(string url, string json) =>
        http.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public async Task<HttpResponseMessage> Put(string url, object body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body, options: Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await http.SendAsync(request);
    }

    public async Task<JsonNode> GetJson(string url) => await Read(await Get(url), HttpStatusCode.OK);

    public async Task<JsonNode> CreateUnit(string code, int quota = 10, string? name = null, Guid? parentId = null) =>
        await Read(await Post("/api/units", new { code, name = name ?? "单位 " + code, kind = "Department", parentId, vehicleQuota = quota }), HttpStatusCode.Created);

    public async Task<JsonNode> RegisterVehicle(object request) => await Read(await Post("/api/vehicles", request), HttpStatusCode.Created);

    public static async Task<JsonNode> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts a problem-details answer with the status, and returns its body.</summary>
    public static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode expected, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.DoesNotContain("   at ", body); // no stack trace leaves the process
        if (field is not null)
            Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"Expected an error naming '{field}': {body}");
        return problem;
    }

    public FleetFactory Factory => factory;

    public void UseToken(string token) => http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
}
