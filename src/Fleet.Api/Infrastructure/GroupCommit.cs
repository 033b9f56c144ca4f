using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// Group commit for new records that need nothing but inserting (the common spot check): concurrent requests' records
/// go into one transaction, each with its Create audit entry naming its own actor (<see cref="RowInserter"/>: statements
/// prepared once per transaction, the interceptor's shape), and each request is answered only after the transaction
/// holding its records committed. On SQLite the transaction takes the file's write gate like a save. One loop writes;
/// while it commits, the next requests queue, so a busy server commits many records at once and an idle one at once.
/// A transaction the database refuses is written again record set by record set, so one bad set fails only its request.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxPerCommit = 256;

    private sealed record Pending(string Actor, object[] Records, TaskCompletionSource<ExceptionDispatchInfo?> Done);

    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(4 * MaxPerCommit) { SingleReader = true });
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly Task loop;

    public GroupCommit(IServiceScopeFactory scopes, HostClock clock)
    {
        this.scopes = scopes;
        this.clock = clock;
        // Not in the first request's execution context (its activity, its log scopes): the loop serves every request.
        using (ExecutionContext.SuppressFlow()) loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Inserts the records, in order, with their audit entries, and returns once they are committed. A refusal by the
    /// database is thrown as SaveChanges throws it (<see cref="Microsoft.EntityFrameworkCore.DbUpdateException"/>), with
    /// nothing of the records written. Once queued, the write is not withdrawn when the caller gives up.
    /// </summary>
    public async Task WriteAsync(string actor, object[] records, CancellationToken ct)
    {
        var pending = new Pending(actor, records, new(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, ct);
        (await pending.Done.Task)?.Throw();
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxPerCommit);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxPerCommit && queue.Reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                await CommitAsync(batch);
                foreach (var pending in batch) pending.Done.TrySetResult(null);
            }
            // An insert the database refused (RowInserter reports it as SaveChanges does): nothing of the transaction
            // was written, so each set is written again alone. A failed commit is not retried: it may have been
            // written, and writing the same checks again would be refused as repeats, telling the inspectors to
            // record them again.
            catch (DbUpdateException) when (batch.Count > 1)
            {
                foreach (var pending in batch)
                {
                    try
                    {
                        await CommitAsync([pending]);
                        pending.Done.TrySetResult(null);
                    }
                    catch (Exception e)
                    {
                        pending.Done.TrySetResult(ExceptionDispatchInfo.Capture(e));
                    }
                }
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.Done.TrySetResult(ExceptionDispatchInfo.Capture(e));
            }
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
        using var gate = await db.EnterWriteGateAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync();
        // On PostgreSQL the group's inserts go as one batch: one round trip for the group instead of two per check.
        using (var rows = new RowInserter(db, actor: null, clock, batched: true))
        {
            foreach (var pending in batch)
                foreach (var record in pending.Records)
                    await rows.InsertAsync(record, pending.Actor, CancellationToken.None);
            await rows.FlushAsync(CancellationToken.None);
        }
        await transaction.CommitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }
}
