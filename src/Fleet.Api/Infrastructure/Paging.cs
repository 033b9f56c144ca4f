using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure;

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>The paging every list takes: page from 1, pageSize 1..500 (default 50).</summary>
public sealed record PageQuery(int? Page, int? PageSize)
{
    public const int MaxPageSize = 500;

    public int PageOrDefault => Page ?? 1;
    public int SizeOrDefault => PageSize ?? 50;

    public Dictionary<string, string[]>? Errors()
    {
        var errors = new Dictionary<string, string[]>();
        if (PageOrDefault < 1) errors["page"] = ["page starts at 1."];
        if (SizeOrDefault is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        else if ((long)(PageOrDefault - 1) * SizeOrDefault > int.MaxValue) errors["page"] = ["page is beyond any list."];
        return errors.Count == 0 ? null : errors;
    }

    public async Task<Paged<T>> ApplyAsync<T>(IQueryable<T> ordered, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip((PageOrDefault - 1) * SizeOrDefault).Take(SizeOrDefault).ToListAsync(ct);
        return new Paged<T>(items, PageOrDefault, SizeOrDefault, total);
    }
}
