using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Notifications;
using LeadToCash.Tests.Components;

namespace LeadToCash.Tests.Unit;

/// <summary>Every kind of notification reads as a sentence in both languages, with as many arguments as its sender passes.</summary>
public sealed class NotificationTextTests
{
    /// <summary>Arguments as the lead process passes them (see Modules/Leads/Jobs and LeadDesk).</summary>
    public static TheoryData<string, string, string[]> Kinds() => new()
    {
        { "en-US", LeadNotificationKinds.Assigned, ["宁波海通机械"] },
        { "en-US", LeadNotificationKinds.Reassigned, ["宁波海通机械"] },
        { "en-US", LeadNotificationKinds.Claimed, ["宁波海通机械", "张伟"] },
        { "en-US", LeadNotificationKinds.SlaReminder, ["宁波海通机械"] },
        { "en-US", LeadNotificationKinds.Escalated, ["宁波海通机械", "张伟", "48"] },
        { "en-US", LeadNotificationKinds.ScreeningOverdue, ["宁波海通机械"] },
        { "en-US", LeadNotificationKinds.ReturnedToPool, ["宁波海通机械", "7"] },
        { "en-US", LeadNotificationKinds.Digest, ["2026-11-25", "3", "A 2 · B 1 · C 0", "展会 3", "1", "0"] },
        { "zh-CN", LeadNotificationKinds.Assigned, ["宁波海通机械"] },
        { "zh-CN", LeadNotificationKinds.Reassigned, ["宁波海通机械"] },
        { "zh-CN", LeadNotificationKinds.Claimed, ["宁波海通机械", "张伟"] },
        { "zh-CN", LeadNotificationKinds.SlaReminder, ["宁波海通机械"] },
        { "zh-CN", LeadNotificationKinds.Escalated, ["宁波海通机械", "张伟", "48"] },
        { "zh-CN", LeadNotificationKinds.ScreeningOverdue, ["宁波海通机械"] },
        { "zh-CN", LeadNotificationKinds.ReturnedToPool, ["宁波海通机械", "7"] },
        { "zh-CN", LeadNotificationKinds.Digest, ["2026-11-25", "3", "A 2 · B 1 · C 0", "展会 3", "1", "0"] },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Render_EveryLeadKind_ASentenceUsingEveryArgument(string culture, string kind, string[] args)
    {
        using var _ = ComponentServices.Culture(culture);

        var text = NotificationText.Render(ComponentServices.Strings(), kind, args);

        Assert.DoesNotContain(kind, text, StringComparison.Ordinal);
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
        Assert.All(args, a => Assert.Contains(a, text, StringComparison.Ordinal));
        Assert.Equal(culture == "zh-CN", text.Any(c => c is >= '\u4e00' and <= '\u9fff' && !string.Concat(args).Contains(c, StringComparison.Ordinal)));
    }

    [Fact]
    public void Kinds_EveryLeadKind_CoveredAbove()
    {
        var covered = Kinds().Select(row => row.Data.Item2).ToHashSet();

        Assert.All(LeadNotificationKinds.All, kind => Assert.Contains(kind, covered));
    }

    [Fact]
    public void Render_UnknownKindOrMissingArguments_FallsBackToTheKindAndArguments()
    {
        using var _ = ComponentServices.Culture("en-US");

        Assert.Equal("quote.approved: HT-2026-0001", NotificationText.Render(ComponentServices.Strings(), "quote.approved", ["HT-2026-0001"]));
        Assert.Equal(LeadNotificationKinds.Escalated, NotificationText.Render(ComponentServices.Strings(), LeadNotificationKinds.Escalated, []));
    }

    [Theory]
    [InlineData("""["a","宁波"]""", new[] { "a", "宁波" })]
    [InlineData("not json", new string[0])]
    [InlineData("null", new string[0])]
    public void Args_StoredJson_ReadBackOrEmpty(string json, string[] expected) =>
        Assert.Equal(expected, NotificationText.Args(json));
}
