using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Regions.Pages;

/// <summary>行政区划: the caller's region and the tree below it; an Admin adds a region below one of theirs here.</summary>
[Authorize(Roles = "Admin,Auditor,Inspector")]
public sealed class IndexModel(RegionQueries queries, RegionRules rules, IValidator<RegionEndpoints.CreateRequest> validator) : WorkspacePage
{
    public sealed record Row(RegionDto Region, int Depth);

    public sealed class Form
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public RegionLevel? Level { get; set; }
        public Guid? ParentId { get; set; }
    }

    [BindProperty]
    public Form Input { get; set; } = new();

    public List<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var request = new RegionEndpoints.CreateRequest(Input.Code?.Trim(), Input.Name, Input.Level, Input.ParentId);
        if (ModelState.IsValid && await ValidAsync(validator, request)
            && Done(await rules.CreateAsync(Caller, new RegionInput(request.Code!, request.Name!, request.Level!.Value, request.ParentId), HttpContext.RequestAborted)))
            return Back($"已新增行政区划 {request.Name!.Trim()}（{request.Code}）。", "/regions");
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var all = await queries.ListAsync(Caller, HttpContext.RequestAborted);
        var ids = all.Select(r => r.Id).ToHashSet();
        var children = all.ToLookup(r => r.ParentId is { } p && ids.Contains(p) ? p : (Guid?)null);
        void Walk(Guid? parent, int depth)
        {
            foreach (var region in children[parent])
            {
                Rows.Add(new Row(region, depth));
                Walk(region.Id, depth + 1);
            }
        }
        Walk(null, 0);
    }
}
