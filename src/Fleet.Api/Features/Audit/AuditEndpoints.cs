using System.Text.Json;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTime At, string Actor, string Entity, string EntityId, string Action, JsonElement? Before, JsonElement? After);

/// <summary>Read-only: no route changes or deletes an audit entry. Newest first.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", List).WithTags("Audit").AllowRoles(Role.Admin, Role.Auditor);

    public static async Task<Results<Ok<Paged<AuditEntryDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, string? entity, string? entityId, string? actor, string? from, string? to,
        FleetDbContext db, LocalTime local, CancellationToken ct)
    {
        var range = local.ParseRange(from, to);
        if ((paging.Errors() ?? range.Errors) is { } errors) return Problems.Invalid(errors);

        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(entity)) entries = entries.Where(a => a.Entity == entity);
        if (!string.IsNullOrWhiteSpace(entityId)) entries = entries.Where(a => a.EntityId == entityId.ToLowerInvariant() || a.EntityId == entityId);
        if (!string.IsNullOrWhiteSpace(actor)) entries = entries.Where(a => a.Actor == actor.Trim());
        if (range.From is not null) entries = entries.Where(a => a.At >= range.From);
        if (range.To is not null) entries = entries.Where(a => a.At < range.To);
        var page = await paging.ApplyAsync(entries.OrderByDescending(a => a.Id), ct);
        var items = page.Items.Select(a => new AuditEntryDto(a.Id, a.At, a.Actor, a.Entity, a.EntityId, a.Action, Json(a.Before), Json(a.After))).ToList();
        return TypedResults.Ok(new Paged<AuditEntryDto>(items, page.Page, page.PageSize, page.Total));
    }

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
}
