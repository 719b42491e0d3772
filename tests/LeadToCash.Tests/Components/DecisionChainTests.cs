using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Contacts;

namespace LeadToCash.Tests.Components;

/// <summary>The decision chain drawn from a customer's contacts: who reports to whom, role and stance chips.</summary>
public sealed class DecisionChainTests : BunitContext
{
    private static readonly DateTime At = new(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Customer = Guid.NewGuid();

    public DecisionChainTests() => this.AddAppComponents(new NoDatabase());

    private static ContactDto Contact(string name, PurchaseRole? role = null, ContactStance? stance = null, Guid? reportsTo = null,
        bool primary = false, string? title = null) =>
        new(Guid.NewGuid(), Customer, name, title, null, null, null, null, role, stance, reportsTo, primary, null, 1, At, At);

    [Fact]
    public void Render_ReportsTo_DrawsNestedLevelsUnderTheirManagers()
    {
        using var culture = ComponentServices.Culture("en-US");
        var boss = Contact("王总", PurchaseRole.DecisionMaker, ContactStance.Supporter, title: "总经理");
        var cto = Contact("李工", PurchaseRole.Influencer, ContactStance.Opponent, boss.Id, primary: true);
        var engineer = Contact("赵工", PurchaseRole.User, ContactStance.Neutral, cto.Id);
        var buyer = Contact("钱经理", PurchaseRole.Purchaser, null, boss.Id);

        var chain = Render<DecisionChain>(p => p.Add(x => x.Contacts, [engineer, buyer, cto, boss]));

        var root = chain.Find("section > ul > li");
        Assert.Equal(boss.Id.ToString(), root.GetAttribute("data-contact"));
        var reports = root.QuerySelectorAll(":scope > ul > li").Select(li => li.GetAttribute("data-contact")).ToList();
        Assert.Equal([cto.Id.ToString(), buyer.Id.ToString()], reports); // influencer before purchaser, by role
        var underCto = chain.Find($"li[data-contact='{cto.Id}'] > ul > li");
        Assert.Equal(engineer.Id.ToString(), underCto.GetAttribute("data-contact"));
        Assert.Contains("总经理", root.TextContent, StringComparison.Ordinal);
        Assert.Single(chain.FindAll("section > ul > li"));
    }

    [Fact]
    public void Render_Stances_AreGreenGreyAndRedChipsWithRoleChips()
    {
        using var culture = ComponentServices.Culture("en-US");
        var boss = Contact("王总", PurchaseRole.DecisionMaker, ContactStance.Supporter);
        var cto = Contact("李工", PurchaseRole.Influencer, ContactStance.Opponent, boss.Id);
        var user = Contact("赵工", PurchaseRole.User, ContactStance.Neutral, boss.Id);

        var chain = Render<DecisionChain>(p => p.Add(x => x.Contacts, [boss, cto, user]));

        string StanceChip(ContactDto c) => chain.Find($"li[data-contact='{c.Id}'] [data-testid=contact-stance-chip]").ClassName!;
        Assert.Contains("mud-chip-color-success", StanceChip(boss), StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-error", StanceChip(cto), StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-default", StanceChip(user), StringComparison.Ordinal);
        Assert.Equal("Decision maker", chain.Find($"li[data-contact='{boss.Id}'] [data-testid=contact-role-chip]").TextContent.Trim());
        Assert.Equal("Opponent", chain.Find($"li[data-contact='{cto.Id}'] [data-testid=contact-stance-chip]").TextContent.Trim());
        Assert.Contains("opponent", chain.Find($"li[data-contact='{cto.Id}'] .chain-card").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ManagerNotAmongTheContactsOrALoop_StillDrawsEveryContactOnce()
    {
        var orphan = Contact("孤立", reportsTo: Guid.NewGuid());
        var a = Contact("甲");
        var b = Contact("乙", reportsTo: a.Id);
        a = a with { ReportsToId = b.Id };

        var chain = Render<DecisionChain>(p => p.Add(x => x.Contacts, [orphan, a, b]));

        var drawn = chain.FindAll("[data-testid=chain-node]").Select(n => n.GetAttribute("data-contact")).ToList();
        Assert.Equal(3, drawn.Count);
        Assert.Equal(3, drawn.Distinct().Count());
    }

    [Fact]
    public void Render_NoContacts_SaysHowToGetAChainInChinese()
    {
        using var culture = ComponentServices.Culture("zh-CN");

        var chain = Render<DecisionChain>(p => p.Add(x => x.Contacts, []));

        Assert.Contains("添加联系人", chain.Find("[data-testid=decision-chain-empty]").TextContent, StringComparison.Ordinal);
        Assert.Empty(chain.FindAll("[data-testid=chain-node]"));
    }
}
