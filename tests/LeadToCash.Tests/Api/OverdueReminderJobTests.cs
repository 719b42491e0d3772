using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Receivables.Jobs;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Instalments still owed remind the owner and their manager on the due date, then every OverdueReminderDays (7 by
/// default), driven by the fake clock (which starts on Wednesday 2026-11-25, 09:00 in Shanghai).
/// </summary>
[DatabaseTest]
public sealed class OverdueReminderJobTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> RunAsync()
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<OverdueReminderJob>().RunAsync(Ct);
    }

    private async Task SetIntervalAsync(int days)
    {
        await using var db = await app.SystemDbAsync();
        var settings = await db.ContractSettings.FirstOrDefaultAsync(Ct);
        if (settings is null)
        {
            db.ContractSettings.Add(new ContractSettings { OverdueReminderDays = days });
        }
        else
        {
            settings.OverdueReminderDays = days;
        }

        await db.SaveChangesAsync(Ct);
    }

    private DateOnly Today => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));

    private async Task<Contract> PlannedAsync(DateOnly due, long amount = 10_000)
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, amount);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan",
            new PaymentPlanRequest([new InstalmentRequest("全款", due, AmountMinor: amount)]), Http.Json, Ct)).ExpectAsync(HttpStatusCode.OK);
        return contract;
    }

    [Fact]
    public async Task Run_FromDueDateOn_RemindsOwnerAndManagerThenEverySevenDays()
    {
        await SetIntervalAsync(7);
        var contract = await PlannedAsync(Today.AddDays(2));

        await RunAsync(); // two days before: nothing
        Assert.Empty(await TestLeads.NotificationsAboutAsync(app, contract.Id));

        app.Clock.Advance(TimeSpan.FromDays(2)); // the due date
        await RunAsync();
        var onDueDate = await TestLeads.NotificationsAboutAsync(app, contract.Id);
        Assert.Equal([(DemoUsers.Manager, OverdueReminderJob.DueKind), (DemoUsers.Rep, OverdueReminderJob.DueKind)],
            onDueDate.Select(n => (n.Email, n.Kind)));
        Assert.Contains(contract.Number, onDueDate[0].ArgsJson, StringComparison.Ordinal);

        await RunAsync(); // again the same day: nothing more
        for (var day = 1; day < 7; day++)
        {
            app.Clock.Advance(TimeSpan.FromDays(1));
            await RunAsync();
        }

        Assert.Equal(2, (await TestLeads.NotificationsAboutAsync(app, contract.Id)).Count);

        app.Clock.Advance(TimeSpan.FromDays(1)); // seven days after the due date
        await RunAsync();
        var overdue = (await TestLeads.NotificationsAboutAsync(app, contract.Id)).Where(n => n.Kind == OverdueReminderJob.OverdueKind).ToList();
        Assert.Equal([DemoUsers.Manager, DemoUsers.Rep], overdue.Select(n => n.Email));
        Assert.Contains("\"7\"", overdue[0].ArgsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PaidInFullOrTerminated_RemindsNobody()
    {
        var paid = await PlannedAsync(Today.AddDays(-5));
        var terminated = await PlannedAsync(Today.AddDays(-5));
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.PostAsJsonAsync($"/api/v1/contracts/{paid.Id}/receipts", new ReceiptRequest(new DateOnly(2026, 11, 21), 10_000, "cash"),
            Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        await using (var db = await app.SystemDbAsync())
        {
            var row = await db.Contracts.SingleAsync(c => c.Id == terminated.Id, Ct);
            row.Status = ContractStatus.Terminated;
            await db.SaveChangesAsync(Ct);
        }

        await RunAsync();

        Assert.Empty(await TestLeads.NotificationsAboutAsync(app, paid.Id));
        Assert.Empty(await TestLeads.NotificationsAboutAsync(app, terminated.Id));
    }

    [Fact]
    public async Task Run_IntervalFromSettings_PartlyPaidStillReminded()
    {
        await SetIntervalAsync(3);
        var contract = await PlannedAsync(Today.AddDays(-1));
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts", new ReceiptRequest(new DateOnly(2026, 11, 21), 4_000, "cash"),
            Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);

        await RunAsync(); // overdue since yesterday, never reminded: reminded now
        app.Clock.Advance(TimeSpan.FromDays(2));
        await RunAsync();
        Assert.Equal(2, (await TestLeads.NotificationsAboutAsync(app, contract.Id)).Count);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunAsync();

        var all = await TestLeads.NotificationsAboutAsync(app, contract.Id);
        Assert.Equal(4, all.Count);
        Assert.All(all, n => Assert.Equal(OverdueReminderJob.OverdueKind, n.Kind));
        Assert.Contains("¥60.00", all[0].ArgsJson, StringComparison.Ordinal);
    }
}
