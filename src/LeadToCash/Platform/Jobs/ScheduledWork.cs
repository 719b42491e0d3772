using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace LeadToCash.Platform.Jobs;

/// <summary>
/// Time-driven work: derives what is due from database state and the injected <see cref="TimeProvider"/>, so it is
/// safe to run again, to run late, and to run on two nodes at once (markers saved with the version check). Tests call
/// <see cref="RunAsync"/> directly with a fake clock; Quartz calls it on a schedule.
/// </summary>
public interface IScheduledWork
{
    /// <summary>Does what is due now; answers how many records it acted on.</summary>
    Task<int> RunAsync(CancellationToken ct);
}

/// <summary>A work registered for the scheduler: its job name and how often it runs.</summary>
public sealed record ScheduledWorkRegistration(string Name, Type WorkType, TimeSpan Interval);

public static class JobsSetup
{
    /// <summary>Registers <typeparamref name="TWork"/> (scoped) to run every <paramref name="interval"/>.</summary>
    public static IServiceCollection AddScheduledWork<TWork>(this IServiceCollection services, string name, TimeSpan interval)
        where TWork : class, IScheduledWork
    {
        services.AddScoped<TWork>();
        services.AddSingleton(new ScheduledWorkRegistration(name, typeof(TWork), interval));
        return services;
    }

    /// <summary>
    /// Quartz (in-memory store: each work is idempotent and its state lives on the records) with a job and a trigger per
    /// registered work; call after every module has registered its work. The scheduler starts with the app unless
    /// <c>Jobs:Enabled</c> is false (the tests run the work themselves against a fake clock).
    /// </summary>
    public static IServiceCollection AddAppJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var works = services
            .Where(d => d.ServiceType == typeof(ScheduledWorkRegistration) && d.ImplementationInstance is not null)
            .Select(d => (ScheduledWorkRegistration)d.ImplementationInstance!)
            .ToList();
        services.AddQuartz(q =>
        {
            foreach (var work in works)
            {
                q.AddJob(typeof(ScheduledWorkJob<>).MakeGenericType(work.WorkType), j => j.WithIdentity(work.Name).DisallowConcurrentExecution());
                q.AddTrigger(t => t.ForJob(work.Name).WithIdentity(work.Name).StartNow().WithSimpleSchedule(work.Interval));
            }
        });
        if (configuration.GetValue("Jobs:Enabled", true))
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        return services;
    }

    /// <summary>
    /// Saves one record's change and what came with it (notifications, history). False, with the changes dropped from
    /// <paramref name="db"/>, when the save failed: another run or a user changed the record first (version check), a
    /// once-only notification exists already (unique key: <paramref name="uniqueKeyGuards"/>), or the record is bad; the
    /// batch goes on with the next one.
    /// </summary>
    public static async Task<bool> TrySaveEachAsync(AppDbContext db, ILogger logger, string what, Guid id, CancellationToken ct,
        bool uniqueKeyGuards = false)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e)
        {
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
            {
                entry.State = EntityState.Detached;
            }

            if (e is DbUpdateConcurrencyException || uniqueKeyGuards)
            {
                JobLog.Conflict(logger, what, id);
            }
            else
            {
                JobLog.Failed(logger, e, what, id);
            }

            return false;
        }
    }
}

internal static partial class JobLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Work}: {Count} done")]
    public static partial void Done(ILogger logger, string work, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{What} {Id} was changed by someone else meanwhile; left to them")]
    public static partial void Conflict(ILogger logger, string what, Guid id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} {Id} could not be saved; skipped")]
    public static partial void Failed(ILogger logger, Exception exception, string what, Guid id);
}

/// <summary>The Quartz job of a work: one run at a time per job; the work decides everything else.</summary>
[DisallowConcurrentExecution]
internal sealed class ScheduledWorkJob<TWork>(TWork work, ILogger<TWork> logger) : IJob
    where TWork : IScheduledWork
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var count = await work.RunAsync(cancellationToken);
        if (count > 0)
        {
            JobLog.Done(logger, typeof(TWork).Name, count);
        }
    }
}
