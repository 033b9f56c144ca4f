using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Jobs;

/// <summary>Delivers one reminder over a channel (SMS gateway, e-mail...). Throwing leaves it in the outbox for a later run.</summary>
public interface IReminderSender
{
    Task SendAsync(Reminder reminder, CancellationToken ct);
}

/// <summary>The default channel: the log.</summary>
public sealed class LogReminderSender(ILogger<LogReminderSender> logger) : IReminderSender
{
    public Task SendAsync(Reminder reminder, CancellationToken ct)
    {
        logger.LogInformation("Reminder to {Recipients}: {Body}", reminder.Recipients, reminder.Body);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A configured number of days before each seal deadline, puts one integrity reminder per unit that still has vehicles
/// to seal into the outbox (a unique index keeps it to one), then delivers what the outbox holds. A reminder is claimed
/// (marked sent) before it goes out, so two runs never send it twice.
/// </summary>
public sealed class HolidayReminders(FleetDbContext db, IReminderSender sender, LocalTime local, TimeProvider clock,
    IOptions<JobOptions> options, ILogger<HolidayReminders> logger)
{
    public const string Id = "holiday-reminders";
    private const int MaxAttempts = 5;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var _ = AuditActor.RunAs(JobsModule.Actor(Id));
        var now = clock.GetUtcNow().UtcDateTime;
        var horizon = now.AddDays(options.Value.ReminderDaysBeforeDeadline);
        var schedules = await db.SealUpSchedules.AsNoTracking()
            .Where(s => s.SealDeadline > now && s.SealDeadline <= horizon)
            .Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s.Id, s.SealDeadline, h.Name })
            .ToListAsync(ct);
        // Two runs at once: the unique index on schedule and unit lets one reminder in; the loser queues what is left.
        foreach (var schedule in schedules)
            await SetBased.RetryRacesAsync(db, () => QueueAsync(schedule.Id, schedule.Name, schedule.SealDeadline, now, ct), ct);
        await DeliverAsync(ct);
    }

    private async Task QueueAsync(Guid scheduleId, string holiday, DateTime deadline, DateTime now, CancellationToken ct)
    {
        // Units with vehicles still to seal and no reminder yet for this schedule.
        var units = await db.SealOrders.AsNoTracking()
            .Where(o => o.ScheduleId == scheduleId && o.Status == SealOrderStatus.Pending)
            .Where(o => !db.Reminders.Any(r => r.ScheduleId == scheduleId && r.UnitId == o.UnitId))
            .Select(o => o.UnitId).Distinct().ToListAsync(ct);
        foreach (var batch in units.Chunk(500))
        {
            var plates = (await db.SealOrders.AsNoTracking()
                .Where(o => o.ScheduleId == scheduleId && o.Status == SealOrderStatus.Pending && batch.Contains(o.UnitId))
                .Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { o.UnitId, v.PlateNumber })
                .ToListAsync(ct)).ToLookup(x => x.UnitId, x => x.PlateNumber);
            var names = await db.Units.Where(u => batch.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
            var admins = (await db.Users.AsNoTracking().Where(u => u.Role == Role.VehicleAdmin && !u.Disabled && batch.Contains(u.UnitId!.Value))
                .Select(u => new { u.UnitId, u.Username }).ToListAsync(ct)).ToLookup(u => u.UnitId!.Value, u => u.Username);
            foreach (var unitId in batch)
            {
                db.Reminders.Add(new Reminder
                {
                    ScheduleId = scheduleId,
                    UnitId = unitId,
                    Recipients = Truncate(string.Join(",", admins[unitId].DefaultIfEmpty("(no vehicle administrator)")), 1000),
                    Body = Body(names[unitId], holiday, local.ToLocal(deadline), plates[unitId].Order().ToList()),
                    VehicleCount = plates[unitId].Count(),
                    Status = ReminderStatus.Pending,
                    CreatedAt = now,
                });
            }
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task DeliverAsync(CancellationToken ct)
    {
        var pending = await db.Reminders.AsNoTracking().Where(r => r.Status == ReminderStatus.Pending)
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).Take(5000).ToListAsync(ct);
        foreach (var id in pending)
        {
            var reminder = await db.Reminders.FirstAsync(r => r.Id == id, ct);
            if (reminder.Status != ReminderStatus.Pending) continue;
            // Claim it first: if another run got here, its update wins and this one skips the reminder.
            reminder.Status = ReminderStatus.Sent;
            reminder.SentAt = clock.GetUtcNow().UtcDateTime;
            reminder.Attempts++;
            db.AuditAs(reminder, "Send");
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                continue;
            }
            try
            {
                await sender.SendAsync(reminder, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reminder {Reminder} could not be sent (attempt {Attempt})", reminder.Id, reminder.Attempts);
                reminder.Status = reminder.Attempts >= MaxAttempts ? ReminderStatus.Failed : ReminderStatus.Pending;
                reminder.SentAt = null;
                reminder.LastError = Truncate(e.Message, 2000);
                db.AuditAs(reminder, "SendFailed");
                await db.SaveChangesAsync(ct);
            }
            db.ChangeTracker.Clear();
        }
    }

    public static string Body(string unit, string holiday, DateTime deadlineLocal, IReadOnlyList<string> plates)
    {
        var list = string.Join("、", plates.Take(100)) + (plates.Count > 100 ? $"等{plates.Count}辆" : "");
        return Truncate($"【廉洁提醒】{unit}：{holiday}假期将至，请于{deadlineLocal:yyyy-MM-dd HH:mm}前将以下{plates.Count}辆公务用车封存到指定停放地点：{list}。" +
            "节假日期间严禁公车私用，违者将依规依纪严肃处理。", 4000);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
