using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Vehicles.Pages;

/// <summary>Edit and dispose through the API's rules; the version read with the form is the If-Match of the page.</summary>
[Authorize(Roles = "Admin,VehicleAdmin")]
public sealed class EditModel(FleetDbContext db, FluentValidation.IValidator<VehicleRequest> validator, VehicleRules rules,
    FluentValidation.IValidator<VehicleEndpoints.DisposeRequest> disposal, VehicleQueries queries)
    : VehicleFormPage(db, validator)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public string Plate { get; private set; } = "";
    public bool Disposed { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var vehicle = await queries.FindAsync(Caller, Id);
        if (vehicle is null) return NotFound();
        var code = await Db.Units.Where(u => u.Id == vehicle.UnitId).Select(u => u.Code).FirstAsync();
        Input = VehicleForm.From(vehicle, code);
        (Plate, Disposed) = (vehicle.PlateNumber, vehicle.Status == VehicleStatus.Disposed);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Plate = Input.PlateNumber ?? "";
        if (await CheckedAsync() is not { } request) return Page();
        var outcome = await rules.UpdateAsync(Caller, Id, request, version => version == Input.Version, HttpContext.RequestAborted);
        if (!Done(outcome)) return Page();
        return Back($"已保存 {outcome.Value!.PlateNumber}。", "/vehicles?plate=" + Uri.EscapeDataString(outcome.Value.PlateNumber));
    }

    public async Task<IActionResult> OnPostDisposeAsync(string? reason)
    {
        Plate = Input.PlateNumber ?? "";
        // The endpoint's validator: a reason, of at most 500 characters.
        if (!await ValidAsync(disposal, new VehicleEndpoints.DisposeRequest(reason), prefix: "")) return await OnGetAsync();
        var outcome = await rules.DisposeAsync(Caller, Id, reason!, version => version == Input.Version, HttpContext.RequestAborted);
        if (!Done(outcome)) return await OnGetAsync();
        return Back($"已处置 {outcome.Value!.PlateNumber}。", "/vehicles");
    }
}
