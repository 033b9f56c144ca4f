namespace Fleet.Api.Features.Workspace;

/// <summary>The workspace's sections and who sees each: a role sees the sections whose work it may do or read.</summary>
public static class Navigation
{
    public sealed record Section(string Label, string Path, Role[] Roles);

    private static readonly Role[] Everyone = [Role.Admin, Role.VehicleAdmin, Role.Inspector, Role.Auditor];

    public static readonly Section[] Sections =
    [
        new("车辆", "/vehicles", Everyone),
        new("封存", "/sealup", Everyone),
        new("抽查", "/spot-checks", [Role.Admin, Role.Inspector, Role.Auditor]),
        new("违规", "/violations", Everyone),
        new("用车记录", "/usage", Everyone),
        new("追缴", "/recoveries", Everyone),
        new("报表", "/reports", [Role.Admin, Role.Inspector, Role.Auditor]),
        new("单位", "/units", [Role.Admin, Role.Auditor]),
        new("行政区划", "/regions", [Role.Admin, Role.Inspector, Role.Auditor]),
        new("用户", "/users", [Role.Admin]),
        new("审计", "/audit", [Role.Admin, Role.Auditor]),
        new("后台任务", "/jobs", [Role.Admin]),
    ];

    public static IEnumerable<Section> For(Role role) => Sections.Where(s => s.Roles.Contains(role));
}
