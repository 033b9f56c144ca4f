namespace Fleet.Api.Features.Photos;

/// <summary>What a list of photos filters by; null is no filter.</summary>
public sealed record EvidenceFilter(EvidenceSubject? SubjectType = null, Guid? SubjectId = null);

/// <summary>Photo evidence read in the caller's scope: what GET /api/evidence and the records' photo panels show.</summary>
public sealed class EvidenceQueries(FleetDbContext db)
{
    /// <summary>Newest upload first.</summary>
    public Task<Paged<Evidence>> ListAsync(Caller caller, EvidenceFilter filter, PageRequest page, CancellationToken ct)
    {
        var photos = Visible(caller);
        if (filter.SubjectType is { } subjectType) photos = photos.Where(e => e.SubjectType == subjectType);
        if (filter.SubjectId is { } subjectId) photos = photos.Where(e => e.SubjectId == subjectId);
        return page.ApplyAsync(photos.OrderByDescending(e => e.UploadedAt).ThenBy(e => e.Id), ct);
    }

    /// <summary>One record's photos in the order they were added (a record's panel).</summary>
    public Task<List<Evidence>> OfSubjectAsync(Caller caller, EvidenceSubject subject, Guid id, CancellationToken ct) =>
        Visible(caller).Where(e => e.SubjectType == subject && e.SubjectId == id).OrderBy(e => e.Number).ToListAsync(ct);

    /// <summary>One photo; null when it does not exist or lies outside the caller's scope.</summary>
    public Task<Evidence?> FindAsync(Caller caller, Guid id, CancellationToken ct) => Visible(caller).FirstOrDefaultAsync(e => e.Id == id, ct);

    private IQueryable<Evidence> Visible(Caller caller) => db.Evidence.AsNoTracking().VisibleTo(caller);
}
