using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure;

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

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

    public async Task<Paged<T>> ApplyAsync<T>(IQueryable<T> ordered, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip((PageOrDefault - 1) * SizeOrDefault).Take(SizeOrDefault).ToListAsync(ct);
        return new Paged<T>(items, PageOrDefault, SizeOrDefault, total);
    }
}
