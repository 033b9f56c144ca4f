using System.Globalization;
using System.Linq.Expressions;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// What every list reads from its query string, the endpoint and the page alike: page, pageSize, from and to. An
/// endpoint has them bound by minimal APIs (its parameters are what the OpenAPI document and the generated client
/// name, so they stay as they are); a page reads them with <see cref="Read"/>. <see cref="Bind"/> turns them into the
/// page asked for and the range in UTC, and names each bad value by its field: the endpoint answers those with a 400,
/// the page shows them in Chinese.
/// </summary>
public sealed record ListArgs(PageQuery Paging, string? From, string? To)
{
    /// <summary>From a page's query string: "page" is read by hand (it is also Razor Pages' route value naming the
    /// page, which binding would take first); a page keeps its own page size.</summary>
    public static ListArgs Read(IQueryCollection query, int pageSize) =>
        new(new PageQuery(Number(query["page"]), pageSize), Text(query["from"]), Text(query["to"]));

    /// <summary>The first value of a query field; null when absent.</summary>
    public static string? Text(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 0 ? null : values[0];

    public static int? Number(Microsoft.Extensions.Primitives.StringValues values) =>
        int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>For an endpoint: dates or instants; a page number or size out of range is an error.</summary>
    public ListBinding Bind(LocalTime local) => Bind(local, daysOnly: false, Paging.ToRequest());

    /// <summary>
    /// For a page: dates as a date input sends them (yyyy-MM-dd); a page number below 1 is the first page and, with
    /// <paramref name="lastIfBeyond"/>, one past the end is the last.
    /// </summary>
    public ListBinding BindDays(LocalTime local, bool lastIfBeyond = true) => Bind(local, daysOnly: true, PageShown(lastIfBeyond));

    /// <summary>A page's page: a number below 1 is the first; with <paramref name="lastIfBeyond"/>, one past the end is the last.</summary>
    public PageRequest PageShown(bool lastIfBeyond = true) => new(Math.Max(1, Paging.PageOrDefault), Paging.SizeOrDefault, lastIfBeyond);

    private ListBinding Bind(LocalTime local, bool daysOnly, PageRequest page)
    {
        var errors = Paging.Errors();
        var none = new TimeRange(null, null, null);
        if (daysOnly && (!IsDay(From) || !IsDay(To))) return new ListBinding(page, none, errors, DateError.NotADay);
        var range = local.ParseRange(From, To);
        return range.Errors is null
            ? new ListBinding(page, range, errors, null)
            : new ListBinding(page, none, errors ?? range.Errors, DateError.Refused);
    }

    public static bool IsDay(string? s) =>
        string.IsNullOrEmpty(s) || DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
}

/// <summary>What was wrong with a from/to pair: a value that is not a date, or one the range refused (to before from).</summary>
public enum DateError { NotADay, Refused }

/// <summary>A list's arguments as read: the page, the range (none when the dates were refused), the API's errors by
/// field (paging before dates, as the API has always answered), and what was wrong with the dates, for a page to say.</summary>
public sealed record ListBinding(PageRequest Page, TimeRange Range, FieldErrors? Errors, DateError? Dates);

public static class TimeRanges
{
    /// <summary>Keeps the rows whose instant lies in [From, To); a missing bound (or range) is no bound.</summary>
    public static IQueryable<T> Within<T>(this IQueryable<T> query, TimeRange? range, Expression<Func<T, DateTime>> at)
    {
        if (range?.From is { } from) query = query.Where(Compare(at, from, Expression.GreaterThanOrEqual));
        if (range?.To is { } to) query = query.Where(Compare(at, to, Expression.LessThan));
        return query;
    }

    // The bound goes through a closure's field, as a captured variable would, so that the database sees a parameter.
    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, DateTime>> at, DateTime bound, Func<Expression, Expression, BinaryExpression> op) =>
        Expression.Lambda<Func<T, bool>>(op(at.Body, Expression.Field(Expression.Constant(new Bound(bound)), nameof(Bound.Value))), at.Parameters);

    private sealed class Bound(DateTime value)
    {
        public readonly DateTime Value = value;
    }
}
