using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Writes sent twice store one record (api-v1.md, v1.3; the IETF httpapi Idempotency-Key draft). A POST that carries a
/// key (the <c>Idempotency-Key</c> header; a workspace form's hidden <c>__IdempotencyKey</c> field) is written once per
/// user and key: the first request's row goes in (a unique index settles a race), the request runs, and its answer is
/// kept; the same key again with the same request answers that answer again (same status, body, Location and ETag)
/// without running; with another request, 422; while the first is still running, 409 (a page waits for it instead, so
/// a double tap shows what the first tap did). An answer of 5xx, or a request that failed, keeps nothing: it may be sent
/// again. Keys are kept <see cref="KeepHours"/> hours.
/// </summary>
/// <remarks>
/// The answer is kept after the request's own transaction, not in it: if the process dies between the two, the key stays
/// "in progress" (409) until it expires, rather than letting a resend write the record a second time.
/// </remarks>
public static class IdempotentWrites
{
    public const string Header = "Idempotency-Key";
    public const string FormField = "__IdempotencyKey";
    /// <summary>
    /// The antiforgery token's form field: new at every rendering of a page, so not part of what a request is. A phone
    /// resending a kept check from another page than the first attempt sends the same check with another token.
    /// </summary>
    public const string AntiforgeryField = "__fleet_form";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 128;
    public const int KeepHours = 48;
    /// <summary>An answer larger than this is not kept: the key then answers 409 (Idempotency.AnswerNotKept).</summary>
    public const int MaxKeptBytes = 4 << 20;
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(15);

