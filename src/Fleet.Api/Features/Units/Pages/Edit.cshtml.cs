using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Units.Pages;

/// <summary>An Admin edits a unit: the version the form was read at goes with the change, so a stale edit is refused.</summary>
[Authorize(Roles = "Admin")]
public sealed class EditModel(UnitQueries queries, UnitRules rules, IValidator<UnitEndpoints.UnitRequest> validator) : WorkspacePage
{
    [BindProperty]
    public IndexModel.Form Input { get; set; } = new();

    /// <summary>The version the form was read at (a hidden field): the page's If-Match.</summary>
    [BindProperty]
    public int Version { get; set; }

    public UnitDto? Unit { get; private set; }
    public List<UnitDto> All { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id)) return NotFound();
        Input = new() { Code = Unit!.Code, Name = Unit.Name, Kind = Unit.Kind, ParentId = Unit.ParentId, VehicleQuota = Unit.VehicleQuota };
        Version = Unit.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var request = new UnitEndpoints.UnitRequest(Input.Code, Input.Name, Input.Kind, Input.ParentId, Input.VehicleQuota);
        if (ModelState.IsValid && await ValidAsync(validator, request))
        {
            var input = new UnitInput(request.Code!, request.Name!, request.Kind!.Value, request.ParentId, request.VehicleQuota!.Value);
            if (Done(await rules.UpdateAsync(Caller, id, input, version => version == Version, HttpContext.RequestAborted)))
                return Back($"已保存单位 {request.Name!.Trim()}。", "/units");
        }
        if (!await LoadAsync(id)) return NotFound();
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        All = await queries.AllAsync(Caller, HttpContext.RequestAborted);
        Unit = All.FirstOrDefault(u => u.Id == id);
        return Unit is not null;
    }
}
