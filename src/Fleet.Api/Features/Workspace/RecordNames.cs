namespace Fleet.Api.Features.Workspace;

/// <summary>
/// How a record that a system reason refers to is named for people (<see cref="Chinese.Recorded"/>): a recovery case by
/// its campaign, a correcting spot check and an exemption by their time, never by id.
/// </summary>
public static class RecordNames
{
    /// <summary>The names of the records with these ids (read in the context's scope).</summary>
    public static async Task<Func<Guid, string?>> OfAsync(FleetDbContext db, LocalTime local, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var names = new Dictionary<Guid, string>();
        if (ids.Count == 0) return _ => null;
        foreach (var c in await Cases(db, db.RecoveryCases.AsNoTracking().Where(c => ids.Contains(c.Id))).ToListAsync(ct))
            names[c.Id] = c.Name;
        foreach (var s in await db.SpotChecks.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.CheckedAt, s.RecordedBy }).ToListAsync(ct))
            names[s.Id] = $"{s.RecordedBy} {local.Local(s.CheckedAt)} 的更正抽查";
        foreach (var e in await db.Exemptions.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.RequestedAt, e.RequestedBy }).ToListAsync(ct))
            names[e.Id] = $"{e.RequestedBy} {local.Local(e.RequestedAt)} 提出的豁免申请";
        return id => names.GetValueOrDefault(id);
    }

    /// <summary>Every recovery case by its campaign: for a report that names the cases of many rows (cases are few).</summary>
    public static async Task<Func<Guid, string?>> CasesAsync(FleetDbContext db, CancellationToken ct)
    {
        var names = (await Cases(db, db.RecoveryCases.AsNoTracking()).ToListAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
        return id => names.GetValueOrDefault(id);
    }

    private sealed record CaseName(Guid Id, string Name);

    /// <summary>Recovery cases named by their campaign ("…追缴案件").</summary>
    private static IQueryable<CaseName> Cases(FleetDbContext db, IQueryable<RecoveryCase> cases) =>
        cases.Join(db.Campaigns.AsNoTracking(), c => c.CampaignId, m => m.Id, (c, m) => new CaseName(c.Id, m.Name + "追缴案件"));

    /// <summary>The ids a stored reason mentions.</summary>
    public static Guid[] IdsIn(string? text) =>
        text is null ? [] : [.. System.Text.RegularExpressions.Regex.Matches(text, "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
            .Select(m => Guid.Parse(m.Value))];
}
