using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Cli;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Cli;

/// <summary>The demo's leads show every step of the process, whatever day the demo starts on.</summary>
[DatabaseTest]
public sealed class DemoLeadsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SeedDemoLeads_OnTheDemoCompany_CoversEveryStepAndSlaState()
    {
        await using (var db = await app.SystemDbAsync())
        {
            await DemoLeads.SeedAsync(db, app.Clock, DemoData.DefaultSeed, Ct);
        }

        await using var read = await app.SystemDbAsync();
        var leads = await read.Leads.AsNoTracking().ToListAsync(Ct);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var settings = new LeadSettings();
        var states = leads.Select(l => LeadRules.Sla(l.FirstTouchDueAt, l.FirstTouchAt, now, settings)).ToHashSet();

        Assert.Equal(28, leads.Count);
        Assert.Superset(new HashSet<SlaState> { SlaState.OnTrack, SlaState.DueSoon, SlaState.Overdue, SlaState.Met, SlaState.Missed }, states);
        Assert.Contains(leads, l => l.Status == LeadStatus.New && l.ScreeningDueAt < now);
        Assert.Contains(leads, l => l.Status == LeadStatus.New && l.ScreeningDueAt > now);
        Assert.Contains(leads, l => l.Status == LeadStatus.Pool && l.OwnerId == null);
        Assert.Contains(leads, l => l.EscalatedAt != null && l.FirstTouchAt == null);
        Assert.Contains(leads, l => l.Status == LeadStatus.Disqualified);
        Assert.All(leads.Where(l => l.Grade != null), l => Assert.Equal(l.Grade, l.SuggestedGrade));
        Assert.Equal(leads.Count(l => l.FirstTouchAt != null), await read.LeadActivities.CountAsync(Ct));
    }
}
