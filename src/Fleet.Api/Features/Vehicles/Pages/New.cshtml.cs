using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Vehicles.Pages;

[Authorize(Roles = "Admin,VehicleAdmin")]
public sealed class NewModel(FleetDbContext db, FluentValidation.IValidator<VehicleRequest> validator, VehicleRules rules)
    : VehicleFormPage(db, validator)
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await CheckedAsync() is not { } request) return Page();
        var outcome = await rules.RegisterAsync(Caller, request, HttpContext.RequestAborted);
        if (!Done(outcome)) return Page();
        var vehicle = outcome.Value!;
        // Registration may open violations (over quota, over standard): the person is told which, not only "registered".
        var opened = await Db.Violations.AsNoTracking().Where(v => v.VehicleId == vehicle.Id && v.Status == ViolationStatus.Open)
            .OrderBy(v => v.Type).Select(v => v.Type).ToListAsync(HttpContext.RequestAborted);
        var said = opened.Count == 0
            ? $"已登记 {vehicle.PlateNumber}。"
            : $"已登记 {vehicle.PlateNumber}；同时开具违规 {opened.Count} 起：{string.Join("、", opened.Select(t => Labels.Of(t)))}（见违规列表）。";
        return Back(said, "/vehicles?plate=" + Uri.EscapeDataString(vehicle.PlateNumber));
    }
}
