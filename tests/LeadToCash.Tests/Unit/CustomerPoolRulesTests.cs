using System.Xml.Linq;
using LeadToCash.Components.Shared;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.ImportCustomers;
using LeadToCash.Modules.Customers.Pool;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.HandOver;
using LeadToCash.Modules.Tasks;
using LeadToCash.Tests.Components;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Unit;

/// <summary>The pool rules by team, the import's readings of grades, stages and sizes, and their texts in both languages.</summary>
public sealed class CustomerPoolRulesTests
{
    private static readonly Guid Company = Guid.CreateVersion7();
    private static readonly Guid Region = Guid.CreateVersion7();
    private static readonly Guid Team = Guid.CreateVersion7();
    private static readonly Guid OtherTeam = Guid.CreateVersion7();

    private static readonly TeamTree Tree = new([
        new TeamNode(Company, "公司", null, null, TeamKind.Company),
        new TeamNode(Region, "华东大区", Company, null, TeamKind.Region),
        new TeamNode(Team, "上海销售一组", Region, null, TeamKind.Team),
        new TeamNode(OtherTeam, "深圳销售组", Company, null, TeamKind.Team),
    ]);

    private static PoolRulebook Rules(params CustomerPoolRule[] overrides) =>
        new(new CustomerSettings { PoolNoFollowUpDays = 30, PoolNoWonDealDays = 90, ClaimLimit = 100 }, overrides.ToDictionary(r => r.TeamId), Tree);

    [Fact]
    public void For_TeamWithoutRules_CompanyDefaults()
    {
        Assert.Equal(new PoolRule(30, 90, 100, null), Rules().For(Team));
        Assert.Equal(new PoolRule(30, 90, 100, null), Rules().For(null));
    }

    [Fact]
    public void For_RegionRule_InheritedByItsTeamsNotOthers()
    {
        var rules = Rules(new CustomerPoolRule { TeamId = Region, NoFollowUpDays = 15, NoWonDealDays = 60, ClaimLimit = 20 });

        Assert.Equal(new PoolRule(15, 60, 20, Region), rules.For(Team));
        Assert.Equal(new PoolRule(30, 90, 100, null), rules.For(OtherTeam));
        Assert.Equal((15, 60), rules.Shortest());
    }

    [Fact]
    public void For_TeamAndRegionRules_TheTeamsOwnWins()
    {
        var rules = Rules(new CustomerPoolRule { TeamId = Region, NoFollowUpDays = 15 }, new CustomerPoolRule { TeamId = Team, NoFollowUpDays = 7, ClaimLimit = 0 });

        Assert.Equal(new PoolRule(7, 90, 0, Team), rules.For(Team));
    }

    [Fact]
    public void ReturnAt_LastFollowUpAndWonDeal_TheEarlierClockDecides()
    {
        var since = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rule = new PoolRule(30, 90, 100, null);
        var quiet = new Customer { Name = "甲", OwnedSince = since };
        var followedUp = new Customer { Name = "乙", OwnedSince = since, LastFollowUpAt = since.AddDays(80) };

        Assert.Equal(since.AddDays(30), CustomerPool.ReturnAt(quiet, rule));
        Assert.True(CustomerPool.NoFollowUpFirst(quiet, rule));
        Assert.Equal(since.AddDays(90), CustomerPool.ReturnAt(followedUp, rule));
        Assert.False(CustomerPool.NoFollowUpFirst(followedUp, rule));
    }

    [Theory]
    [InlineData("A", CustomerGrade.A)]
    [InlineData("b级", CustomerGrade.B)]
    [InlineData("Ｃ类客户", CustomerGrade.C)]
    [InlineData("D", null)]
    public void Grade_AsPeopleWriteIt_ReadOrNull(string text, CustomerGrade? expected) => Assert.Equal(expected, CustomerImporter.Grade(text));

    [Theory]
    [InlineData("InOpportunity", LifecycleStage.InOpportunity)]
    [InlineData("repeat customer", LifecycleStage.RepeatCustomer)]
    [InlineData("潜在客户", LifecycleStage.Prospect)]
    [InlineData("已流失", LifecycleStage.Lost)]
    [InlineData("观望中", null)]
    public void Stage_ByNameOrChinese_ReadOrNull(string text, LifecycleStage? expected) => Assert.Equal(expected, CustomerImporter.Stage(text));

    [Theory]
    [InlineData("2822", 2822)]
    [InlineData("约500人", 500)]
    [InlineData("1,200 employees", 1200)]
    [InlineData("很多", null)]
    public void HeadCount_NumberInText_Read(string text, int? expected) => Assert.Equal(expected, CustomerImporter.HeadCount(text));

    [Fact]
    public void Resources_PoolHandOverAndImportTexts_InBothLanguages()
    {
        var keys = CustomerPoolNotifications.All.Append(HandOverHandler.NotificationKind).Select(k => $"Notify.{k}")
            .Concat(new[] { LeadHandOverPart.KindName, CustomerHandOverPart.KindName, TaskHandOverPart.KindName }.Select(k => $"HandOver.Kind.{k}"))
            .Concat(new CustomerImporter(null!, TimeProvider.System, ComponentServices.Strings()).Fields.Select(f => $"CustomerImport.Field.{f.Key}"))
            .ToList();

        foreach (var file in new[] { "SharedResource.resx", "SharedResource.zh-CN.resx" })
        {
            var present = XDocument.Load(Path.Combine(RepositoryFiles.AppSource, "Platform", "Localization", file))
                .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
            Assert.Empty(keys.Where(k => !present.Contains(k)).Select(k => $"{file}: {k}"));
        }
    }

    [Theory]
    [InlineData(CustomerPoolNotifications.ReturnedNoFollowUp, new[] { "苏州新建精密机械", "30" })]
    [InlineData(CustomerPoolNotifications.ReturnedNoWonDeal, new[] { "苏州新建精密机械", "90" })]
    [InlineData(CustomerPoolNotifications.Assigned, new[] { "苏州新建精密机械" })]
    [InlineData(HandOverHandler.NotificationKind, new[] { "张伟", "12" })]
    public void Render_PoolAndHandOverKinds_EveryArgumentInBothLanguages(string kind, string[] args)
    {
        foreach (var culture in new[] { "en-US", "zh-CN" })
        {
            using var _ = ComponentServices.Culture(culture);

            var text = NotificationText.Render(ComponentServices.Strings(), kind, args);

            Assert.DoesNotContain(kind, text, StringComparison.Ordinal);
            Assert.All(args, a => Assert.Contains(a, text, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("This customer has already been claimed by 刘洋.", "刘洋")]
    [InlineData("You already own 100 customers, the most your team allows (100). Release some to the pool first.", "100")]
    [InlineData("You may only assign customers to people in the teams you manage.", null)]
    [InlineData("Choose at least one colleague to receive the work, or send the leads and customers to the pool.", null)]
    [InlineData("何芸 is not in the teams you manage.", "何芸")]
    public void Localize_PoolAndHandOverMessages_HaveAChineseText(string message, string? kept)
    {
        using var _ = ComponentServices.Culture("zh-CN");

        var text = KnownErrors.Localize(ComponentServices.Strings(), message);

        Assert.NotEqual(message, text);
        if (kept is not null)
        {
            Assert.Contains(kept, text, StringComparison.Ordinal);
        }
    }
}
