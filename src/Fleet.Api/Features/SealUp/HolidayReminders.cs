using Fleet.Api.Features.Jobs;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.SealUp;

/// <summary>
/// A configured number of days before each seal deadline, puts one integrity reminder per unit that still has vehicles
/// to seal into the outbox (a unique index keeps it to one), then delivers what the outbox holds over every channel
/// (<see cref="IReminderSender"/>: the log, group robots, SMS to each vehicle administrator). A reminder is claimed
/// (marked sent) before it goes out, so two runs never send it at once; each attempt per channel and recipient is
/// recorded (<see cref="ReminderDelivery"/>), and one that went out is never sent again. A reminder not delivered
/// everywhere waits (back-off: 5, 10, 20, 40 minutes) for the next run, which tries only what failed, until
/// <see cref="MaxAttempts"/>. Who is reminded is <see cref="SealUpRules"/>' (<see cref="SealUpRules.UnitsToRemindAsync"/>).
/// </summary>
/// <remarks>
/// Moved from Fleet.Api.Features.Jobs: Hangfire stores a job's type by name. The recurring jobs (<see cref="Id"/>,
/// <see cref="DeliveryId"/>) are re-registered at start and pick up this type; a run queued by an older release under the
/// old name fails to deserialize (delete it; the next run does the same work).
/// </remarks>
public sealed class HolidayReminders(FleetDbContext db, SealUpRules rules, IEnumerable<IReminderSender> senders, LocalTime local, TimeProvider clock,
    IOptions<JobOptions> options, GatewayReply replies, ILogger<HolidayReminders> logger)
{
    public const string Id = "holiday-reminders";
    public const int MaxAttempts = 5;
    public const string DeliveryId = "reminder-delivery";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var _ = AuditActor.RunAs(JobsModule.Actor(Id));
        var now = clock.GetUtcNow().UtcDateTime;
        var schedules = await rules.SchedulesToRemindAsync(now, options.Value.ReminderDaysBeforeDeadline, ct);
        // Two runs at once: the unique index on schedule and unit lets one reminder in; the loser queues what is left.
        foreach (var schedule in schedules)
            await SetBased.RetryRacesAsync(db, () => QueueAsync(schedule, now, ct), ct);
        await DeliverAsync(ct);
    }

    private async Task QueueAsync(ScheduleToRemind schedule, DateTime now, CancellationToken ct)
    {
        // Who is reminded is the seal-up rules' business; the job words it and puts it in the outbox.
        var units = await rules.UnitsToRemindAsync(schedule.Id, ct);
        foreach (var batch in units.Chunk(500))
        {
            foreach (var unit in await rules.RemindersForAsync(schedule.Id, batch, ct))
            {
                db.Reminders.Add(new Reminder
                {
                    ScheduleId = schedule.Id,
                    UnitId = unit.UnitId,
                    Recipients = LogReminderSender.Truncate(string.Join(",", unit.Admins.DefaultIfEmpty("(no vehicle administrator)")), 1000),
                    Body = Body(unit.Unit, schedule.Holiday, local.ToLocal(schedule.SealDeadline), unit.Plates),
                    VehicleCount = unit.Plates.Count,
                    Status = ReminderStatus.Pending,
                    CreatedAt = now,
                });
            }
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Delivers what the outbox holds and is due: the recurring delivery job, between the daily runs that queue.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task DeliverDueAsync(CancellationToken ct)
    {
        using var _ = AuditActor.RunAs(JobsModule.Actor(DeliveryId));
        await DeliverAsync(ct);
    }

    private async Task DeliverAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await db.Reminders.AsNoTracking().Where(r => r.Status == ReminderStatus.Pending && (r.NextAttemptAt == null || r.NextAttemptAt <= now))
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).Take(5000).ToListAsync(ct);
        var channels = senders.ToList();
        foreach (var id in pending)
        {
            if (await ClaimAsync(id, ct) is not { } reminder) continue;
            var errors = new List<string>();
            try
            {
                await SendAsync(reminder, channels, errors, ct);
            }
            catch (Exception e)
            {
                // Stopped part way (shut down, the database gone): the reminder goes back to the outbox for the next run,
                // which sends only what has no Sent delivery.
                errors.Add("interrupted: " + replies.Masked(e.Message));
                logger.LogWarning(e, "Delivering reminder {Reminder} was interrupted", reminder.Id);
            }
            if (errors.Count > 0) await ReturnToOutboxAsync(reminder, errors);
            ct.ThrowIfCancellationRequested();
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Claims a pending reminder (marks it sent) before it goes out; null when another run got here first.</summary>
    private async Task<Reminder?> ClaimAsync(Guid id, CancellationToken ct)
    {
        var reminder = await db.Reminders.FirstAsync(r => r.Id == id, ct);
        if (reminder.Status != ReminderStatus.Pending) return null;
        // Claim it first: if another run got here, its update wins and this one skips the reminder.
        reminder.Status = ReminderStatus.Sent;
        reminder.SentAt = clock.GetUtcNow().UtcDateTime;
        reminder.Attempts++;
        db.AuditAs(reminder, "Send");
        try
        {
            await db.SaveChangesAsync(ct);
            return reminder;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return null;
        }
    }

    /// <summary>Sends the reminder over every channel to every recipient it has not yet reached; each failure added to <paramref name="errors"/>.</summary>
    private async Task SendAsync(Reminder reminder, List<IReminderSender> channels, List<string> errors, CancellationToken ct)
    {
        var admins = await rules.UnitAdminsAsync(reminder.UnitId, ct);
        var delivered = (await db.ReminderDeliveries.AsNoTracking().Where(d => d.ReminderId == reminder.Id && d.Status == DeliveryStatus.Sent)
            .Select(d => new { d.Channel, d.Recipient }).ToListAsync(ct)).Select(d => (d.Channel, d.Recipient)).ToHashSet();
        foreach (var channel in channels)
            foreach (var recipient in channel.Recipients(reminder, admins).Select(r => LogReminderSender.Truncate(r, 200)).ToList())
            {
                if (delivered.Contains((channel.Channel, recipient))) continue;
                string? error = null;
                try
                {
                    await channel.SendAsync(reminder, recipient, admins, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Masked before it is kept or logged (the exception itself is not logged): a gateway's reply may echo its key.
                    error = $"{channel.Channel} → {recipient}: {replies.Masked(e.Message)}";
                    errors.Add(error);
                    logger.LogWarning("Reminder {Reminder} could not be sent over {Channel} to {Recipient} (attempt {Attempt}): {Error} {Reason}",
                        reminder.Id, channel.Channel, recipient, reminder.Attempts, e.GetType().Name, replies.Masked(e.Message));
                }
                // Kept at once: a run stopped after this send still knows it went out.
                db.ReminderDeliveries.Add(new ReminderDelivery
                {
                    ReminderId = reminder.Id,
                    Channel = channel.Channel,
                    Recipient = recipient,
                    Status = error is null ? DeliveryStatus.Sent : DeliveryStatus.Failed,
                    AttemptedAt = clock.GetUtcNow().UtcDateTime,
                    Error = error is null ? null : LogReminderSender.Truncate(error, 2000),
                });
                await db.SaveChangesAsync(CancellationToken.None);
            }
    }

    /// <summary>A reminder not delivered everywhere waits for the next run (back-off), or fails after <see cref="MaxAttempts"/>.</summary>
    private async Task ReturnToOutboxAsync(Reminder reminder, List<string> errors)
    {
        reminder.Status = reminder.Attempts >= MaxAttempts ? ReminderStatus.Failed : ReminderStatus.Pending;
        reminder.SentAt = null;
        reminder.LastError = LogReminderSender.Truncate(string.Join("; ", errors), 2000);
        reminder.NextAttemptAt = reminder.Status == ReminderStatus.Pending ? clock.GetUtcNow().UtcDateTime.Add(Backoff(reminder.Attempts)) : null;
        db.AuditAs(reminder, "SendFailed");
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>How long a reminder waits after its n-th failed attempt: 5 minutes, doubling.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(5 * Math.Pow(2, Math.Max(0, attempts - 1)));

    public static string Body(string unit, string holiday, DateTime deadlineLocal, IReadOnlyList<string> plates)
    {
        var list = string.Join("、", plates.Take(100)) + (plates.Count > 100 ? $"等{plates.Count}辆" : "");
        return LogReminderSender.Truncate($"【廉洁提醒】{unit}：{holiday}假期将至，请于{deadlineLocal:yyyy-MM-dd HH:mm}前将以下{plates.Count}辆公务用车封存到指定停放地点：{list}。" +
            "节假日期间严禁公车私用，违者将依规依纪严肃处理。", 4000);
    }
}

/// <summary>The seal-up area's jobs: the reconcile, the holiday reminders and their delivery, and the reminder channels.</summary>
public static class SealUpJobs
{
    public static IServiceCollection AddSealUpJobs(this IServiceCollection services, IConfiguration config)
    {
        services.AddReminderSenders(config);
        services.AddFleetJob<SealUpReconcile>(SealUpReconcile.Id,
            new JobText("封存核查", "按封存安排生成封存指令，截止后把仍未封存的车辆标为逾期并开具违规，到解封时间自动解封。"), o => o.SealUpReconcileCron, j => j.RunAsync(CancellationToken.None), "sealup-reconcile");
        services.AddFleetJob<HolidayReminders>(HolidayReminders.Id,
            new JobText("节前廉政提醒", "封存截止前几天，向仍有车辆待封存的单位发出廉政提醒（短信、群机器人），并投递待发的提醒。"), o => o.HolidayRemindersCron, j => j.RunAsync(CancellationToken.None), "holiday-reminders");
        services.AddFleetJob<HolidayReminders>(HolidayReminders.DeliveryId,
            new JobText("提醒补发", "重新投递上次发送失败的提醒，只发给尚未送达的渠道和接收人。"), o => o.ReminderDeliveryCron, j => j.DeliverDueAsync(CancellationToken.None));
        return services;
    }
}
