using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Usage;

public sealed record UsageDto(Guid Id, UsageKind Kind, Guid VehicleId, string PlateNumber, Guid UnitId, DateTime StartedAt, DateTime EndedAt,
    string Place, string? EndPlace, decimal? Quantity, decimal? Amount, DateTime ImportedAt, string ImportedBy, Guid? ImportId)
{
    public static UsageDto From(UsageRecord u) => new(u.Id, u.Kind, u.VehicleId, u.PlateNumber, u.UnitId, u.StartedAt, u.EndedAt, u.Place,
        u.EndPlace, u.Quantity, u.Amount, u.ImportedAt, u.ImportedBy, u.ImportId);
}

/// <summary>Usage records (fuel, toll, trips) imported from outside systems, and read in the caller's scope. Never edited.</summary>
public static class UsageEndpoints
{
    /// <param name="ViolationsOpened">Violations the check of the new records against the seals opened (UsedWhileSealed, OffHoursUse).</param>
    public sealed record ImportResult(int Imported, int Duplicates, int ViolationsOpened);

    public static void MapUsageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/usage").WithTags("Usage");
        group.MapPost("/import", Import).AllowRoles(Role.Admin, Role.Inspector)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(app.ServiceProvider.GetRequiredService<IOptions<UsageLimits>>().Value.MaxUploadBytes + 1024 * 1024))
            .WithFormOptions(multipartBodyLengthLimit: app.ServiceProvider.GetRequiredService<IOptions<UsageLimits>>().Value.MaxUploadBytes + 1024 * 1024);
        group.MapGet("/", List);
    }

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        IFormFile? file, string? kind, HttpRequest http, ClaimsPrincipal user, UsageRules rules, IOptions<UsageLimits> limits, LocalTime local,
        TimeProvider clock, CancellationToken ct)
    {
        if (!EnumNames.TryParse<UsageKind>(kind, out var usageKind))
            return Problems.Field("kind", "Usage.KindRequired");
        if (await Uploads.CheckOneAsync(file, http, limits.Value.MaxUploadBytes, new("Usage.SendFile", "Usage.OneFile", "Usage.FileTooLarge"), ct) is { } badUpload) return badUpload;
        Outcome<UsageImported> outcome;
        try
        {
            // The form keeps a large upload in a temporary file: read from there, twice, never whole in memory.
            await using var stream = file!.OpenReadStream();
            var sha = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, ct));
            stream.Position = 0;
            var reader = new UsageSheet.Reader(stream, usageKind, limits.Value, local.InstantToUtc, clock.GetUtcNow().UtcDateTime.AddMinutes(5));
            outcome = await rules.ImportAsync(Caller.From(user), usageKind, reader, new UsageUpload(PlainText.Clean(Path.GetFileName(file!.FileName)), sha), ct);
        }
        catch (WorkbookRefused refused)
        {
            return Problems.Field("file", refused.Text);
        }
        catch (Exception e) when (e is InvalidDataException or System.Xml.XmlException or IOException or ArgumentException or NotSupportedException)
        {
            return Problems.Field("file", "Usage.NotAFile");
        }
        if (outcome.Refusal is not null) return outcome.ToOk(_ => new ImportResult(0, 0, 0));
        var done = outcome.Value!;
        if (done.ErrorCount > 0) return Uploads.RowErrors(done.Errors, done.ErrorCount, 100, "file");
        return TypedResults.Ok(new ImportResult(done.Imported, done.Duplicates, done.ViolationsOpened));
    }

    public static async Task<Results<Ok<Paged<UsageDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, string? plateNumber, string? from, string? to, UsageKind? kind, Guid? vehicleId,
        Guid? violationId, ClaimsPrincipal user, UsageQueries queries, LocalTime local, CancellationToken ct)
    {
        var args = new ListArgs(paging, from, to).Bind(local);
        if (args.Errors is { } errors) return Problems.Invalid(errors);
        var filter = new UsageFilter(args.Range, VehicleId: vehicleId, Kind: kind, ViolationId: violationId, Plate: plateNumber);
        return TypedResults.Ok((await queries.ListAsync(Caller.From(user), filter, args.Page, ct)).Map(r => UsageDto.From(r.Record)));
    }
}
