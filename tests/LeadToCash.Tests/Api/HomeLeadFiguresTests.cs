using LeadToCash.Modules.Home;
using LeadToCash.Modules.Leads;
using LeadToCash.Tests.Infrastructure;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>The home page's lead figures: open leads, overdue first contacts, screening queue, response timeliness.</summary>
[DatabaseTest]
public sealed class HomeLeadFiguresTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Home_LeadsMetMissedAndOverdue_CountsThemAndTheTimelinessRate()
    {
        await AddOwnedAsync(app, DemoUsers.Rep, "及时联系的线索", LeadGrade.A, change: l =>
        {
            l.FirstTouchAt = l.AssignedAt!.Value.AddMinutes(30);
            l.Status = LeadStatus.Contacted;
        });
        await AddOwnedAsync(app, DemoUsers.Rep, "超时联系的线索", LeadGrade.A, change: l =>
        {
            l.FirstTouchAt = l.FirstTouchDueAt!.Value.AddMinutes(30);
            l.Status = LeadStatus.Contacted;
        });
        await AddOwnedAsync(app, DemoUsers.Rep2, "还没联系的线索", LeadGrade.A);
        await AddUnscreenedAsync(app, "上海销售一组", "待初筛的线索");
        app.Clock.Advance(TimeSpan.FromHours(3));

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var mine = await rep.GetJsonAsync<HomeSummary>("/api/v1/home");
        var team = await manager.GetJsonAsync<HomeSummary>("/api/v1/home");
        var noLeads = await finance.GetJsonAsync<HomeSummary>("/api/v1/home");

        Assert.Equal(new LeadFigures(MyOpen: 2, OverdueFirstTouch: 0, AwaitingScreening: 1, TimelinessPercent: 50, TimelinessBase: 2), mine.Leads);
        Assert.Equal(new LeadFigures(MyOpen: 0, OverdueFirstTouch: 1, AwaitingScreening: 1, TimelinessPercent: 33, TimelinessBase: 3), team.Leads);
        Assert.Null(noLeads.Leads);
    }
}
