namespace Fleet.Api.Features.Reports;

/// <summary>
/// The region a report covers (the caller's, or the one named by <c>regionId=</c>: the context is narrowed to it) and the
/// regions directly below it. Each report names the region in its filter line and, when regions hang below it, gains a
/// first sheet (按行政区划) with a row per region below, its whole subtree folded in, the units directly in the region
/// as one row, and a 合计 row: a city's auditor compares her districts in the meeting's workbook.
/// </summary>
public sealed class ReportRegions
{
    private readonly Dictionary<Guid, int> rowOfUnit = [];
    private readonly Dictionary<string, int> rowOfCode = new(StringComparer.Ordinal);
    private readonly List<(string Code, string Name)> rows = [];

    public string Name { get; private init; } = "";
    public bool HasChildren => rows.Count > 1;

    public static async Task<ReportRegions> LoadAsync(FleetDbContext db, RootRegion root, CancellationToken ct)
    {
        var code = db.Scope?.Code ?? root.Code;
        var region = await db.Regions.AsNoTracking().Where(r => r.Code == code).Select(r => new { r.Id, r.Name }).FirstAsync(ct);
        var children = await db.Regions.AsNoTracking().Where(r => r.ParentId == region.Id).OrderBy(r => r.Code).ToListAsync(ct);
        var result = new ReportRegions { Name = region.Name };
        var scopes = children.Select(c => RegionScope.Of(c)).ToList();
        foreach (var c in children) result.rows.Add((c.CodeText, c.Name));
        result.rows.Add(("", "本级直属单位"));
        // The units of the report's region, at most a province's ten thousand: each to the row of the region below it.
        foreach (var unit in await db.Units.AsNoTracking().Select(u => new { u.Id, u.Code, u.RegionCode }).ToListAsync(ct))
        {
            var index = scopes.FindIndex(s => s.Contains(unit.RegionCode));
            result.rowOfUnit[unit.Id] = result.rowOfCode[unit.Code] = index < 0 ? children.Count : index;
        }
        return result;
    }

    /// <summary>The filter line's entry for the region.</summary>
    public (string Name, string? Value) Filter => ("行政区划", Name);

    /// <summary>
    /// The 按行政区划 sheet, first of the workbook: <paramref name="headers"/> are the counted columns, summed from
    /// <paramref name="perUnit"/>; <paramref name="rate"/> (optional) computes a rate column from a row's sums.
    /// </summary>
    public void Sheet(XlsxWriter w, ReportFile report, string title, string filters, string[] headers, IEnumerable<(Guid Unit, long[] Values)> perUnit,
        (string Header, Func<long[], decimal?> Of)? rate = null) =>
        Write(w, report, title, filters, headers, perUnit.Select(u => (rowOfUnit.TryGetValue(u.Unit, out var row) ? row : -1, u.Values)), rate);

    /// <summary>As <see cref="Sheet"/>, with the units named by their (unique) code.</summary>
    public void SheetByCode(XlsxWriter w, ReportFile report, string title, string filters, string[] headers, IEnumerable<(string UnitCode, long[] Values)> perUnit,
        (string Header, Func<long[], decimal?> Of)? rate = null) =>
        Write(w, report, title, filters, headers, perUnit.Select(u => (rowOfCode.TryGetValue(u.UnitCode, out var row) ? row : -1, u.Values)), rate);

    private void Write(XlsxWriter w, ReportFile report, string title, string filters, string[] headers, IEnumerable<(int Row, long[] Values)> perUnit,
        (string Header, Func<long[], decimal?> Of)? rate)
    {
        if (!HasChildren) return;
        var sums = rows.Select(_ => new long[headers.Length]).ToList();
        foreach (var (row, values) in perUnit)
        {
            if (row < 0) continue;
            for (var i = 0; i < headers.Length; i++) sums[row][i] += values[i];
        }
        report.StartSheet(w, "按行政区划", title + "（按行政区划）", filters,
            [new("区划代码", 10), new("行政区划", 14), .. headers.Select(h => new Column(h, 8)), .. rate is { } r ? [new Column(r.Header, 9)] : Array.Empty<Column>()],
            position: -1);
        var total = new long[headers.Length];
        for (var row = 0; row < rows.Count; row++)
        {
            if (row == rows.Count - 1 && sums[row].All(v => v == 0)) continue; // no unit directly in the region
            Row(w, rows[row].Code, rows[row].Name, sums[row], rate, false);
            for (var i = 0; i < headers.Length; i++) total[i] += sums[row][i];
        }
        w.EndTable();
        Row(w, "合计", null, total, rate, true);
    }

    private static void Row(XlsxWriter w, string code, string? name, long[] values, (string Header, Func<long[], decimal?> Of)? rate, bool total)
    {
        w.StartRow();
        w.Text(code, total ? CellStyle.Label : CellStyle.Text);
        w.Text(name);
        foreach (var value in values) w.Number(value, total ? CellStyle.TotalInteger : CellStyle.Integer);
        if (rate is { } r) w.Number(r.Of(values), total ? CellStyle.TotalPercent : CellStyle.Percent);
    }
}
