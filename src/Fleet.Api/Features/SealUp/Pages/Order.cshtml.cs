using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.SealUp.Pages;

/// <summary>One car's seal order: seal it, ask for an exemption, see the decisions. The API's validators and rules decide.</summary>
public sealed class OrderModel(FleetDbContext db, SealOrderQueries orders, ExemptionQueries exemptions, SealUpRules rules, IValidator<SealOrderEndpoints.SealRequest> sealValidator,
    IValidator<ExemptionEndpoints.ExemptionRequest> exemptionValidator, Microsoft.Extensions.Options.IOptions<Features.Photos.EvidenceOptions> photoLimits) : WorkspacePage
{
    [BindProperty(SupportsGet = true)] public Guid ScheduleId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid VehicleId { get; set; }

    public SealOrder? Order { get; private set; }
    public string Plate { get; private set; } = "";
    public string HolidayName { get; private set; } = "";
    public DateTime Deadline { get; private set; }
    public List<Exemption> Exemptions { get; private set; } = [];
    public Features.Photos.PhotoPanel Photos { get; private set; } = null!;
    public string? SealNumber { get; private set; }
    public string? ParkingPlace { get; private set; }
    public string? Reason { get; private set; }
    public bool MayAct => Caller.Role is Role.Admin or Role.VehicleAdmin;

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostSealAsync(string? sealNumber, string? parkingPlace)
    {
        (SealNumber, ParkingPlace) = (sealNumber, parkingPlace);
        var request = new SealOrderEndpoints.SealRequest(VehicleId, sealNumber, parkingPlace);
        if (await ValidAsync(sealValidator, request, "") &&
            Done(await rules.SealAsync(Caller, ScheduleId, VehicleId, sealNumber!, parkingPlace!, HttpContext.RequestAborted), ""))
            return Back($"已封存，封条号 {sealNumber}。");
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostExemptAsync(string? reason)
    {
        Reason = reason;
        var request = new ExemptionEndpoints.ExemptionRequest(VehicleId, reason);
        if (await ValidAsync(exemptionValidator, request, "") &&
            Done(await rules.RequestExemptionAsync(Caller, ScheduleId, VehicleId, reason!, HttpContext.RequestAborted), ""))
            return Back("豁免申请已提交，等待监督检查人员审批。");
        return await LoadAsync() ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Order = await orders.FindAsync(Caller, ScheduleId, VehicleId, ct);
        if (Order is null) return false;
        Plate = await db.Vehicles.Where(v => v.Id == VehicleId).Select(v => v.PlateNumber).FirstAsync(ct);
        var schedule = await db.SealUpSchedules.AsNoTracking().FirstAsync(s => s.Id == ScheduleId, ct);
        Deadline = schedule.SealDeadline;
        HolidayName = await db.Holidays.Where(h => h.Id == schedule.HolidayId).Select(h => h.Name).FirstAsync(ct);
        Exemptions = await exemptions.OfOrderAsync(Caller, Order.Id, ct);
        Photos = await Features.Photos.PhotoPanel.LoadAsync(db, Caller, EvidenceSubject.SealOrder, Order.Id, MayAct && Order.SealedAt is not null,
            photoLimits.Value, Request.Path, ct);
        return true;
    }
}
