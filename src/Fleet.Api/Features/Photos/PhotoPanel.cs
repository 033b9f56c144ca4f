namespace Fleet.Api.Features.Photos;

/// <summary>A record's photos on its page: thumbnails, when and where each was taken, and (for those who may) the upload form.</summary>
public sealed record PhotoPanel(EvidenceSubject Subject, Guid SubjectId, IReadOnlyList<Evidence> Photos, bool MayUpload, int Max, long MaxBytes, string ReturnUrl)
{
    public static async Task<PhotoPanel> LoadAsync(FleetDbContext db, Caller caller, EvidenceSubject subject, Guid id, bool mayUpload, EvidenceOptions limits, string returnUrl, CancellationToken ct)
    {
        var photos = await new EvidenceQueries(db).OfSubjectAsync(caller, subject, id, ct);
        return new PhotoPanel(subject, id, photos, mayUpload && photos.Count < limits.MaxPerRecord, limits.MaxPerRecord, limits.MaxBytes, returnUrl);
    }

    /// <summary>A position as people read it: 北纬 23.129163°，东经 113.264435°.</summary>
    public static string Position(double latitude, double longitude) =>
        $"{(latitude >= 0 ? "北纬" : "南纬")} {Math.Abs(latitude):0.000000}°，{(longitude >= 0 ? "东经" : "西经")} {Math.Abs(longitude):0.000000}°";
}
