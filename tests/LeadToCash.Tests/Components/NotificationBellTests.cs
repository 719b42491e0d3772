using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Layout;
using LeadToCash.Components.Pages.Notifications;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The app bar's bell and the notification page, live over the demo database and the app's notification bus.</summary>
public sealed class NotificationBellTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private NotificationBus Bus => app.Services.GetRequiredService<NotificationBus>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddSingleton(Bus);
        Services.AddNotifications();
        await using var db = await Database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        // A live circuit: the bell subscribes only there (a prerendered copy is thrown away).
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    // Notifications are listed newest first; `minutesLater` keeps two saved in the same millisecond in a known order.
    private async Task<Notification> NotifyAsync(Guid userId, string company, int minutesLater = 0)
    {
        await using var db = await Database.OpenAsSystemAsync(Ct);
        var notification = Notify.Add(db, userId, "lead.sla-reminder", $"/leads/{Guid.CreateVersion7()}", "lead", null,
            app.Clock.GetUtcNow().UtcDateTime.AddMinutes(minutesLater), company);
        await db.SaveChangesAsync(Ct);
        return notification;
    }

    private static string Unread(IRenderedComponent<NotificationBell> bell) =>
        bell.Find("[data-testid=notification-badge]").GetAttribute("data-unread") ?? "";

    [Fact]
    public async Task Bell_NotificationSavedWhileOpen_UnreadCountUpdatesWithoutReload()
    {
        using var culture = ComponentServices.Culture("en-US");
        var me = await SignInAsync(DemoUsers.Rep);
        var bell = Render<NotificationBell>(p => p.Add(x => x.Me, me));
        bell.WaitForAssertion(() => Assert.Equal("0", Unread(bell)), TimeSpan.FromSeconds(15));
        Assert.Equal("Notifications", bell.Find("button").GetAttribute("aria-label"));

        await NotifyAsync(me.Id, "宁波海通机械");
        bell.WaitForAssertion(() => Assert.Equal("1", Unread(bell)), TimeSpan.FromSeconds(15));
        await NotifyAsync(me.Id, "苏州云帆软件");

        bell.WaitForAssertion(() => Assert.Equal("2", Unread(bell)), TimeSpan.FromSeconds(15));
        Assert.Equal("Notifications: 2 unread", bell.Find("button").GetAttribute("aria-label"));
        Assert.Contains("2", bell.Find(".mud-badge").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bell_Disposed_StopsListening()
    {
        var me = await SignInAsync(DemoUsers.Rep2);
        var before = Bus.SubscriberCount(me.Id);
        var bell = Render<NotificationBell>(p => p.Add(x => x.Me, me));
        bell.WaitForAssertion(() => Assert.Equal(before + 1, Bus.SubscriberCount(me.Id)), TimeSpan.FromSeconds(15));

        await DisposeComponentsAsync();

        Assert.Equal(before, Bus.SubscriberCount(me.Id));
    }

    [Fact]
    public async Task Page_MarkRead_RowTurnsReadAndOthersOfTheUserStayUnread()
    {
        using var culture = ComponentServices.Culture("en-US");
        var me = await SignInAsync("zhao.min@demo.test");
        await NotifyAsync(me.Id, "宁波海通机械");
        await NotifyAsync(me.Id, "苏州云帆软件", minutesLater: 1);
        RenderProvidersForPage();
        var page = Render<NotificationsPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=notification-row]").Count), TimeSpan.FromSeconds(15));
        Assert.Equal("First-touch deadline reached for lead 苏州云帆软件: contact it now",
            page.FindAll("[data-testid=notification-message]")[0].TextContent);

        // MudBlazor may render the list again after its first render; a click on a stale button is retried.
        page.WaitForAssertion(() => page.FindAll("button[data-testid=notification-mark-read]")[0].Click(), TimeSpan.FromSeconds(15));

        page.WaitForAssertion(() => Assert.Equal(["true", "false"],
            page.FindAll("[data-testid=notification-row]").Select(r => r.GetAttribute("data-read"))), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Page_NoNotifications_SaysWhatWillAppear()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync("wu.jing@demo.test");
        RenderProvidersForPage();

        var page = Render<NotificationsPage>();

        page.WaitForAssertion(() => Assert.Contains("暂无通知", page.Find("[data-testid=notifications-empty]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(15));
    }

    private void RenderProvidersForPage()
    {
        this.RenderProviders();
        Render<MudBlazor.MudSnackbarProvider>();
    }
}
