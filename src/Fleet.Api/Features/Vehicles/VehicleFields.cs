using System.Text.RegularExpressions;
using FluentValidation;

namespace Fleet.Api.Features.Vehicles;

/// <summary>The fields of a vehicle as a client sends them: by POST, by PUT, or as one row of an import workbook.</summary>
public sealed record VehicleRequest(
    string? PlateNumber, string? Vin, string? Make, string? Model, VehicleCategory? Category,
    decimal? EngineDisplacement, decimal? PurchasePrice, DateOnly? AcquiredOn, VehicleSource? Source, Guid? UnitId,
    string? FuelCardNumber = null);

// FuelCardNumber is optional and, on PUT, kept when absent (a client of v1 does not know it); "" removes it.

/// <summary>The one validator for a vehicle's fields; registration, editing and import all use it.</summary>
public sealed class VehicleRequestValidator : RequestValidator<VehicleRequest>
{
    public static readonly DateOnly EarliestAcquisition = new(1980, 1, 1);

    public VehicleRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.PlateNumber).NotEmpty().MaximumLength(32)
            .Must(p => Plates.IsValid(Plates.Normalise(p)))
            .Refuse("Vehicles.PlateFormat");
        RuleFor(r => r.Vin).NotEmpty().MaximumLength(32)
            .Must(v => Vins.IsValid(Vins.Normalise(v)))
            .Refuse("Vehicles.VinFormat");
        RuleFor(r => r.Make).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Model).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Category).NotNull();
        RuleFor(r => r.Source).NotNull();
        RuleFor(r => r.UnitId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.EngineDisplacement).NotNull().InclusiveBetween(0m, 20m)
            .Must(d => d is null || decimal.Round(d.Value, 2) == d.Value).Refuse("Vehicles.Displacement");
        RuleFor(r => r.PurchasePrice).NotNull().InclusiveBetween(0m, 100_000_000m)
            .Must(p => p is null || decimal.Round(p.Value, 2) == p.Value).Refuse("Vehicles.Price");
        RuleFor(r => r.AcquiredOn).NotNull()
            .Must(d => d is null || d.Value >= EarliestAcquisition).Refuse("Vehicles.AcquiredTooEarly", ("day", EarliestAcquisition.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))
            .Must(d => d is null || d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(1)))
            .Refuse("Common.InFuture");
        RuleFor(r => r.FuelCardNumber).Must(c => c is null || FuelCards.Normalise(c) is var n && (n.Length == 0 || FuelCards.IsValid(n)))
            .Refuse("Vehicles.FuelCardFormat");
    }
}

/// <summary>Fuel card numbers as printed (1000 1134 0000 1234 567) and as the card companies' exports write them, alike.</summary>
public static partial class FuelCards
{
    public static string Normalise(string? card) =>
        card is null ? "" : new string(PlainText.Halfwidth(card).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();

    public static bool IsValid(string normalised) => Pattern().IsMatch(normalised);

    [GeneratedRegex("^[0-9A-Z]{6,32}$")]
    private static partial Regex Pattern();
}

public static partial class Plates
{
    private const string Provinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

    /// <summary>
    /// Upper case, half-width, without spaces, middle dots or dashes: "粤b·12345", "粤B 12345" and "粤Ｂ１２３４５" are the same plate.
    /// </summary>
    public static string Normalise(string? plate) =>
        plate is null ? "" : new string(PlainText.Halfwidth(plate).Where(c => !char.IsWhiteSpace(c) && c is not ('·' or '•' or '-' or '.' or '・')).ToArray()).ToUpperInvariant();

    public static bool IsValid(string normalised) => Pattern().IsMatch(normalised);

    /// <summary>Keeps the rows whose plate contains the normalised search text anywhere ("12345" finds 鲁A12345); no search keeps all.</summary>
    public static IQueryable<T> WherePlateContains<T>(this IQueryable<T> query, System.Linq.Expressions.Expression<Func<T, string?>> plate, string? search)
    {
        if (string.IsNullOrWhiteSpace(search)) return query;
        var text = new Search(Normalise(search));
        var contains = System.Linq.Expressions.Expression.Call(plate.Body, typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!,
            System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Constant(text), nameof(Search.Text)));
        return query.Where(System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(contains, plate.Parameters));
    }

    // A captured value, so that EF sends the search text as a parameter rather than a literal.
    private sealed record Search(string Text);

    [GeneratedRegex("^[" + Provinces + "][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}警)$")]
    private static partial Regex Pattern();
}

public static class Vins
{
    private static readonly int[] Weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

    public static string Normalise(string? vin) => PlainText.Halfwidth(vin).Trim().ToUpperInvariant();

    public static bool IsValid(string vin) =>
        vin.Length == 17 && vin.All(c => Value(c) >= 0) && vin[8] == CheckDigit(vin);

    /// <summary>ISO 3779 / GB 16735 check digit: the weighted sum of the transliterated characters, modulo 11 ('X' for 10).</summary>
    public static char CheckDigit(string vin)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Value(vin[i]) * Weights[i];
        var r = sum % 11;
        return r == 10 ? 'X' : (char)('0' + r);
    }

    private static int Value(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'H' => c - 'A' + 1,
        >= 'J' and <= 'N' => c - 'J' + 1,
        'P' => 7,
        'R' => 9,
        >= 'S' and <= 'Z' => c - 'S' + 2,
        _ => -1,
    };
}
