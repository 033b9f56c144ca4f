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
        return Back($"已登记 {outcome.Value!.PlateNumber}。", "/vehicles?plate=" + Uri.EscapeDataString(outcome.Value.PlateNumber));
    }
}
