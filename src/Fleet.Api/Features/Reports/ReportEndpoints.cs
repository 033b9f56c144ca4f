using Fleet.Api.Infrastructure;
using Fleet.Data.Entities;

namespace Fleet.Api.Features.Reports;

public static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        // Reports are for those who read across units: a unit's vehicle administrator is refused.
        var group = app.MapGroup("/api/reports").WithTags("Reports").AllowRoles(Role.Auditor, Role.Inspector, Role.Admin);
        group.MapGet("/recovery-rates.xlsx", RecoveryRatesReport.Handle);
        group.MapGet("/violations.xlsx", ViolationsReport.Handle);
        group.MapGet("/sealup-compliance.xlsx", SealUpComplianceReport.Handle);
        group.MapGet("/spot-checks.xlsx", SpotChecksReport.Handle);
    }

}
