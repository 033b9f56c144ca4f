using System.Net;
using System.Text.Json.Nodes;

namespace Fleet.Tests.Support;

/// <summary>What users do around a holiday, as test steps.</summary>
public static class SealUpSteps
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly LocalToday(this FleetFactory f) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(f.Clock.GetUtcNow(), Shanghai).DateTime);

    /// <summary>A holiday starting <paramref name="inDays"/> local days from the fake clock's today.</summary>
    public static async Task<JsonNode> CreateHoliday(this Client admin, int inDays = 10, int length = 3, string name = "春节")
    {
        var first = admin.Factory.LocalToday().AddDays(inDays);
        return await Client.Read(await admin.Post("/api/holidays", new { name = name + FleetFixture.Code(""), firstDay = first, lastDay = first.AddDays(length - 1) }), HttpStatusCode.Created);
    }

    public static async Task<JsonNode> Publish(this Client admin, object request) =>
        await Client.Read(await admin.Post("/api/sealup-schedules", request), HttpStatusCode.Created);

    public static async Task<Dictionary<Guid, JsonNode>> Orders(this Client who, Guid scheduleId)
    {
        var page = await who.GetJson($"/api/sealup-schedules/{scheduleId}/orders?pageSize=500");
        return page["items"]!.AsArray().ToDictionary(o => (Guid)o!["vehicleId"]!, o => o!);
    }

    public static Task<HttpResponseMessage> Seal(this Client who, Guid scheduleId, Guid vehicleId, string? sealNumber = null) =>
        who.Post($"/api/sealup-schedules/{scheduleId}/seals", new { vehicleId, sealNumber = sealNumber ?? "FT" + FleetFixture.Code(""), parkingPlace = "区政府大院地下停车场B2" });

    public static Task<HttpResponseMessage> Release(this Client who, Guid scheduleId, Guid vehicleId) =>
        who.Post($"/api/sealup-schedules/{scheduleId}/releases", new { vehicleId });

    public static Task<HttpResponseMessage> AskExemption(this Client who, Guid scheduleId, Guid vehicleId) =>
        who.Post($"/api/sealup-schedules/{scheduleId}/exemptions", new { vehicleId, reason = "节日期间防汛值班保障用车" });

    public static void MoveTo(this FleetFactory f, DateTime utc) => f.Clock.SetUtcNow(new DateTimeOffset(utc, TimeSpan.Zero));
}
