using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.Usage;

public sealed record UsageImported(int Imported, int Duplicates, List<RowError> Errors, int ErrorCount = 0, int ViolationsOpened = 0, int Rows = 0);

/// <summary>The file as uploaded: its name and SHA-256, which the import's audit entry keeps.</summary>
public sealed record UsageUpload(string FileName, string Sha256);

/// <summary>
/// Usage records come in by import only, and are evidence: never changed. A record is kept once, by its natural key
/// (unique in the database, so two imports of the same file at once settle there); a repeat, in the file or of a
/// record already imported, is counted as a duplicate, not added. Each plate (or fuel card) must be a registered
/// vehicle's, whose unit the record then belongs to for reading. The new records are then checked against the seals
/// (<see cref="UsageCheck"/>). The file is read twice as a stream: checked whole first, so that a bad row writes
/// nothing; then written (<see cref="UsageWriter"/>: in parts, each audited once, each record naming its part).
/// </summary>
public sealed class UsageRules(FleetDbContext db, UsageWriter writer, UsageCheck check, ILogger<UsageRules> logger)
{
    private const int MaxErrors = 1000;

    public async Task<Outcome<UsageImported>> ImportAsync(Caller caller, UsageKind kind, UsageSheet.Reader file, UsageUpload upload, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.Inspector) is { } forbidden) return forbidden;

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (scan, register) = await ScanAsync(file, ct);
        if (file.FileProblem is not null) return Refusal.Invalid("file", file.FileProblem);
        var (vehicles, cardPlates) = await MatchAsync(file, scan, register, ct);
        if (scan.ErrorCount > 0) return new UsageImported(0, 0, scan.Errors, scan.ErrorCount, 0, scan.Rows);
        var checkedIn = watch.Elapsed.TotalSeconds;
        if (scan.Rows == 0) return Refusal.Invalid("file", "Usage.NoRows");

        var written = await writer.WriteAsync(file, new CheckedImport(kind, upload, caller.Username, vehicles, cardPlates), ct);
        if (written.Refusal is { } refused) return refused;
        var imported = written.Value;
        var insertedIn = watch.Elapsed.TotalSeconds;
        var opened = imported > 0 ? await CheckSealsAsync(scan, upload) : 0;
        logger.LogInformation("Usage import {File} ({Kind}, {Rows} rows, {Plates} cars): read and checked in {Checked:F1} s, {Imported} inserted by {Inserted:F1} s, " +
            "{Opened} violations opened by {Done:F1} s", upload.FileName, kind, scan.Rows, scan.Plates.Count, checkedIn, imported, insertedIn, opened, watch.Elapsed.TotalSeconds);
        return new UsageImported(imported, scan.Rows - imported, [], 0, opened, scan.Rows);
    }

    /// <summary>What the first pass over the file found: its rows' errors, and the plates, cards and times of the good rows.</summary>
    private sealed class Scan
    {
        public List<RowError> Errors { get; } = [];
        public int ErrorCount { get; set; }
        public HashSet<string> Plates { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Cards { get; } = new(StringComparer.Ordinal);
        public int Rows { get; set; }
        public DateTime? First { get; set; }
        public DateTime? Last { get; set; }

        public void Refuse(RowError error)
        {
            ErrorCount++;
            if (Errors.Count < MaxErrors) Errors.Add(error);
        }
    }

    /// <summary>First pass: every row checked, the distinct plates and cards gathered; a large file's register read beside it.</summary>
    private async Task<(Scan Scan, Dictionary<string, (Guid Id, Guid UnitId)>? Register)> ScanAsync(UsageSheet.Reader file, CancellationToken ct)
    {
        var register = writer.ReadRegisterBeside(file.Length, ct);
        var scan = new Scan();
        try
        {
            foreach (var (row, rowErrors) in file.Rows())
            {
                scan.Rows++;
                if (rowErrors is not null)
                {
                    scan.ErrorCount += rowErrors.Count;
                    if (scan.Errors.Count < MaxErrors) scan.Errors.AddRange(rowErrors);
                    continue;
                }
                if (row!.PlateNumber.Length > 0) scan.Plates.Add(row.PlateNumber);
                if (row.CardNumber is not null) scan.Cards.Add(row.CardNumber);
                if (scan.First is null || row.StartedAt < scan.First) scan.First = row.StartedAt;
                if (scan.Last is null || row.StartedAt > scan.Last) scan.Last = row.StartedAt;
            }
        }
        catch (Exception) when (register is not null)
        {
            // A file refused half way: the register's reader is still using the context.
            try { await register; } catch (Exception e) when (register.IsFaulted || register.IsCanceled || e is OperationCanceledException) { }
            throw;
        }
        // The register's reader uses the context: it is done before anything else does, whatever the outcome.
        return (scan, register is null ? null : await register);
    }

    /// <summary>
    /// Each plate must be a registered car's. A fuel card names its car by the register (one car, one card): rows that
    /// give only the card take its plate; rows that give both must agree. What does not match is a row error.
    /// </summary>
    private async Task<(Dictionary<string, (Guid Id, Guid UnitId)> Vehicles, Dictionary<string, string> CardPlates)> MatchAsync(
        UsageSheet.Reader file, Scan scan, Dictionary<string, (Guid Id, Guid UnitId)>? register, CancellationToken ct)
    {
        var vehicles = register ?? new Dictionary<string, (Guid Id, Guid UnitId)>(StringComparer.Ordinal);
        if (register is null)
            foreach (var chunk in scan.Plates.Chunk(500))
                foreach (var v in await db.Vehicles.AsNoTracking().Where(v => chunk.Contains(v.PlateNumber)).Select(v => new { v.PlateNumber, v.Id, v.UnitId }).ToListAsync(ct))
                    vehicles[v.PlateNumber] = (v.Id, v.UnitId);
        var cardPlates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in scan.Cards.Chunk(500))
            foreach (var v in await db.Vehicles.AsNoTracking().Where(v => chunk.Contains(v.FuelCardNumber!)).Select(v => new { v.FuelCardNumber, v.PlateNumber, v.Id, v.UnitId }).ToListAsync(ct))
            {
                cardPlates[v.FuelCardNumber!] = v.PlateNumber;
                vehicles[v.PlateNumber] = (v.Id, v.UnitId);
            }
        if (scan.Cards.Count > 0 || scan.Plates.Any(p => !vehicles.ContainsKey(p)))
            foreach (var (row, _) in file.Rows())
                if (row is not null && Unmatched(row, vehicles, cardPlates) is { } error)
                    scan.Refuse(error);
        return (vehicles, cardPlates);
    }

    private static RowError? Unmatched(UsageRow row, Dictionary<string, (Guid Id, Guid UnitId)> vehicles, Dictionary<string, string> cardPlates)
    {
        if (row.CardNumber is { } card && !cardPlates.ContainsKey(card))
            return new(row.Row, "cardNumber", "Usage.UnknownCard", ("card", card));
        if (row.PlateNumber.Length > 0 && !vehicles.ContainsKey(row.PlateNumber))
            return new(row.Row, "plateNumber", "Usage.NotRegistered", ("plate", row.PlateNumber));
        if (row.CardNumber is not null && row.PlateNumber.Length > 0 && cardPlates[row.CardNumber] != row.PlateNumber)
            return new(row.Row, "cardNumber", "Usage.CardOfOther", ("card", row.CardNumber), ("holder", cardPlates[row.CardNumber]), ("plate", row.PlateNumber));
        return null;
    }

    /// <summary>The record a checked row makes: its car (by plate, or by its fuel card) and that car's unit.</summary>
    public static UsageRecord Record(CheckedImport import, UsageRow row, DateTime now)
    {
        if (row.PlateNumber.Length == 0) row = row with { PlateNumber = import.CardPlates[row.CardNumber!] };
        var (vehicleId, unitId) = import.Vehicles[row.PlateNumber];
        return new UsageRecord
        {
            Kind = import.Kind,
            VehicleId = vehicleId,
            PlateNumber = row.PlateNumber,
            UnitId = unitId,
            StartedAt = row.StartedAt,
            EndedAt = row.EndedAt,
            Place = row.Place,
            EndPlace = row.EndPlace,
            Quantity = row.Quantity,
            Amount = row.Amount,
            NaturalKey = UsageSheet.NaturalKey(import.Kind, row),
            ImportedAt = now,
            ImportedBy = import.ImportedBy,
        };
    }

    /// <summary>
    /// The new records are checked against every seal their times can fall in, at once: an import is what shows it.
    /// The records are in; should the check fail now, the hourly job finds them, and the import still succeeded.
    /// </summary>
    private async Task<int> CheckSealsAsync(Scan scan, UsageUpload upload)
    {
        try
        {
            // To its end even when the caller has gone: the hourly job only looks back SealLookbackDays, and a month's
            // file imported late would otherwise stay unchecked.
            return (await check.CheckAsync(scan.First, scan.Last, CancellationToken.None)).ViolationsOpened;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "The usage check after importing {File} failed; the usage-check job will find its records", upload.FileName);
            return 0;
        }
    }
}
