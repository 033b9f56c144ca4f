using System.Globalization;
using Fleet.Api.Features.Recoveries;
using Fleet.Api.Features.SealUp;
using Fleet.Api.Features.SpotChecks;
using Fleet.Api.Features.Violations;
using FluentValidation;

namespace Fleet.Api.Demo;

/// <summary>
/// The demo's inspection and clean-up history (seeds/campaigns.csv, recoveries.csv, spot-checks.csv, actions.csv),
/// entered through the rules the API uses, as the demo inspector, each at the time it happened: round one opened its
/// cases and recovered them months ago; round two is in progress. The district report's figures (39 illegal vehicles
/// of 24 units recovered, 100 %; 3 persons admonished, 1 disciplined) then come out of the records.
/// </summary>
public sealed class DemoReport(FleetDbContext db, IServiceProvider services, LocalTime local, ReplayClock clock)
{
    private static readonly Caller Inspector = new(Guid.Empty, "inspector", Role.Inspector, null);

    public async Task SeedAsync(string directory, IReadOnlyDictionary<string, Unit> units, IReadOnlyDictionary<string, Guid> regions, CancellationToken ct)
    {
        // From the seeder's scope, whose clock is the replay clock.
        var checkRules = services.GetRequiredService<SpotCheckRules>();
        var violations = services.GetRequiredService<ViolationRules>();
        var recoveries = services.GetRequiredService<RecoveryRules>();

        var campaigns = new Dictionary<string, Guid>();
        foreach (var row in Csv.Read(Path.Combine(directory, "campaigns.csv")))
        {
            var region = regions[row["regionCode"]];
            await Valid(new CampaignEndpoints.Request(row["name"], Day(row["startsOn"]), Day(row["endsOn"]), region));
            At(Day(row["startsOn"]).AddDays(-7), new TimeOnly(9, 0));
            campaigns[row["name"]] = Expect(await recoveries.CreateCampaignAsync(DemoSeeder.Admin, row["name"], Day(row["startsOn"]), Day(row["endsOn"]), ct, region)).Id;
        }

        var checks = new Dictionary<string, SpotCheck>();
        foreach (var row in Csv.Read(Path.Combine(directory, "spot-checks.csv")))
        {
            var checkedAt = DateTime.Parse(row["checkedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            var registered = await db.Vehicles.AnyAsync(v => v.PlateNumber == row["plateNumber"], ct);
            var request = new SpotCheckEndpoints.Request(null, row["plateNumber"], registered ? null : units[row["unitCode"]].Id, checkedAt,
                row["location"], Enum.Parse<SpotCheckFinding>(row["finding"]), row["notes"] is { Length: > 0 } n ? n : null, null);
            await Valid(request);
            clock.Now = new DateTimeOffset(checkedAt.AddMinutes(20), TimeSpan.Zero);
            checks[row["plateNumber"]] = Expect(await checkRules.RecordAsync(Inspector, new SpotCheckInput(request.VehicleId, request.PlateNumber, request.UnitId,
                checkedAt, request.Location!, request.Finding!.Value, request.Notes, null), ct));
        }

        foreach (var row in Csv.Read(Path.Combine(directory, "actions.csv")))
        {
            var request = await Valid(new ViolationActions.ActionRequest(row["personName"], row["position"], Enum.Parse<PersonActionKind>(row["action"]), row["note"]));
            var check = checks[row["plateNumber"]];
            clock.Now = new DateTimeOffset(check.CheckedAt.AddDays(3), TimeSpan.Zero);
            Expect(await violations.AddActionAsync(Inspector, check.ViolationId!.Value,
                new PersonActionInput(request.PersonName!, request.Position!, request.Action!.Value, request.Note), ct));
        }

        foreach (var row in Csv.Read(Path.Combine(directory, "recoveries.csv")))
        {
            var registered = await db.Vehicles.Where(v => v.PlateNumber == row["plateNumber"]).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
            var open = await Valid(new RecoveryEndpoints.OpenRequest(campaigns[row["campaign"]], registered, registered is null ? row["plateNumber"] : null,
                units[row["unitCode"]].Id, Enum.Parse<RecoveryReason>(row["reason"]), Day(row["dueOn"])));
            At(Day(row["openedOn"]), new TimeOnly(9, 30));
            var id = Expect(await recoveries.OpenAsync(Inspector, new OpenCase(open.CampaignId!.Value, open.VehicleId, open.PlateNumber, open.UnitId!.Value,
                open.Reason!.Value, open.DueOn!.Value), ct)).Id;
            switch (row["outcome"])
            {
                case "Recovered":
                    var recover = await Valid(new RecoveryEndpoints.RecoverRequest(Day(row["recoveredOn"]), Enum.Parse<RecoveryDisposition>(row["disposition"])));
                    At(recover.RecoveredOn!.Value, new TimeOnly(17, 0));
                    Expect(await recoveries.RecoverAsync(Inspector, id, recover.RecoveredOn.Value, recover.Disposition!.Value, ct));
                    break;
                case "Cancelled":
                    At(Day(row["openedOn"]).AddDays(14), new TimeOnly(10, 0));
                    Expect(await recoveries.CancelAsync(Inspector, id, (await Valid(new RecoveryEndpoints.CancelRequest(row["cancelReason"]))).Reason!, ct));
                    break;
            }
        }
    }

    private void At(DateOnly day, TimeOnly time) => clock.Now = new DateTimeOffset(local.ToUtc(day, time), TimeSpan.Zero);

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The same validators the API runs on a request: a seed row they refuse stops the seeding.</summary>
    private Task<T> Valid<T>(T request) => Valid(services, request);

    /// <summary>The same validators the API runs on a request: a seed row they refuse stops the seeding.</summary>
    public static async Task<T> Valid<T>(IServiceProvider services, T request)
    {
        var result = await services.GetRequiredService<IValidator<T>>().ValidateAsync(request);
        if (!result.IsValid) throw new InvalidOperationException($"Demo seed row refused: {result}");
        return request;
    }

    /// <summary>The rule's value; a refusal means the seed data is wrong, and seeding stops.</summary>
    public static T Expect<T>(Outcome<T> outcome) => outcome.Refusal is { } refusal
        ? throw new InvalidOperationException($"Demo seed row refused: {refusal.Field} {refusal.Message}")
        : outcome.Value!;
}
