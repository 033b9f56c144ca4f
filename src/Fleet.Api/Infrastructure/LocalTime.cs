using System.Globalization;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Infrastructure;

/// <summary>The configured local time zone: holidays, deadlines, date filters and reports are in it; storage is UTC.</summary>
public sealed class LocalTime(IOptions<FleetOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateTime ToUtc(DateOnly day, TimeOnly time) =>
        InstantToUtc(day.ToDateTime(time, DateTimeKind.Unspecified));

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Zone);

    /// <summary>An instant from a request: UTC ("Z" or an offset) as given; a time without either is local time in the configured zone.</summary>
    public DateTime InstantToUtc(DateTime value)
    {
        // At the edges of the calendar a conversion would fall outside DateTime; such values are refused by range checks anyway.
        if (value.Year is < 2 or > 9998) return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        return value.Kind switch
        {
            DateTimeKind.Utc => value,
            DateTimeKind.Local => value.ToUniversalTime(),
            _ => TimeZoneInfo.ConvertTimeToUtc(value, Zone),
        };
    }

    /// <summary>
    /// A from/to query bound: a date (yyyy-MM-dd) is a whole local day, so "to" takes the day in;
    /// an instant (ISO 8601 with offset or Z) is taken as given. Returns false for anything else.
    /// </summary>
    public bool TryParseBound(string? text, bool upper, out DateTime? utc)
    {
        utc = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            utc = upper && day == DateOnly.MaxValue ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc) : ToUtc(upper ? day.AddDays(1) : day, TimeOnly.MinValue);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            utc = instant.UtcDateTime;
            return true;
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var edge))
        {
            // Instants whose offset would carry them past the calendar's ends.
            utc = DateTime.SpecifyKind(edge, DateTimeKind.Utc);
            return true;
        }
        return false;
    }

    /// <summary>Parses a from/to pair into [From, To) in UTC; Errors names the bad field, or is null.</summary>
    public TimeRange ParseRange(string? from, string? to)
    {
        var errors = new FieldErrors();
        if (!TryParseBound(from, upper: false, out var fromUtc)) errors.Add("from", "Request.DateOrInstant");
        if (!TryParseBound(to, upper: true, out var toUtc)) errors.Add("to", "Request.DateOrInstant");
        if (errors.Count == 0 && fromUtc > toUtc) errors.Add("to", "Request.ToBeforeFrom");
        return new TimeRange(fromUtc, toUtc, errors.OrNull());
    }
}

public sealed record TimeRange(DateTime? From, DateTime? To, FieldErrors? Errors);
