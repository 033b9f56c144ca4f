using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Api.Features.Jobs;
using Fleet.Data.Auditing;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Reports;

/// <summary>
/// The monthly archive: for every closed local month, the violations and spot-check reports of that month, the
/// compliance report of every schedule released in it, and (for the month just closed) the recovery rates as they stand,
/// each made once by the very handlers that answer a download, kept as a file named by its SHA-256 and recorded with the
/// filters it was made with. Each region gets its own, over its subtree (a city's files hold its districts, a
/// district's only itself), read through a context narrowed to it as its people's downloads are. Level-triggered: each
/// run makes what is missing, so a missed run catches up. Two instances racing for the same file are settled by the
/// unique index on month, report, subject and region.
/// </summary>
public sealed class ReportArchive(FleetDbContext db, IServiceScopeFactory scopes, LocalTime local, TimeProvider clock,
    IOptions<ReportOptions> options, IOptions<FleetOptions> fleet, IAuditActor actor, RootRegion root, ILogger<ReportArchive> logger)
{
    public const string Id = "report-archive";

    /// <summary>The archive's folder: <see cref="ReportOptions.ArchiveDirectory"/>, under the data directory unless absolute.</summary>
    public static string PathOf(ReportOptions options, FleetOptions fleet) => Path.Combine(fleet.DataPath, options.ArchiveDirectory);

    private sealed record Due(string Month, string Report, string Subject, Dictionary<string, string> Filters, string Name, Region Region);

    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var _ = AuditActor.RunAs(JobsModule.Actor(Id));
        foreach (var region in await db.Regions.AsNoTracking().OrderBy(r => r.Code).ToListAsync(ct))
        {
            await using var scope = scopes.CreateAsyncScope();
            foreach (var due in await DueAsync(Narrowed(scope.ServiceProvider, region), region, ct))
                await MakeAsync(due, ct);
        }
    }

    /// <summary>A context of <paramref name="services"/> that reads what the region's own people read.</summary>
    private FleetDbContext Narrowed(IServiceProvider services, Region region)
    {
        var context = services.GetRequiredService<FleetDbContext>();
        if (region.Id != root.Id) context.NarrowTo(RegionScope.Of(region));
        return context;
    }

    private async Task<List<Due>> DueAsync(FleetDbContext db, Region region, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(local.ToLocal(clock.GetUtcNow().UtcDateTime));
        // A month is archived some days after it ends, once what was entered late for it is in.
        var settled = today.AddDays(-Math.Max(0, options.Value.ArchiveAfterDays));
        var lastClosed = new DateOnly(settled.Year, settled.Month, 1).AddMonths(-1);
        var first = lastClosed.AddMonths(1 - Math.Max(1, options.Value.ArchiveMonths));
        // Nothing before the first record: a new district does not get two years of empty reports.
        var earliest = new[]
        {
            await db.Violations.MinAsync(v => (DateTime?)v.DetectedAt, ct),
            await db.SpotChecks.MinAsync(s => (DateTime?)s.CheckedAt, ct),
            await db.SealUpSchedules.MinAsync(s => (DateTime?)s.ReleaseAt, ct),
            await db.RecoveryCases.MinAsync(r => (DateTime?)r.OpenedAt, ct),
        }.Where(d => d is not null).Select(d => DateOnly.FromDateTime(local.ToLocal(d!.Value))).DefaultIfEmpty(today).Min();
        if (new DateOnly(earliest.Year, earliest.Month, 1) > first) first = new DateOnly(earliest.Year, earliest.Month, 1);

        var made = (await db.ArchivedReports.AsNoTracking().Where(a => a.RegionId == region.Id).Select(a => new { a.Month, a.Report, a.Subject }).ToListAsync(ct))
            .Select(a => (a.Month, a.Report, a.Subject)).ToHashSet();
        var due = new List<Due>();
        for (var month = first; month <= lastClosed; month = month.AddMonths(1))
        {
            var name = month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var from = month.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var to = month.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var of = region.Id == root.Id ? "" : "-" + region.CodeText;
            due.Add(new Due(name, "violations", "", new() { ["from"] = from, ["to"] = to }, $"violations-{name}{of}", region));
            due.Add(new Due(name, "spot-checks", "", new() { ["from"] = from, ["to"] = to }, $"spot-checks-{name}{of}", region));
            // Rates are a standing figure, not a month's: kept as they stand when the month has just closed, with that time.
            if (month == lastClosed)
            {
                var asOf = local.ToLocal(clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                due.Add(new Due(name, "recovery-rates", "", new() { ["asOf"] = asOf }, $"recovery-rates-{name}{of}", region));
            }
            var range = local.ParseRange(from, to);
            var schedules = await db.SealUpSchedules.AsNoTracking()
                .Where(s => s.ReleaseAt >= range.From && s.ReleaseAt < range.To).OrderBy(s => s.ReleaseAt)
                .Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s.Id, h.Name }).ToListAsync(ct);
            due.AddRange(schedules.Select(s => new Due(name, "sealup-compliance", s.Id.ToString(), new() { ["scheduleId"] = s.Id.ToString() },
                $"sealup-compliance-{name}-{string.Concat(s.Name.Where(c => !Path.GetInvalidFileNameChars().Contains(c)))}{of}", region)));
        }
        return due.Where(d => !made.Contains((d.Month, d.Report, d.Subject))).ToList();
    }

    private async Task MakeAsync(Due due, CancellationToken ct)
    {
        // Each report in a scope of its own, through the handler a download calls.
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var reportDb = Narrowed(services, due.Region);
        var report = services.GetRequiredService<ReportFile>();
        var f = due.Filters;
        IResult result = due.Report switch
        {
            "violations" => (await ViolationsReport.Handle(f["from"], f["to"], null, null, null, reportDb, report, ct)).Result,
            "spot-checks" => (await SpotChecksReport.Handle(f["from"], f["to"], null, reportDb, report, ct)).Result,
            "recovery-rates" => (await RecoveryRatesReport.Handle(null, reportDb, report, ct)).Result,
            _ => (await SealUpComplianceReport.Handle(Guid.Parse(due.Subject), reportDb, report, clock, ct)).Result,
        };
        if (result is not FileStreamHttpResult file)
        {
            logger.LogWarning("The {Report} report of {Month} was not archived: {Result}", due.Report, due.Month, result.GetType().Name);
            return;
        }

        var archive = PathOf(options.Value, fleet.Value);
        PrivateFiles.Tighten(archive);
        var folder = Path.Combine(archive, due.Month);
        PrivateFiles.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Guid.NewGuid():N}.tmp");
        string? stored = null;
        var recorded = false;
        try
        {
            stored = await StoreAsync(file, temporary, folder, ct);
            recorded = await RecordAsync(due, stored, ct);
        }
        finally
        {
            // Nothing is left behind by a failure or a lost race: no temporary file, no file without its record.
            File.Delete(temporary);
            if (stored is not null && !recorded) File.Delete(stored);
        }
    }

    /// <summary>Copies the report into the archive folder while hashing it; returns the file, named by its SHA-256.</summary>
    private static async Task<string> StoreAsync(FileStreamHttpResult file, string temporary, string folder, CancellationToken ct)
    {
        string sha;
        await using (var source = file.FileStream)
        await using (var target = PrivateFiles.Create(temporary, bufferSize: 1 << 16, options: FileOptions.Asynchronous))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            await target.FlushAsync(ct);
            sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        var stored = Path.Combine(folder, sha + ".xlsx");
        File.Move(temporary, stored, overwrite: true);
        return stored;
    }

    /// <summary>Records the stored file; false when another instance recorded this report first (with other bytes).</summary>
    private async Task<bool> RecordAsync(Due due, string stored, CancellationToken ct)
    {
        var sha = Path.GetFileNameWithoutExtension(stored);
        db.ArchivedReports.Add(new ArchivedReport
        {
            Month = due.Month,
            Report = due.Report,
            Subject = due.Subject,
            Filters = JsonSerializer.Serialize(due.Filters),
            FileName = due.Name + ".xlsx",
            Sha256 = sha,
            Size = new FileInfo(stored).Length,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedBy = actor.Name,
            RegionId = due.Region.Id,
            RegionCode = due.Region.Code,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another instance archived it first: theirs stands, ours goes (unless both made the very same bytes).
            db.ChangeTracker.Clear();
            var theirs = await db.ArchivedReports.AsNoTracking()
                .Where(a => a.Month == due.Month && a.Report == due.Report && a.Subject == due.Subject && a.RegionId == due.Region.Id).Select(a => a.Sha256).FirstAsync(ct);
            return theirs == sha;
        }
    }
}

/// <summary>The reports area's jobs.</summary>
public static class ReportJobs
{
    public static IServiceCollection AddReportJobs(this IServiceCollection services) =>
        services.AddFleetJob<ReportArchive>(ReportArchive.Id,
            new JobText("报表月度归档", "每月为各级行政区划生成上月的违规明细、抽查记录、封存合规和追缴率报表并存档，漏跑的月份下次补齐。"), o => o.ReportArchiveCron, j => j.RunAsync(CancellationToken.None), "report-archive");
}
