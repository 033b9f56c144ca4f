using System.Globalization;
using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SpotChecks.Pages;

/// <summary>
/// The phone form an inspector fills at a parking lot: the same validator and rule as POST /api/spot-checks.
/// With ?corrects={id} it records a correction of that check.
/// </summary>
[Authorize(Roles = "Inspector")]
public sealed class NewModel(FleetDbContext db, SpotCheckRules rules, SpotCheckQueries queries, IValidator<SpotCheckEndpoints.Request> validator, LocalTime local, TimeProvider clock)
    : WorkspacePage
{
    [BindProperty]
    public SpotCheckEndpoints.Request Input { get; set; } = new(null, null, null, null, null, null, null, null);

    public SpotCheck? Corrects { get; private set; }
    public bool AlreadyCorrected { get; private set; }
    public List<UnitOption> Units { get; private set; } = [];

    /// <summary>The check just saved (?saved=): the page offers its photo, the check and its violation before the next car.</summary>
    public SpotCheck? Saved { get; private set; }

    public async Task OnGetAsync(Guid? corrects, string? location, string? plate, Guid? saved, CancellationToken ct)
    {
        var now = local.ToLocal(clock.GetUtcNow().UtcDateTime);
        Input = Input with { CheckedAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMinute)), Location = location, PlateNumber = plate };
        if (saved is { } savedId) Saved = (await queries.FindAsync(Caller, savedId, ct))?.Check;
        if (corrects is { } id && await LoadCorrectedAsync(id, ct) is { } check)
        {
            Input = Input with
            {
                PlateNumber = check.PlateNumber,
                Location = check.Location,
                CheckedAt = local.ToLocal(check.CheckedAt),
                UnitId = check.VehicleId is null ? check.UnitId : null,
                CorrectsId = check.Id,
            };
        }
        await LoadUnitsAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Input.CorrectsId is { } id) await LoadCorrectedAsync(id, ct);
        if (await ValidAsync(validator, Input))
        {
            var outcome = await rules.RecordAsync(Caller, new SpotCheckInput(Input.VehicleId, Input.PlateNumber, Input.UnitId, Input.CheckedAt!.Value,
                Input.Location!, Input.Finding!.Value, Input.Notes, Input.CorrectsId), ct);
            if (Done(outcome))
            {
                var check = outcome.Value!;
                // The next car is usually in the same lot: the place stays filled in, and the check just saved is offered
                // for its photo (the page says it was recorded from ?saved=, not from a notice another request could
                // take: the phone's outbox sends checks in the background).
                return Input.CorrectsId is null
                    ? Redirect($"/spot-checks/new?location={Uri.EscapeDataString(check.Location)}&saved={check.Id}")
                    : Back(Recorded(check), $"/spot-checks/{check.Id}");
            }
        }
        await LoadUnitsAsync(ct);
        return Page();
    }

    /// <summary>What the page says of a check just saved.</summary>
    public static string Recorded(SpotCheck check) =>
        $"已记录抽查：{check.PlateNumber} {Labels.Of(check.Finding)}" + (check.ViolationId is null ? "。" : "，已生成违规记录。");

    /// <summary>
    /// The plates of the inspector's scope, one per line, for completing a plate without signal (the phone keeps the
    /// list; fleet.js asks the API while online). At most <see cref="WebOptions.OfflinePlates"/>, cars in use first.
    /// </summary>
    public async Task<IActionResult> OnGetPlatesAsync([FromServices] Microsoft.Extensions.Options.IOptions<WebOptions> web, CancellationToken ct)
    {
        var plates = await db.Vehicles.AsNoTracking().Where(v => v.Status != VehicleStatus.Disposed)
            .OrderBy(v => v.PlateNumber).Select(v => v.PlateNumber).Take(Math.Max(0, web.Value.OfflinePlates)).ToListAsync(ct);
        Response.Headers.CacheControl = "private, no-store";
        return Content(string.Join('\n', plates), "text/plain; charset=utf-8");
    }

    public string CheckedAtValue => Input.CheckedAt?.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) ?? "";

    private async Task<SpotCheck?> LoadCorrectedAsync(Guid id, CancellationToken ct)
    {
        var found = await queries.FindAsync(Caller, id, ct);
        (Corrects, AlreadyCorrected) = (found?.Check, found?.CorrectedBy is not null);
        return Corrects;
    }

    private async Task LoadUnitsAsync(CancellationToken ct) => Units = await Lists.UnitsAsync(db, Caller, ct);
}
