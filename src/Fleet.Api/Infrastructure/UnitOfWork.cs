using Microsoft.EntityFrameworkCore.Storage;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// A rule's transaction: its own, or the caller's when one is already open (the demo enters a whole district in one).
/// Disposing without committing rolls back what the rule wrote.
/// </summary>
public sealed class UnitOfWork(IDbContextTransaction? owned) : IAsyncDisposable
{
    public static async Task<UnitOfWork> BeginAsync(FleetDbContext db, CancellationToken ct) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null);

    public Task CommitAsync(CancellationToken ct) => owned?.CommitAsync(ct) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
