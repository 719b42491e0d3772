using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Components.Pages.FollowUps;
using LeadToCash.Components.Pages.Settings;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Timeline;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>The log dialog, the customer page's follow-ups and timeline panels, the due page and the rules page, over the demo database.</summary>
public sealed class FollowUpComponentsTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddSingleton(app.Services.GetRequiredService<FileStore>());
        Services.AddFollowUps();
        Services.AddCustomerTimeline();
        var user = await TestFollowUps.CurrentUserAsync(app, email);
        this.SignIn(user.Id, email);
        return user;
    }

    private async Task<(IRenderedComponent<ContainerFragment> Providers, IDialogReference Reference)> OpenLogDialogAsync(Customer customer)
    {
        var providers = this.RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        var parameters = new DialogParameters<LogFollowUpDialog>
        {
            { d => d.CustomerId, customer.Id },
            { d => d.CustomerName, customer.Name },
        };
        await providers.InvokeAsync(async () => reference = await dialogs.ShowAsync<LogFollowUpDialog>("", parameters, FollowUpDisplay.DialogOptions));
        providers.WaitForElement("textarea[data-testid=follow-up-key-points]", TimeSpan.FromSeconds(10));
        return (providers, reference!);
    }

    [Fact]
    public async Task LogDialog_VisitWithAPhoto_SavesTheRecordWithItsFileAndClosesWithIt()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep, 0);
        var (dialog, reference) = await OpenLogDialogAsync(customer);

        await dialog.Find("textarea[data-testid=follow-up-key-points]").ChangeAsync(new() { Value = "Met the plant manager on site" });
        dialog.FindComponents<InputFile>()[0].UploadFiles(InputFileContent.CreateFromBinary(TestFollowUps.Png, "site.png", contentType: "image/png"));
        dialog.WaitForElement("[data-testid=follow-up-selected-files]");
        Assert.Contains("site.png", dialog.Find("[data-testid=follow-up-selected-files]").TextContent, StringComparison.Ordinal);
        await dialog.Find("[data-testid=follow-up-save]").ClickAsync(new());

        var result = await reference.Result.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var saved = Assert.IsType<FollowUpDto>(result!.Data);
        Assert.Equal(("Met the plant manager on site", FollowUpMethod.Phone, customer.Id), (saved.KeyPoints, saved.Method, saved.CustomerId));
        Assert.Equal("site.png", Assert.Single(saved.Attachments).FileName);
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.Attachments.AnyAsync(a => a.RecordId == saved.Id && a.ContentType == "image/png", Ct));
        Assert.NotNull((await db.Customers.SingleAsync(c => c.Id == customer.Id, Ct)).LastFollowUpAt);
    }

    [Fact]
    public async Task LogDialog_SaveWithoutKeyPoints_ShowsTheRuleAndStaysOpen()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep, 1);
        var (dialog, reference) = await OpenLogDialogAsync(customer);

        await dialog.Find("[data-testid=follow-up-save]").ClickAsync(new());

        dialog.WaitForAssertion(() => Assert.Contains("'Key points' must not be empty.", dialog.Find("[data-testid=follow-up-dialog]").TextContent,
            StringComparison.Ordinal));
        Assert.False(reference.Result.IsCompleted);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.FollowUps.AnyAsync(f => f.CustomerId == customer.Id, Ct));
    }

    [Fact]
    public async Task LogDialog_OnAPhone_OffersTheCameraAndAcceptsPhotosAndDocuments()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Rep);
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep, 2);

        var (dialog, _) = await OpenLogDialogAsync(customer);

        var inputs = dialog.FindAll("input[type=file]");
        Assert.Contains(inputs, i => i.GetAttribute("accept") == LogFollowUpDialog.AcceptedTypes && i.HasAttribute("multiple"));
        Assert.Contains(inputs, i => i.GetAttribute("accept") == "image/*" && i.GetAttribute("capture") == "environment");
        Assert.Contains($"写跟进：{customer.Name}", dialog.Find("h2").TextContent, StringComparison.Ordinal);
        Assert.Contains("拍照", dialog.Find("[data-testid=follow-up-take-photo]").TextContent, StringComparison.Ordinal);
        // Demo customers have contacts: the dialog offers them as participants.
        Assert.Empty(dialog.FindAll("[data-testid=follow-up-no-contacts]"));
        Assert.NotEmpty(dialog.FindAll("[data-testid=follow-up-contacts]"));
    }

    [Fact]
    public async Task Panel_LateRecordWithPhotoAndPdf_ShowsMethodLateChipThumbnailAndFileLink()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep, 3);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<LogFollowUpHandler>();
            await handler.HandleAsync(rep, customer.Id, new LogFollowUpRequest(FollowUpMethod.Visit, "Visited the warehouse",
                app.Clock.GetUtcNow().UtcDateTime.AddHours(-5), NextStep: "Send the layout"),
                [new FileUpload("dock.png", new MemoryStream(TestFollowUps.Png)), new FileUpload("layout.pdf", new MemoryStream(Pdf))], Ct);
        }

        var dto = await new Modules.Customers.GetCustomer.GetCustomerHandler(Database).HandleAsync(rep, customer.Id, Ct);

        var panel = Render<FollowUpsPanel>(p => p.Add(x => x.Customer, dto));

        panel.WaitForElement("[data-testid=follow-up-item]", TimeSpan.FromSeconds(10));
        var item = panel.Find("[data-testid=follow-up-item]");
        Assert.Equal("Visit", item.GetAttribute("data-method"));
        Assert.Contains("Visited the warehouse", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Send the layout", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Late", panel.Find("[data-testid=follow-up-late]").TextContent, StringComparison.Ordinal);
        var thumb = panel.Find("[data-testid=follow-up-thumb] img");
        Assert.StartsWith("/api/v1/attachments/", thumb.GetAttribute("src"), StringComparison.Ordinal);
        Assert.Equal("dock.png", thumb.GetAttribute("alt"));
        Assert.Contains("layout.pdf", panel.Find("[data-testid=follow-up-file]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(panel.Find("[data-testid=follow-up-log]"));
        Assert.NotNull(panel.Find("[data-testid=follow-up-edit]"));
    }

    [Fact]
    public async Task Panel_CustomerTheUserMayOnlyRead_HasNoLogButtonAndExplainsTheEmptyList()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Finance);
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep2, 0);
        var finance = await TestFollowUps.CurrentUserAsync(app, DemoUsers.Finance);
        var dto = await new Modules.Customers.GetCustomer.GetCustomerHandler(Database).HandleAsync(finance, customer.Id, Ct);

        var panel = Render<FollowUpsPanel>(p => p.Add(x => x.Customer, dto));

        panel.WaitForElement("[data-testid=follow-ups-empty]", TimeSpan.FromSeconds(10));
        Assert.Contains("No follow-ups yet", panel.Markup, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=follow-up-log]"));
        Assert.Empty(panel.FindAll("button"));
    }

    [Fact]
    public async Task TimelinePanel_FollowUpAndChange_ShowsLabelsIconsNewestFirst()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep, 4);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<LogFollowUpHandler>()
                .HandleAsync(rep, customer.Id, new LogFollowUpRequest(FollowUpMethod.WeChat, "微信确认了报价"), ct: Ct);
        }

        var panel = Render<CustomerTimelinePanel>(p => p.Add(x => x.CustomerId, customer.Id));

        panel.WaitForElement("[data-testid=timeline-entry]", TimeSpan.FromSeconds(10));
        var first = panel.FindAll("[data-testid=timeline-entry]")[0];
        Assert.Equal("FollowUp.WeChat", first.GetAttribute("data-kind"));
        Assert.Contains("微信沟通", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("微信确认了报价", first.TextContent, StringComparison.Ordinal);
        Assert.Contains("张伟", first.TextContent, StringComparison.Ordinal);
        Assert.Contains(panel.FindAll("[data-testid=timeline-entry]"), e => e.GetAttribute("data-kind") == "CustomerCreated"
            && e.TextContent.Contains("客户创建", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuePage_Rep_ListsTheCustomersDueWithOneClickLogging()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync("zhao.min@demo.test");
        // Owned since today and never contacted: due today.
        var customer = await TestFollowUps.OwnedCustomerAsync(app, "zhao.min@demo.test", 0, CustomerGrade.B, app.Clock.GetUtcNow().UtcDateTime);

        var page = Render<FollowUpsPage>();

        page.WaitForElement("[data-testid=due-customer]", TimeSpan.FromSeconds(10));
        Assert.Contains(customer.Name, page.Find("[data-testid=due-customer]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=due-log]"));
        Assert.Contains("Rhythm: grade A every 1,", page.Find("[data-testid=follow-ups-cadence]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=tab-by-rep]")); // reps have no per-rep view
        Assert.Empty(page.FindAll("[data-testid=follow-ups-owner]"));
    }

    [Fact]
    public async Task RulesPage_Admin_ShowsTheRulesAndSavesANewCadence()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);

        var page = Render<CustomerSettingsPage>();

        page.WaitForElement("input[data-testid=customer-rules-cadence-b]", TimeSpan.FromSeconds(10));
        Assert.Equal("3", page.Find("input[data-testid=customer-rules-cadence-b]").GetAttribute("value"));
        Assert.Equal("120", page.Find("input[data-testid=customer-rules-late]").GetAttribute("value"));
        await page.Find("input[data-testid=customer-rules-cadence-b]").ChangeAsync(new() { Value = "2" });
        await page.Find("[data-testid=customer-rules-save]").ClickAsync(new());

        await using var db = await app.SystemDbAsync();
        page.WaitForAssertion(() => Assert.Equal(2, db.CustomerSettings.AsNoTracking().Single().CadenceDaysB), TimeSpan.FromSeconds(10));
    }
}
