using LeadToCash.Modules.Leads.Jobs;
using LeadToCash.Platform.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace LeadToCash.Tests.Unit;

/// <summary>The scheduler starts with the app unless configuration turns it off (as the tests do).</summary>
public sealed class JobsSetupTests
{
    private static IServiceCollection Compose(string? enabled)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(enabled is null ? [] : [new KeyValuePair<string, string?>("Jobs:Enabled", enabled)])
            .Build();
        return new ServiceCollection().AddLogging().AddLeadJobs().AddAppJobs(configuration);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void AddAppJobs_JobsEnabledSetting_DecidesWhetherTheSchedulerRunsWithTheApp(string? setting, bool runs)
    {
        var services = Compose(setting);

        // Logging and the jobs only: the one hosted service there can be is Quartz's.
        Assert.Equal(runs, services.Any(d => d.ServiceType == typeof(IHostedService)));
        Assert.Contains(services, d => d.ServiceType == typeof(ISchedulerFactory));
    }

    [Fact]
    public void AddLeadJobs_EveryWork_RegisteredOnceWithAnInterval()
    {
        var works = Compose("false").Where(d => d.ServiceType == typeof(ScheduledWorkRegistration))
            .Select(d => (ScheduledWorkRegistration)d.ImplementationInstance!)
            .ToList();

        Assert.Equal(
            [typeof(FirstTouchReminderJob), typeof(EscalationJob), typeof(ScreeningOverdueJob), typeof(PoolReturnJob), typeof(DailyDigestJob)],
            works.Select(w => w.WorkType));
        Assert.Equal(works.Count, works.Select(w => w.Name).Distinct().Count());
        Assert.All(works, w => Assert.True(w.Interval > TimeSpan.Zero && w.Interval <= TimeSpan.FromMinutes(5)));
    }
}
