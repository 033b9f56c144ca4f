using Fleet.Api.Features.Workspace;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Fleet.Api.Features.Units.Pages;

/// <summary>The units as a tree (編制数 against 在用车辆); an Admin adds units here and edits them on /units/{id}.</summary>
[Authorize(Roles = "Admin,Auditor")]
public sealed class IndexModel(UnitQueries queries, UnitRules rules, IValidator<UnitEndpoints.UnitRequest> validator) : WorkspacePage
{
    public const int PageSize = 50;

    public sealed record Row(UnitDto Unit, int Depth);

    public sealed class Form
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public UnitKind? Kind { get; set; }
        public Guid? ParentId { get; set; }
        public int? VehicleQuota { get; set; }
    }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public Form Input { get; set; } = new();

    public List<Row> Rows { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public List<UnitDto> All { get; private set; } = [];

    public async Task OnGetAsync()
    {
        ModelState.Clear(); // a page number that does not parse (a hand-edited URL) means the first page
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var request = new UnitEndpoints.UnitRequest(Input.Code, Input.Name, Input.Kind, Input.ParentId, Input.VehicleQuota);
        if (ModelState.IsValid && await ValidAsync(validator, request)
            && Done(await rules.CreateAsync(Caller, new UnitInput(request.Code!, request.Name!, request.Kind!.Value, request.ParentId, request.VehicleQuota!.Value), HttpContext.RequestAborted)))
            return Back($"已新增单位 {request.Name!.Trim()}。", "/units");
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        All = await queries.AllAsync(Caller, HttpContext.RequestAborted);
        var tree = Flatten(All);
        Total = tree.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Math.Max(1, (Total + PageSize - 1) / PageSize));
        Rows = tree.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToList();
    }

    /// <summary>Depth-first by code under each parent; a unit whose parent is missing starts a tree of its own.</summary>
    public static List<Row> Flatten(List<UnitDto> units)
    {
        var ids = units.Select(u => u.Id).ToHashSet();
        var children = units.ToLookup(u => u.ParentId is { } p && ids.Contains(p) ? p : (Guid?)null);
        var rows = new List<Row>(units.Count);
        var seen = new HashSet<Guid>();
        void Walk(Guid? parent, int depth)
        {
            foreach (var unit in children[parent])
            {
                if (!seen.Add(unit.Id)) continue;
                rows.Add(new Row(unit, depth));
                Walk(unit.Id, depth + 1);
            }
        }
        Walk(null, 0);
        return rows;
    }
}
