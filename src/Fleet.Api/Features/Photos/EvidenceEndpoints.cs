using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Photos;

public sealed record EvidenceDto(Guid Id, EvidenceSubject SubjectType, Guid SubjectId, int Number, string Sha256, string ContentType, long Size,
    DateTime? TakenAt, double? Latitude, double? Longitude, DateTime UploadedAt, string UploadedBy)
{
    public static EvidenceDto From(Evidence e) => new(e.Id, e.SubjectType, e.SubjectId, e.Number, e.Sha256, e.ContentType, e.Size, e.TakenAt,
        e.Latitude, e.Longitude, e.UploadedAt, e.UploadedBy);
}

/// <summary>Photo evidence: uploaded once, read in the record's scope, never changed or deleted (no PUT, PATCH or DELETE: 405).</summary>
public static class EvidenceEndpoints
{
    public static void MapEvidenceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/evidence").WithTags("Evidence");
        var limit = app.ServiceProvider.GetRequiredService<IOptions<EvidenceOptions>>().Value.MaxBytes;
        group.MapPost("/", Upload).AllowRoles(Role.Admin, Role.VehicleAdmin, Role.Inspector)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(limit + 1024 * 1024));
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapGet("/{id:guid}/content", Content);
        group.MapGet("/{id:guid}/thumbnail", Thumbnail);
    }

    public static async Task<Results<Created<EvidenceDto>, ValidationProblem, ProblemHttpResult>> Upload(
        HttpRequest http, ClaimsPrincipal user, EvidenceRules rules, CancellationToken ct)
    {
        if (!http.HasFormContentType) return Problems.Field("file", "Photos.SendForm");
        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Problems.Field("file", "Photos.FormUnreadable");
        }
        if (!EnumNames.TryParse<EvidenceSubject>(form["subjectType"], out var subject))
            return Problems.Field("subjectType", "Photos.SubjectType");
        if (!Guid.TryParse(form["subjectId"], out var subjectId)) return Problems.Field("subjectId", "Photos.SubjectId");
        if (form.Files.Count > 1) return Problems.Field("file", "Photos.OneAtATime");
        if (form.Files.GetFile("file") is not { Length: > 0 } file) return Problems.Field("file", "Photos.FileRequired");
        await using var stream = file.OpenReadStream();
        var outcome = await rules.UploadAsync(Caller.From(user), subject, subjectId, stream, ct);
        return outcome.ToCreated(e => $"/api/evidence/{e.Id}", EvidenceDto.From);
    }

    public static async Task<Results<Ok<Paged<EvidenceDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, EvidenceSubject? subjectType, Guid? subjectId, ClaimsPrincipal user, EvidenceQueries queries, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new EvidenceFilter(subjectType, subjectId), paging.ToRequest(), ct);
        return TypedResults.Ok(page.Map(EvidenceDto.From));
    }

    public static async Task<Results<Ok<EvidenceDto>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, EvidenceQueries queries, CancellationToken ct) =>
        await queries.FindAsync(Caller.From(user), id, ct) is { } e ? TypedResults.Ok(EvidenceDto.From(e)) : Problems.NotFound("Photos.NotFound");

    /// <summary>The bytes as uploaded; they never change, so a browser may keep them.</summary>
    public static async Task<IResult> Content(Guid id, ClaimsPrincipal user, EvidenceQueries queries, PhotoStore store, HttpResponse response, CancellationToken ct)
    {
        if (await queries.FindAsync(Caller.From(user), id, ct) is not { } e) return Problems.NotFound("Photos.NotFound");
        var path = store.ContentPath(e.Sha256);
        if (!File.Exists(path)) return Problems.NotFound("Photos.FileNotFound");
        response.Headers.CacheControl = "private, max-age=31536000, immutable";
        var extension = e.ContentType switch { "image/jpeg" => "jpg", "image/png" => "png", _ => "heic" };
        return TypedResults.PhysicalFile(path, e.ContentType, $"{e.Sha256[..12]}.{extension}", entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{e.Sha256}\""));
    }

    /// <summary>A small JPEG for the pages; 404 for a HEIC photo or one too large to decode.</summary>
    public static async Task<IResult> Thumbnail(Guid id, ClaimsPrincipal user, EvidenceQueries queries, PhotoStore store, HttpResponse response, CancellationToken ct)
    {
        if (await queries.FindAsync(Caller.From(user), id, ct) is not { } e) return Problems.NotFound("Photos.NotFound");
        var path = store.ThumbnailPath(e.Sha256);
        if (!File.Exists(path)) return Problems.NotFound("Photos.ThumbnailNotFound");
        response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return TypedResults.PhysicalFile(path, "image/jpeg");
    }
}
