namespace Fleet.Api.Infrastructure;

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    /// <summary>The same page with each item mapped (rows to an endpoint's DTOs).</summary>
    public Paged<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), Page, PageSize, Total);
}

/// <summary>The paging every list takes: page from 1, pageSize 1..500 (default 50).</summary>
public sealed record PageQuery(int? Page, int? PageSize)
{
    public const int MaxPageSize = 500;

    public int PageOrDefault => Page ?? 1;
    public int SizeOrDefault => PageSize ?? 50;

    public FieldErrors? Errors()
    {
        var errors = new FieldErrors();
        if (PageOrDefault < 1) errors.Add("page", "Request.PageStart");
        if (SizeOrDefault is < 1 or > MaxPageSize) errors.Add("pageSize", "Request.PageSize", ("max", MaxPageSize));
        else if ((long)(PageOrDefault - 1) * SizeOrDefault > int.MaxValue) errors.Add("page", "Request.PageBeyond");
        return errors.OrNull();
    }

    /// <summary>The page asked for, as the queries take it (valid only when <see cref="Errors"/> is null).</summary>
    public PageRequest ToRequest() => new(PageOrDefault, SizeOrDefault);

    public Task<Paged<T>> ApplyAsync<T>(IQueryable<T> ordered, CancellationToken ct) => ToRequest().ApplyAsync(ordered, ct);
}

/// <summary>
/// One page of an ordered query: a number from 1 and a size. The API answers a number past the end with no rows;
/// the workspace's pager (<paramref name="LastIfBeyond"/>) shows the last page instead.
/// </summary>
public sealed record PageRequest(int Number, int Size, bool LastIfBeyond = false)
{
    public async Task<Paged<T>> ApplyAsync<T>(IQueryable<T> ordered, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var number = LastIfBeyond ? Math.Clamp(Number, 1, Math.Max(1, (total + Size - 1) / Size)) : Number;
        var items = await ordered.Skip((number - 1) * Size).Take(Size).ToListAsync(ct);
        return new Paged<T>(items, number, Size, total);
    }
}
