namespace Fleet.Api.Features.Vehicles;

/// <summary>
/// What may hold a vehicle from disposal: the seal-up area's orders (a car expected sealed, or sealed, is disposed of
/// only once released). Asked here, answered by the area that owns the orders (<c>SealUpRules</c>), so that the
/// register does not depend on the areas built on it.
/// </summary>
public interface IDisposalHolds
{
    /// <summary>Why the vehicle may not be disposed of now; null when nothing holds it.</summary>
    Task<Refusal?> HoldsFromDisposalAsync(Guid vehicleId, CancellationToken ct);
}

/// <summary>
/// Registering, editing and retiring vehicles, each through the standards check. Registration always succeeds when
/// the fields are right (Fleet records reality); what breaks a standard opens a violation.
/// </summary>
public sealed class VehicleRules(FleetDbContext db, Standards standards, ScopeClock clock, Fleet.Data.Auditing.IAuditActor actor, IDisposalHolds holds)
{
    public async Task<Outcome<Vehicle>> RegisterAsync(Caller caller, VehicleRequest request, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.VehicleAdmin) is { } forbidden) return forbidden;
        if (OutsideOwnUnit(caller, request.UnitId!.Value) is { } outside) return outside;
        var vehicle = New(request, clock.GetUtcNow().UtcDateTime);
        if (await DuplicateAsync(vehicle.PlateNumber, vehicle.Vin, vehicle.FuelCardNumber, null, ct) is { } duplicate) return duplicate;

        // The quota count and the insert are one transaction that first takes the unit's row: registrations into one
        // unit queue there, so each one counts the ones before it (twenty at once open exactly nineteen OverQuota).
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        if (!await TakeUnitAsync(vehicle.UnitId, ct)) return Refusal.Invalid("unitId", "Common.NoSuchUnit");
        db.Vehicles.Add(vehicle);
        await standards.ApplyAsync(vehicle, countsAgainstQuota: true, ct);
        if (await db.SaveAsync(new CodedText("Vehicles.JustRegistered", ("plate", vehicle.PlateNumber), ("vin", vehicle.Vin)), ct) is { } lost) return lost;
        await transaction.CommitAsync(ct);
        return vehicle;
    }

    /// <summary>A vehicle administrator registers vehicles of their own unit only, one by one or by import.</summary>
    public static Refusal? OutsideOwnUnit(Caller caller, Guid unitId) =>
        caller.MaySee(unitId) ? null : Refusal.Forbidden("Vehicles.OwnUnitOnly");

    /// <summary>The unit a vehicle is registered into, named by its code (forms and workbooks name units by code); null when none has it.</summary>
    public static Task<Guid?> UnitOfCodeAsync(FleetDbContext db, string code, CancellationToken ct) =>
        db.Units.Where(u => u.Code == code).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);

    /// <summary>The refusal of a unit code no unit has.</summary>
    public static Refusal NoUnitWithCode(string code) => Refusal.Invalid("unitCode", "Vehicles.NoUnitWithCode", ("code", code));

    /// <summary>
    /// Registers a checked batch (an import) all or nothing, each vehicle counting against its unit's quota as if
    /// registered one after another. The units' rows are taken first, as for one registration.
    /// </summary>
    /// <returns>The violations the registration check opened for these cars, by type.</returns>
    public async Task<Dictionary<ViolationType, int>> ImportAsync(IEnumerable<VehicleRequest> requests, IReadOnlyCollection<Guid> unitIds, CancellationToken ct)
    {
        var opened = new Dictionary<ViolationType, int>();
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var units in unitIds.Chunk(500))
            await Standards.HoldUnitsAsync(db, units, ct);
        // Rows go in through statements prepared once, each with its audit entry, untracked: through EF's change tracker
        // and update pipeline the same work took twice as long (docs/decisions/012), and SQLite kept each batch's
        // statements in native memory until it was saved. On PostgreSQL a thousand rows and their entries go as one batch
        // (a round trip a row made 100,000 rows take 52 s there), sent before the next thousand are checked against
        // what is stored.
        using var rows = new RowInserter(db, actor, clock, batched: true);
        foreach (var batch in requests.Chunk(1000))
        {
            var vehicles = batch.Select(request => New(request, now)).ToList();
            var violations = await standards.ForNewAsync(vehicles, ct);
            foreach (var vehicle in vehicles) await rows.InsertAsync(vehicle, ct);
            foreach (var violation in violations)
            {
                await rows.InsertAsync(violation, ct);
                opened[violation.Type] = opened.GetValueOrDefault(violation.Type) + 1;
            }
            await rows.FlushAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return opened;
    }

    /// <param name="matches">Whether the caller read this version (If-Match): null when it named none.</param>
    public async Task<Outcome<Vehicle>> UpdateAsync(Caller caller, Guid id, VehicleRequest request, Func<int, bool?> matches, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.VehicleAdmin) is { } forbidden) return forbidden;
        var vehicle = await db.Vehicles.VisibleTo(caller).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (vehicle is null) return Refusal.NotFound("Vehicles.NotFound");
        switch (matches(vehicle.Version))
        {
            case null: return Refusal.VersionRequired();
            case false: return Refusal.Stale();
        }
        if (!caller.MaySee(request.UnitId!.Value))
            return Refusal.Forbidden("Vehicles.NoMove");
        if (vehicle.Status == VehicleStatus.Disposed)
            return Refusal.Conflict("Vehicles.Disposed");
        if (await DuplicateAsync(Plates.Normalise(request.PlateNumber), Vins.Normalise(request.Vin), CardOf(request) ?? vehicle.FuelCardNumber, id, ct) is { } duplicate)
            return duplicate;

        var movedUnit = vehicle.UnitId != request.UnitId;
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        if (!await TakeUnitAsync(request.UnitId.Value, ct)) return Refusal.Invalid("unitId", "Common.NoSuchUnit");
        Apply(vehicle, request);
        await standards.ApplyAsync(vehicle, countsAgainstQuota: movedUnit, ct);
        if (await db.SaveAsync(new CodedText("Vehicles.NewJustRegistered"), ct, staleIsPrecondition: true) is { } lost) return lost;
        await transaction.CommitAsync(ct);
        return vehicle;
    }

    public async Task<Outcome<Vehicle>> DisposeAsync(Caller caller, Guid id, string reason, Func<int, bool?> matches, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.VehicleAdmin) is { } forbidden) return forbidden;
        var vehicle = await db.Vehicles.VisibleTo(caller).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (vehicle is null) return Refusal.NotFound("Vehicles.NotFound");
        var named = matches(vehicle.Version);
        if (named == false) return Refusal.Stale();
        if (vehicle.Status == VehicleStatus.Disposed) return Refusal.Conflict("Vehicles.AlreadyDisposed");
        await using var work = await UnitOfWork.BeginAsync(db, ct);
        // The vehicle's row first, then its orders: a publish or reconcile giving it an order holds the row until it
        // commits (SealOrderSets.CreateMissingAsync), so the orders read next are all it will have.
        await HoldAsync(id, ct);
        if (await holds.HoldsFromDisposalAsync(id, ct) is { } held) return held;
        vehicle.Status = VehicleStatus.Disposed;
        vehicle.DisposedAt = clock.GetUtcNow().UtcDateTime;
        vehicle.DisposalReason = reason.Trim();
        // Its fuel card goes back: the card company reissues it, or the car that replaces this one takes it.
        vehicle.FuelCardNumber = null;
        db.AuditAs(vehicle, "Dispose");
        // Saved under the version read: a seal that moved it meanwhile wins, and this disposal writes nothing.
        if (await db.SaveAsync(new CodedText("Vehicles.Changed"), ct, staleIsPrecondition: named is not null) is { } lost) return lost;
        await work.CommitAsync(ct);
        return vehicle;
    }

    /// <summary>Takes the vehicle's row for this transaction: an update that changes nothing, as <see cref="Standards.HoldUnitsAsync"/> does for units.</summary>
    private Task<int> HoldAsync(Guid id, CancellationToken ct) =>
        db.Vehicles.Where(v => v.Id == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version), ct);

    /// <summary>Takes the unit's row for this transaction (<see cref="Standards.HoldUnitsAsync"/>); false when no unit has the id.</summary>
    private async Task<bool> TakeUnitAsync(Guid unitId, CancellationToken ct) => await Standards.HoldUnitsAsync(db, [unitId], ct) == 1;

    /// <summary>409 when another vehicle has the plate, VIN or fuel card; the unique indexes back this up under a race.</summary>
    private async Task<Refusal?> DuplicateAsync(string plate, string vin, string? card, Guid? except, CancellationToken ct)
    {
        if (card is { Length: > 0 } && await db.Vehicles.Where(v => v.FuelCardNumber == card && v.Id != except).Select(v => v.PlateNumber).FirstOrDefaultAsync(ct) is { } holder)
            return Refusal.Conflict("Vehicles.CardTaken", ("card", card), ("holder", holder));
        if (await db.Vehicles.AnyAsync(v => v.PlateNumber == plate && v.Id != except, ct))
            return Refusal.Conflict("Vehicles.PlateTaken", ("plate", plate));
        if (await db.Vehicles.AnyAsync(v => v.Vin == vin && v.Id != except, ct))
            return Refusal.Conflict("Vehicles.VinTaken", ("vin", vin));
        return null;
    }

    /// <summary>A vehicle as a (validated) request describes it: one way for registration and import alike.</summary>
    public static Vehicle New(VehicleRequest request, DateTime registeredAt)
    {
        var vehicle = new Vehicle { PlateNumber = "", Vin = "", Make = "", Model = "", RegisteredAt = registeredAt };
        Apply(vehicle, request);
        return vehicle;
    }

    private static void Apply(Vehicle vehicle, VehicleRequest request)
    {
        vehicle.PlateNumber = Plates.Normalise(request.PlateNumber);
        vehicle.Vin = Vins.Normalise(request.Vin);
        vehicle.Make = request.Make!.Trim();
        vehicle.Model = request.Model!.Trim();
        vehicle.Category = request.Category!.Value;
        vehicle.EngineDisplacement = request.EngineDisplacement!.Value;
        vehicle.PurchasePrice = request.PurchasePrice!.Value;
        vehicle.AcquiredOn = request.AcquiredOn!.Value;
        vehicle.Source = request.Source!.Value;
        vehicle.UnitId = request.UnitId!.Value;
        // Absent: kept as it is (an edit by a client that does not know the field); empty: removed.
        if (request.FuelCardNumber is not null) vehicle.FuelCardNumber = CardOf(request) is { Length: > 0 } card ? card : null;
    }

    /// <summary>The card the request names, normalised: null when it names none, "" when it removes it.</summary>
    private static string? CardOf(VehicleRequest request) => request.FuelCardNumber is null ? null : FuelCards.Normalise(request.FuelCardNumber);
}
