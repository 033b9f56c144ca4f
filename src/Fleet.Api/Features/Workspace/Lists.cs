using System.Globalization;

namespace Fleet.Api.Features.Workspace;

/// <summary>Where a list stands: the page shown, how many pages, how many rows in all (the pager partial reads it).</summary>
public sealed record Pager(int Page, int Pages, int Total);

public sealed record UnitOption(Guid Id, string Code, string Name);

/// <summary>What the inspector's lists share: 50 rows a page, the units to filter by, dates as people type them.</summary>
public static class Lists
{
    public const int Size = 50;

    /// <summary>A page's paging and dates from its query string (50 rows a page); a bad date is said in Chinese and filters nothing.</summary>
    public static ListBinding Bind(ListArgs args, LocalTime local, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, bool lastIfBeyond = true)
    {
        var binding = args.BindDays(local, lastIfBeyond);
        if (binding.Dates is { } error) state.AddModelError("", error == DateError.NotADay ? "日期格式应为 yyyy-MM-dd。" : "结束日期早于开始日期。");
        return binding;
    }

    /// <summary>A page's paging and dates as its query string gives them.</summary>
    public static ListArgs Args(HttpRequest request) => ListArgs.Read(request.Query, Size);

    /// <summary>The pager under a list of rows.</summary>
    public static Pager PagerOf<T>(Paged<T> page) => new(page.Page, Math.Max(1, (page.Total + page.PageSize - 1) / page.PageSize), page.Total);

    /// <summary>The units a caller may filter by: none for a unit-bound caller (they see only their own).</summary>
    public static async Task<List<UnitOption>> UnitsAsync(FleetDbContext db, Caller caller, CancellationToken ct) =>
        caller.IsUnitBound ? [] : await db.Units.AsNoTracking().OrderBy(u => u.Code).Select(u => new UnitOption(u.Id, u.Code, u.Name)).ToListAsync(ct);

    /// <summary>Unit names by id, for the rows shown.</summary>
    public static Task<Dictionary<Guid, string>> UnitNamesAsync(FleetDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return db.Units.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }

    public static string Local(this LocalTime local, DateTime utc) => local.ToLocal(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Day(this LocalTime local, DateTime utc) => local.ToLocal(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An enum from a query value (its name or its Chinese label); anything else is no filter.</summary>
    public static T? Parse<T>(string? value) where T : struct, Enum =>
        Labels.TryParse<T>(value?.Trim(), out var parsed) ? parsed : null;

    /// <summary>Of the query's values that do not parse (a hand-edited URL), a date is shown as an error in Chinese; the rest are left out.</summary>
    public static void DatesOnly(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state)
    {
        var dates = state.Where(e => e.Value?.Errors.Count > 0).Select(e => e.Key.ToLowerInvariant()).Where(k => k is "from" or "to").ToList();
        state.Clear();
        foreach (var key in dates) state.AddModelError(key, $"{(key == "from" ? "开始日期" : "结束日期")}请按 2027-02-05 的格式填写。");
    }
}
