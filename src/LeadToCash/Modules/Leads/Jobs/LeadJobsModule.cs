using LeadToCash.Platform.Jobs;

namespace LeadToCash.Modules.Leads.Jobs;

/// <summary>The lead process's time-driven work (issue: first-touch SLA, escalation, screening, pool return, digest).</summary>
public static class LeadJobsModule
{
    private static readonly TimeSpan EveryMinute = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddLeadJobs(this IServiceCollection services) => services
        .AddScheduledWork<FirstTouchReminderJob>("leads.first-touch-reminder", EveryMinute)
        .AddScheduledWork<EscalationJob>("leads.escalation", EveryMinute)
        .AddScheduledWork<ScreeningOverdueJob>("leads.screening-overdue", EveryMinute)
        .AddScheduledWork<PoolReturnJob>("leads.pool-return", EveryMinute)
        .AddScheduledWork<DailyDigestJob>("leads.daily-digest", EveryMinute);
}
