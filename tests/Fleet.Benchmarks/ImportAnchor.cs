using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExcelDataReader;
using Fleet.Api.Features;
using Fleet.Api.Features.Vehicles;
using Fleet.Data.Entities;
using Microsoft.Data.Sqlite;

namespace Fleet.Benchmarks;

/// <summary>
/// The anchor for the vehicle import, in a process of its own on its own copy of the database: the workbook read once,
/// streaming, with ExcelDataReader; every row given the checks Fleet gives it (required fields, plate and VIN formats
/// and check digit, category and source by name or Chinese label, numbers and dates, the unit code, repeats in the file,
/// plates and VINs already registered); then, in one transaction with statements prepared once, every vehicle inserted
/// with its audit entry, and the standards' violations (over standard, illegal source, over quota) with theirs.
/// </summary>
public static class ImportAnchor
{
    public sealed record Figure(double Seconds, double PeakMb, int Rows, int Violations);

    private sealed record Row(string Plate, string Vin, string Make, string Model, VehicleCategory Category, decimal Displacement, decimal Price,
        DateOnly Acquired, VehicleSource Source, string UnitId);

    public static async Task<Figure> RunAsync(string database, string workbook)
    {
        return await Measure.ChildAsync<Figure>("anchor-import-child", database, workbook);
    }

