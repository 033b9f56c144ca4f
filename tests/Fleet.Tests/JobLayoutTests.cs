using System.Text.RegularExpressions;
using Fleet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests;

/// <summary>Jobs live in their areas: Features/Jobs keeps Hangfire's registration plumbing and names no area.</summary>
public class JobLayoutTests
{
    [Fact]
    public void Jobs_plumbing_names_no_area()
    {
        var folder = Path.Combine(Repository.Root, "src", "Fleet.Api", "Features", "Jobs");
        foreach (var file in Directory.GetFiles(folder, "*.cs"))
        {
            // Comments may say where a job went; code may not reach into an area.
            var code = string.Join("\n", File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("//")));
            Assert.DoesNotMatch(new Regex(@"Features\.(?!Jobs\b)\w+|\b(SealUp|Recoveries|Reports|Usage)\.\w"), code);
            Assert.DoesNotMatch(new Regex(@"\b(SealUpReconcile|HolidayReminders|RecoveryOverdue|ReportArchive|UsageCheck)\b"), code);
        }
    }

    [Fact]
    public async Task Every_job_is_scheduled_under_its_stable_id()
    {
        await using var factory = new FleetFactory();
        using var scope = factory.Services.CreateScope();
        var ids = scope.ServiceProvider.GetServices<Fleet.Api.Features.Jobs.JobRegistration>().Select(j => j.Id).Order().ToList();
        Assert.Equal(["holiday-reminders", "idempotency-prune", "recovery-overdue", "reminder-delivery", "report-archive", "sealup-reconcile", "usage-check"], ids);
    }
}
