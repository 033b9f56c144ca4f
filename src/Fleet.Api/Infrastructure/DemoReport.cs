using System.Globalization;
using System.Security.Claims;
using Fleet.Api.Features.Recoveries;
using Fleet.Api.Features.SpotChecks;
using Fleet.Api.Features.Violations;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// The demo's inspection and clean-up history (seeds/campaigns.csv, recoveries.csv, spot-checks.csv, actions.csv),
/// entered through the very handlers and validators the API uses, as the demo inspector. The district report's figures
/// (39 illegal vehicles of 24 units recovered, 100 %; 3 persons admonished, 1 disciplined) then come out of the records.
/// </summary>
public sealed class DemoReport(FleetDbContext db, IServiceProvider services, LocalTime local, TimeProvider clock)
{
    private static readonly ClaimsPrincipal Inspector = new(new ClaimsIdentity(
        [new Claim("sub", Guid.Empty.ToString()), new Claim("name", "inspector"), new Claim("role", nameof(Role.Inspector))], "seed", "name", "role"));

    public async Task SeedAsync(string directory, IReadOnlyDictionary<string, Unit> units, CancellationToken ct)
    {
        var campaigns = new Dictionary<string, Guid>();
        foreach (var row in Csv.Read(Path.Combine(directory, "campaigns.csv")))
        {
            var request = new CampaignEndpoints.Request(row["name"], Day(row["startsOn"]), Day(row["endsOn"]));
            campaigns[row["name"]] = Value<CampaignDto>((await CampaignEndpoints.Create(await Valid(request), db, clock, ct)).Result).Id;
        }

        var checks = new Dictionary<string, SpotCheckDto>();
        foreach (var row in Csv.Read(Path.Combine(directory, "spot-checks.csv")))
        {
            var request = new SpotCheckEndpoints.Request(null, row["plateNumber"], units[row["unitCode"]].Id,
                DateTime.Parse(row["checkedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                row["location"], Enum.Parse<SpotCheckFinding>(row["finding"]), row["notes"] is { Length: > 0 } n ? n : null, null);
            var registered = await db.Vehicles.AnyAsync(v => v.PlateNumber == request.PlateNumber, ct);
            if (registered) request = request with { UnitId = null };
            checks[row["plateNumber"]] = Value<SpotCheckDto>((await SpotCheckEndpoints.Record(await Valid(request), Inspector, db, local, clock, ct)).Result);
        }

        foreach (var row in Csv.Read(Path.Combine(directory, "actions.csv")))
        {
            var request = new ViolationActions.ActionRequest(row["personName"], row["position"], Enum.Parse<PersonActionKind>(row["action"]), row["note"]);
            var violation = checks[row["plateNumber"]].ViolationId!.Value;
            Value<PersonActionDto>((await ViolationActions.AddAction(violation, await Valid(request), Inspector, db, clock, ct)).Result);
        }

        foreach (var row in Csv.Read(Path.Combine(directory, "recoveries.csv")))
        {
            var registered = await db.Vehicles.Where(v => v.PlateNumber == row["plateNumber"]).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
            var open = new RecoveryEndpoints.OpenRequest(campaigns[row["campaign"]], registered, registered is null ? row["plateNumber"] : null,
                units[row["unitCode"]].Id, Enum.Parse<RecoveryReason>(row["reason"]), Day(row["dueOn"]));
            var id = Value<RecoveryDto>((await RecoveryEndpoints.Open(await Valid(open), Inspector, db, clock, ct)).Result).Id;
            switch (row["outcome"])
            {
                case "Recovered":
                    var recover = new RecoveryEndpoints.RecoverRequest(Day(row["recoveredOn"]), Enum.Parse<RecoveryDisposition>(row["disposition"]));
                    Value<RecoveryDto>((await RecoveryEndpoints.Recover(id, await Valid(recover), Inspector, db, local, clock, ct)).Result);
                    break;
                case "Cancelled":
                    var cancel = new RecoveryEndpoints.CancelRequest(row["cancelReason"]);
                    Value<RecoveryDto>((await RecoveryEndpoints.Cancel(id, await Valid(cancel), Inspector, db, clock, ct)).Result);
                    break;
            }
        }
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<T> Valid<T>(T request)
    {
        var result = await services.GetRequiredService<IValidator<T>>().ValidateAsync(request);
        if (!result.IsValid) throw new InvalidOperationException($"Demo seed row refused: {result}");
        return request;
    }

    /// <summary>The handler's success value; anything else means the seed data is wrong, and seeding stops.</summary>
    private static T Value<T>(IResult result) => result switch
    {
        Created<T> created => created.Value!,
        Ok<T> ok => ok.Value!,
        ProblemHttpResult problem => throw new InvalidOperationException($"Demo seed row refused: {problem.ProblemDetails.Detail}"),
        ValidationProblem invalid => throw new InvalidOperationException($"Demo seed row refused: {string.Join("; ", invalid.ProblemDetails.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}"),
        _ => throw new InvalidOperationException($"Demo seed row refused: {result.GetType().Name}"),
    };
}
