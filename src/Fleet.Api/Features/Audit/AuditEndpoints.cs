using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Audit;

public sealed record AuditEntryDto(long Id, DateTime At, string Actor, string Entity, string EntityId, string Action, JsonElement? Before, JsonElement? After);

/// <summary>Read-only: no route changes or deletes an audit entry. Newest first.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", List).WithTags("Audit").AllowRoles(Role.Admin, Role.Auditor);

    public static async Task<Results<Ok<Paged<AuditEntryDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, string? entity, string? entityId, string? actor, string? from, string? to,
        System.Security.Claims.ClaimsPrincipal user, AuditQueries queries, LocalTime local, CancellationToken ct)
    {
        var args = new ListArgs(paging, from, to).Bind(local);
        if (args.Errors is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new AuditFilter(args.Range, entity, entityId, actor), args.Page, ct);
        return TypedResults.Ok(page.Map(a => new AuditEntryDto(a.Id, a.At, a.Actor, a.Entity, a.EntityId, a.Action, Json(a.Before), Json(a.After))));
    }

    private static JsonElement? Json(string? text) => text is null ? null : JsonDocument.Parse(text).RootElement.Clone();
}
