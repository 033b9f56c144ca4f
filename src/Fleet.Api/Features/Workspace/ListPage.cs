using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// A list page filtered by days, unit and plate (spot checks, violations, usage records): its filters as the query
/// string gives them, one page of the rows its area's query returns, the pager under them and the units to choose from.
/// </summary>
public abstract class ListPage<TRow>(FleetDbContext db, LocalTime local) : WorkspacePage
{
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? UnitId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plate { get; set; }

    public IReadOnlyList<TRow> Rows { get; private set; } = [];
    public Pager Pager { get; private set; } = new(1, 1, 0);
    public List<UnitOption> Units { get; private set; } = [];

    protected LocalTime Local { get; } = local;

    /// <summary>Reads the page and the days (a bad day is said in Chinese and filters nothing), then lists through <paramref name="list"/>.</summary>
    protected async Task ListAsync(Func<ListBinding, Task<Paged<TRow>>> list, CancellationToken ct)
    {
        ModelState.Clear();
        var page = await list(Lists.Bind(Lists.Args(Request) with { From = From, To = To }, Local, ModelState));
        (Rows, Pager) = (page.Items, Lists.PagerOf(page));
        Units = await Lists.UnitsAsync(db, Caller, ct);
    }
}