    public static void Child(string database, string workbook)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var clock = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }
        var units = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var quotas = new Dictionary<string, int>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "Code", "Id", "VehicleQuota" FROM "Units" """;
            using var r = command.ExecuteReader();
            while (r.Read())
            {
                units[r.GetString(0)] = r.GetString(1);
                quotas[r.GetString(1)] = r.GetInt32(2);
            }
        }
        using var plateTaken = connection.CreateCommand();
        plateTaken.CommandText = """SELECT 1 FROM "Vehicles" WHERE "PlateNumber" = $v""";
        var plateParameter = plateTaken.Parameters.Add("$v", SqliteType.Text);
        plateTaken.Prepare();
        using var vinTaken = connection.CreateCommand();
        vinTaken.CommandText = """SELECT 1 FROM "Vehicles" WHERE "Vin" = $v""";
        var vinParameter = vinTaken.Parameters.Add("$v", SqliteType.Text);
        vinTaken.Prepare();

        var rows = new List<Row>();
        var errors = 0;
        var plates = new HashSet<string>();
        var vins = new HashSet<string>();
        using (var stream = File.OpenRead(workbook))
        using (var reader = ExcelReaderFactory.CreateOpenXmlReader(stream))
        {
            reader.Read();
            var header = Enumerable.Range(0, reader.FieldCount).ToDictionary(i => reader.GetValue(i)?.ToString() ?? "", i => i);
            int[] at = [.. ImportVehicles.Columns.Select(c => header[c])];
            while (reader.Read())
            {
                string? Text(int c) => reader.GetValue(at[c])?.ToString()?.Trim() is { Length: > 0 } t ? t : null;
                var plate = Plates.Normalise(Text(0));
                var vin = Vins.Normalise(Text(1));
                var ok = Plates.IsValid(plate) && Vins.IsValid(vin) && Text(2) is not null && Text(3) is not null;
                var category = Choice<VehicleCategory>(Text(4));
                var source = Choice<VehicleSource>(Text(8));
                var displacement = reader.GetValue(at[5]) is double d ? (decimal)d : -1;
                var price = reader.GetValue(at[6]) is double p ? (decimal)p : -1;
                var acquired = reader.GetValue(at[7]) switch
                {
                    DateTime t => DateOnly.FromDateTime(t),
                    double n => DateOnly.FromDateTime(DateTime.FromOADate(n)),
                    _ => (DateOnly?)null,
                };
                ok &= category is not null && source is not null && displacement is >= 0 and < 20 && price >= 0 && acquired is not null;
                ok &= units.TryGetValue(Text(9) ?? "", out var unit);
                ok &= plates.Add(plate) & vins.Add(vin);
                plateParameter.Value = plate;
                vinParameter.Value = vin;
                ok &= plateTaken.ExecuteScalar() is null & vinTaken.ExecuteScalar() is null;
                if (!ok) errors++;
                else rows.Add(new Row(plate, vin, Text(2)!, Text(3)!, category!.Value, displacement, price, acquired!.Value, source!.Value, unit!));
            }
        }
        if (errors > 0) throw new InvalidOperationException($"{errors} bad rows");

        var held = new Dictionary<string, int>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "UnitId", count(*) FROM "Vehicles" WHERE "Status" IN ('Active', 'UnderRecovery') GROUP BY "UnitId" """;
            using var r = command.ExecuteReader();
            while (r.Read()) held[r.GetString(0)] = r.GetInt32(1);
        }
        var now = DateTime.UtcNow;
        var stamp = now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        var violations = 0;
        using (var transaction = connection.BeginTransaction())
        {
            SqliteCommand Prepare(string sql, int parameters)
            {
                var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                for (var i = 0; i < parameters; i++) command.Parameters.Add($"$p{i}", SqliteType.Text);
                command.Prepare();
                return command;
            }
            using var vehicle = Prepare("""
                INSERT INTO "Vehicles" ("Id", "PlateNumber", "Vin", "Make", "Model", "Category", "EngineDisplacement", "PurchasePrice", "AcquiredOn",
                    "Source", "UnitId", "Status", "OverStandard", "RegisteredAt", "Version")
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, 'Active', $p11, $p12, 1)
                """, 13);
            using var violation = Prepare("""
                INSERT INTO "Violations" ("Id", "Type", "VehicleId", "PlateNumber", "UnitId", "DetectedAt", "Source", "SourceId", "DedupKey", "Status", "Version")
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, 'Registration', $p2, $p6, 'Open', 1)
                """, 7);
            using var audit = Prepare("""
                INSERT INTO "AuditEntries" ("At", "Actor", "Entity", "EntityId", "Action", "After") VALUES ($p0, 'admin', $p1, $p2, 'Create', $p3)
                """, 4);
            void Audit(string entity, string id, object after)
            {
                audit.Parameters[0].Value = stamp;
                audit.Parameters[1].Value = entity;
                audit.Parameters[2].Value = id;
                audit.Parameters[3].Value = JsonSerializer.Serialize(after);
                audit.ExecuteNonQuery();
            }
            void Open(ViolationType type, Guid vehicleId, Row row)
            {
                var id = Guid.CreateVersion7();
                var key = $"Registration:{type}:{vehicleId}";
                object?[] values = [id.ToString().ToUpperInvariant(), type.ToString(), vehicleId.ToString().ToUpperInvariant(), row.Plate, row.UnitId, stamp, key];
                for (var i = 0; i < values.Length; i++) violation.Parameters[i].Value = values[i];
                violation.ExecuteNonQuery();
                Audit("Violation", id.ToString(), new SortedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["dedupKey"] = key,
                    ["detectedAt"] = now,
                    ["id"] = id,
                    ["plateNumber"] = row.Plate,
                    ["source"] = "Registration",
                    ["sourceId"] = vehicleId,
                    ["status"] = "Open",
                    ["type"] = type.ToString(),
                    ["unitId"] = row.UnitId.ToLowerInvariant(),
                    ["vehicleId"] = vehicleId,
                    ["version"] = 1,
                });
                violations++;
            }
            foreach (var row in rows)
            {
                var id = Guid.CreateVersion7();
                var over = row.Category == VehicleCategory.General && (row.Displacement > 1.8m || row.Price > 180_000m);
                object?[] values =
                [
                    id.ToString().ToUpperInvariant(), row.Plate, row.Vin, row.Make, row.Model, row.Category.ToString(),
                    row.Displacement.ToString(CultureInfo.InvariantCulture), row.Price.ToString(CultureInfo.InvariantCulture),
                    row.Acquired.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.Source.ToString(), row.UnitId, over ? "1" : "0", stamp,
                ];
                for (var i = 0; i < values.Length; i++) vehicle.Parameters[i].Value = values[i];
                vehicle.ExecuteNonQuery();
                Audit("Vehicle", id.ToString(), new SortedDictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["acquiredOn"] = row.Acquired,
                    ["category"] = row.Category.ToString(),
                    ["engineDisplacement"] = row.Displacement,
                    ["id"] = id,
                    ["make"] = row.Make,
                    ["model"] = row.Model,
                    ["overStandard"] = over,
                    ["plateNumber"] = row.Plate,
                    ["purchasePrice"] = row.Price,
                    ["registeredAt"] = now,
                    ["source"] = row.Source.ToString(),
                    ["status"] = "Active",
                    ["unitId"] = row.UnitId.ToLowerInvariant(),
                    ["version"] = 1,
                    ["vin"] = row.Vin,
                });
                if (over) Open(ViolationType.OverStandard, id, row);
                if (row.Source != VehicleSource.Allocated) Open(ViolationType.IllegalSource, id, row);
                held[row.UnitId] = held.GetValueOrDefault(row.UnitId) + 1;
                if (held[row.UnitId] > quotas[row.UnitId]) Open(ViolationType.OverQuota, id, row);
            }
            transaction.Commit();
        }
        var figure = new Figure(clock.Elapsed.TotalSeconds, Measure.PeakMb(Environment.ProcessId), rows.Count, violations);
        Console.WriteLine(JsonSerializer.Serialize(figure));
    }

    private static T? Choice<T>(string? text) where T : struct, Enum
    {
        if (text is null) return null;
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text[0])) return value;
        foreach (var (v, label) in Labels.All<T>())
            if (label == text) return v;
        return null;
    }
}