    public static IApplicationBuilder UseIdempotentWrites(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // A status page shown in place of an answer (re-executed with the same form) is not a second submission.
        if (!HttpMethods.IsPost(http.Request.Method) || http.User.Identity?.IsAuthenticated != true || Unkept(http.Request.Path)
            || http.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || !Guid.TryParse(http.User.FindFirstValue("sub"), out var userId))
        {
            await next(http);
            return;
        }
        var page = !http.Request.Path.StartsWithSegments("/api");
        var sent = await SentKeyAsync(http, page);
        if (sent is null)
        {
            await next(http);
            return;
        }
        if (!TryReadKey(sent, out var key))
        {
            await Problems.Of(Refusal.Invalid(Header, "Idempotency.BadKey", ("max", MaxKeyLength))).ExecuteAsync(http);
            return;
        }
        var hash = await HashAsync(http.Request, http.RequestAborted);
        if (hash is null)
        {
            await next(http); // an unreadable form: the endpoint answers it (400), and nothing is written
            return;
        }
        await new Attempt(http, userId, key, hash, page).RunAsync(next);
    });

    // Signing in and out write no record; the jobs dashboard posts its own forms.
    private static bool Unkept(PathString path) =>
        path.StartsWithSegments("/api/auth") || path.StartsWithSegments("/login") || path.StartsWithSegments("/logout")
        || path.StartsWithSegments("/error") || path.StartsWithSegments(Auth.DashboardPath);

    /// <summary>The key as sent: the header (more than one is refused as a bad key), else a page form's field; null when none.</summary>
    private static async Task<string?> SentKeyAsync(HttpContext http, bool page)
    {
        var header = http.Request.Headers[Header];
        if (header.Count > 1) return "";
        if (header.Count == 1) return header[0] ?? "";
        if (!page || !http.Request.HasFormContentType) return null;
        try
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            return form.TryGetValue(FormField, out var field) && field.Count > 0 ? string.Join(",", field.ToArray()) : null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return null;
        }
    }

    /// <summary>1 to 128 visible ASCII characters, optionally as a quoted string (the draft's sf-string).</summary>
    public static bool TryReadKey(string sent, out string key)
    {
        key = sent.Length >= 2 && sent[0] == '"' && sent[^1] == '"' ? sent[1..^1] : sent;
        return key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and < (char)0x7F);
    }

    /// <summary>
    /// What identifies the request: method, path and query, and the body; a form by its fields and files (so the same form
    /// sent again with another multipart boundary is the same request). Null when the form cannot be read.
    /// </summary>
    private static async Task<string?> HashAsync(HttpRequest request, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(sha, request.Method);
        Append(sha, request.Path.Value + request.QueryString.Value);
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                return null;
            }
            foreach (var (name, values) in form.Where(f => f.Key is not (FormField or AntiforgeryField)).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                Append(sha, name);
                foreach (var value in values) Append(sha, value ?? "");
            }
            foreach (var file in form.Files)
            {
                Append(sha, file.Name);
                Append(sha, file.FileName);
                Append(sha, file.ContentType);
                await using var content = file.OpenReadStream();
                await AppendAsync(sha, content, ct);
            }
        }
        else
        {
            Append(sha, request.ContentType ?? "");
            // Buffered (in memory up to 30 KB, then a temporary file) so that the endpoint reads it again from the start;
            // its size is bounded by the request size limit as it is read.
            request.EnableBuffering();
            await AppendAsync(sha, request.Body, ct);
            request.Body.Position = 0;
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static void Append(IncrementalHash sha, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        sha.AppendData(BitConverter.GetBytes(bytes.Length));
        sha.AppendData(bytes);
    }

    private static async Task AppendAsync(IncrementalHash sha, Stream content, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                total += read;
            }
            sha.AppendData(BitConverter.GetBytes(total));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One keyed request: claims its key, then runs and keeps its answer, or answers what the key already holds.</summary>
    private sealed class Attempt(HttpContext http, Guid userId, string key, string hash, bool page)
    {
        private readonly IDbContextFactory<FleetDbContext> contexts = http.RequestServices.GetRequiredService<IDbContextFactory<FleetDbContext>>();
        private readonly TimeProvider clock = http.RequestServices.GetRequiredService<TimeProvider>();

        public async Task RunAsync(RequestDelegate next)
        {
            // A wall-clock wait for the first request, not the domain's clock (a test's fake clock never moves by itself).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            for (var tries = 0; ; tries++)
            {
                if (await ClaimAsync() is { } claimed)
                {
                    await RunFirstAsync(next, claimed);
                    return;
                }
                var first = await FirstAsync();
                if (first is null) continue; // the first failed and let its key go meanwhile: claim it again
                if (first.RequestHash != hash)
                {
                    await RefuseAsync(Refusal.Unprocessable(page ? FormField : Header, "Idempotency.OtherRequest"), StatusCodes.Status422UnprocessableEntity);
                    return;
                }
                if (first.Status is { } status)
                {
                    await ReplayAsync(first, status);
                    return;
                }
                if (!page || waited.Elapsed > PageWait || tries > 300)
                {
                    await RefuseAsync(Refusal.Conflict("Idempotency.InProgress"), StatusCodes.Status409Conflict);
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), http.RequestAborted);
            }
        }

        /// <summary>The key's row, inserted for this request; null when another request holds the key.</summary>
        private async Task<long?> ClaimAsync()
        {
            await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
            var now = clock.GetUtcNow().UtcDateTime;
            // A key older than the time keys are kept is free again (the prune job has not got to it yet).
            await db.IdempotentRequests.Where(r => r.UserId == userId && r.Key == key && r.StartedAt < now.AddHours(-KeepHours))
                .ExecuteDeleteAsync(http.RequestAborted);
            var row = new IdempotentRequest { UserId = userId, Key = key, RequestHash = hash, StartedAt = now };
            db.IdempotentRequests.Add(row);
            try
            {
                await db.SaveChangesAsync(http.RequestAborted);
                return row.Id;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return null;
            }
        }

        private async Task<IdempotentRequest?> FirstAsync()
        {
            await using var db = await contexts.CreateDbContextAsync(http.RequestAborted);
            return await db.IdempotentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, http.RequestAborted);
        }

        private async Task RunFirstAsync(RequestDelegate next, long id)
        {
            var original = http.Response.Body;
            var copy = new KeptAnswer(original, MaxKeptBytes);
            http.Response.Body = copy;
            var ran = false;
            try
            {
                await next(http);
                // Done once the handler returned: its writes are committed. A client gone while the answer is sent
                // changes nothing, and the answer is kept for its resend (else that resend would write again).
                ran = true;
                await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
            }
            finally
            {
                http.Response.Body = original;
                // Bookkeeping after the answer is decided: not cancelled by a client that went away.
                await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
                var rows = db.IdempotentRequests.Where(r => r.Id == id);
                if (!ran || http.Response.StatusCode >= 500)
                {
                    await rows.ExecuteDeleteAsync(CancellationToken.None);
                }
                else
                {
                    var (status, type, location, etag) = (http.Response.StatusCode, http.Response.ContentType,
                        http.Response.Headers.Location.ToString(), http.Response.Headers.ETag.ToString());
                    var body = copy.Kept;
                    await rows.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, status).SetProperty(r => r.ContentType, Cut(type, 200))
                        .SetProperty(r => r.Location, Cut(location, 2000)).SetProperty(r => r.ETag, Cut(etag, 100))
                        .SetProperty(r => r.Body, body), CancellationToken.None);
                }
            }
        }

        /// <summary>The API's problem details; a page's status alone, which the workspace shows as a Chinese page.</summary>
        private Task RefuseAsync(Refusal refusal, int status)
        {
            if (!page) return Problems.Of(refusal).ExecuteAsync(http);
            http.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        private static string? Cut(string? text, int max) => string.IsNullOrEmpty(text) ? null : text.Length <= max ? text : null;

        private async Task ReplayAsync(IdempotentRequest first, int status)
        {
            if (first.Body is null)
            {
                await RefuseAsync(Refusal.Conflict("Idempotency.AnswerNotKept"), StatusCodes.Status409Conflict);
                return;
            }
            http.Response.StatusCode = status;
            http.Response.Headers[ReplayedHeader] = "true";
            if (first.ContentType is { } type) http.Response.ContentType = type;
            if (first.Location is { } location) http.Response.Headers.Location = location;
            if (first.ETag is { } etag) http.Response.Headers.ETag = etag;
            if (first.Body is { Length: > 0 } body) await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>The response body as written, passed on at once and kept on the side up to a limit (null beyond it).</summary>
    private sealed class KeptAnswer(Stream inner, int max) : Stream
    {
        private MemoryStream? kept = new();

        public byte[]? Kept => kept?.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (kept is null) return;
            if (kept.Length + bytes.Length > max) kept = null;
            else kept.Write(bytes);
        }
    }
}

/// <summary>Forgets the keys of writes older than <see cref="IdempotentWrites.KeepHours"/> hours: one set-based delete.</summary>
public sealed class IdempotencyPrune(FleetDbContext db, TimeProvider clock)
{
    public const string Id = "idempotency-prune";

    public Task<int> RunAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime.AddHours(-IdempotentWrites.KeepHours);
        return db.IdempotentRequests.Where(r => r.StartedAt < before).ExecuteDeleteAsync(ct);
    }
}
