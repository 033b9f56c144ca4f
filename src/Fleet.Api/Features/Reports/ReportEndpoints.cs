using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Data.Auditing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Reports;

public sealed record ArchivedReportItem(Guid Id, string Month, string Report, string Subject, JsonElement Filters, string FileName, string Sha256,
    long Size, DateTime CreatedAt, string CreatedBy, Guid RegionId);

public static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Reports are for those who read across units: a unit's vehicle administrator is refused.
        var group = app.MapGroup("/api/reports").WithTags("Reports").AllowRoles(Role.Auditor, Role.Inspector, Role.Admin);
        var live = group.MapGroup("").AddEndpointFilter(AuditDownload);
        live.MapGet("/recovery-rates.xlsx", RecoveryRatesReport.Handle);
        live.MapGet("/violations.xlsx", ViolationsReport.Handle);
        live.MapGet("/sealup-compliance.xlsx", SealUpComplianceReport.Handle);
        live.MapGet("/spot-checks.xlsx", SpotChecksReport.Handle);
        group.MapGet("/archive", Archive);
        group.MapGet("/archive/{id:guid}", Archived);
    }

    /// <summary>Every download of a report leaves an audit entry: who, which report, with which filters.</summary>
    private static async ValueTask<object?> AuditDownload(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is INestedHttpResult { Result: FileStreamHttpResult file })
        {
            var http = context.HttpContext;
            var report = Path.GetFileNameWithoutExtension(http.Request.Path.Value!);
            var filters = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
            await AuditAsync(http.RequestServices, "Report", report, new { report, filters, fileName = file.FileDownloadName }, http.RequestAborted);
        }
        return result;
    }

    private static async Task AuditAsync(IServiceProvider services, string entity, string entityId, object after, CancellationToken ct)
    {
        var db = services.GetRequiredService<FleetDbContext>();
        db.AuditEntries.Add(new AuditEntry
        {
            At = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            Actor = services.GetRequiredService<IAuditActor>().Name,
            Entity = entity,
            EntityId = entityId,
            Action = "Download",
            After = JsonSerializer.Serialize(after, JsonSerializerOptions.Web),
            // Seen where the report was made: the caller's region.
            RegionCode = db.Scope?.Code ?? services.GetRequiredService<RootRegion>().Code,
        });
        await db.SaveChangesAsync(ct);
    }

    public static async Task<Results<Ok<Paged<ArchivedReportItem>>, ValidationProblem>> Archive(
        string? month, string? report, Guid? regionId, [AsParameters] PageQuery paging, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        // The archives of the regions in the caller's scope (the context's filter); one of them with regionId=.
        var archived = db.ArchivedReports.AsNoTracking();
        if (regionId is not null) archived = archived.Where(a => a.RegionId == regionId);
        if (!string.IsNullOrWhiteSpace(month)) archived = archived.Where(a => a.Month == month);
        if (!string.IsNullOrWhiteSpace(report)) archived = archived.Where(a => a.Report == report);
        var page = await paging.ApplyAsync(archived.OrderByDescending(a => a.Month).ThenBy(a => a.Report).ThenBy(a => a.Subject), ct);
        return TypedResults.Ok(new Paged<ArchivedReportItem>(page.Items.Select(a => new ArchivedReportItem(a.Id, a.Month, a.Report, a.Subject,
            JsonSerializer.Deserialize<JsonElement>(a.Filters), a.FileName, a.Sha256, a.Size, a.CreatedAt, a.CreatedBy, a.RegionId)).ToList(), page.Page, page.PageSize, page.Total));
    }

    /// <summary>
    /// An archived report, byte for byte as it was made: the file is checked against its recorded SHA-256 before it is
    /// sent (a file altered or lost in the archive folder is a 409, never a silent different answer).
    /// </summary>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Archived(
        Guid id, FleetDbContext db, IOptions<ReportOptions> options, IOptions<FleetOptions> fleet, HttpContext http, CancellationToken ct)
    {
        var archived = await db.ArchivedReports.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (archived is null) return Problems.NotFound("Reports.ArchiveNotFound");
        var path = Path.Combine(ReportArchive.PathOf(options.Value, fleet.Value), archived.Month, archived.Sha256 + ".xlsx");
        if (!File.Exists(path))
            return Problems.Conflict("Reports.ArchiveMissing", ("file", archived.FileName));
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        if (sha != archived.Sha256)
        {
            await file.DisposeAsync();
            return Problems.Conflict("Reports.ArchiveAltered", ("file", archived.FileName), ("sha", archived.Sha256));
        }
        file.Position = 0;
        await AuditAsync(http.RequestServices, nameof(ArchivedReport), archived.Id.ToString(),
            new { report = archived.Report, month = archived.Month, filters = JsonSerializer.Deserialize<JsonElement>(archived.Filters), sha256 = archived.Sha256 }, ct);
        http.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(archived.Sha256))}:";
        return TypedResults.File(file, ReportFile.ContentType, archived.FileName);
    }
}
