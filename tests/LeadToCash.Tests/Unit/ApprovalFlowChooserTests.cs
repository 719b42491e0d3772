using LeadToCash.Platform.Approvals;

namespace LeadToCash.Tests.Unit;

/// <summary>Which flow a document takes, for the conditions an Admin can set (amount bands, a discount floor, priorities).</summary>
public sealed class ApprovalFlowChooserTests
{
    private static readonly FlowDefinition[] Flows =
    [
        Flow("小额", priority: 10, (ConditionOperator.Below, "amount", 100_000m)),
        Flow("大额", priority: 20, (ConditionOperator.AtLeast, "amount", 100_000m)),
        Flow("大折扣", priority: 5, (ConditionOperator.AtLeast, "discount", 20m), (ConditionOperator.AtLeast, "amount", 50_000m)),
        Flow("停用", priority: 0, isActive: false),
    ];

    [Theory]
    [InlineData("99999.99", "0", "小额")]
    [InlineData("100000", "0", "大额")]
    [InlineData("100000.01", "15", "大额")]
    [InlineData("50000", "20", "大折扣")]
    [InlineData("49999.99", "20", "小额")]
    [InlineData("2000000", "35", "大折扣")]
    public void Choose_AmountAndDiscount_TakesTheFirstFlowByPriorityWhoseConditionsAllHold(string amount, string discount, string expected)
    {
        var facts = new Dictionary<string, decimal>
        {
            ["amount"] = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture),
            ["discount"] = decimal.Parse(discount, System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.Equal(expected, ApprovalFlowChooser.Choose(Flows, facts)?.Flow.Name);
    }

    [Fact]
    public void Choose_AFactTheDocumentLacks_TheConditionDoesNotHold()
    {
        var facts = new Dictionary<string, decimal> { ["discount"] = 30m };

        Assert.Null(ApprovalFlowChooser.Choose(Flows, facts));
    }

    [Fact]
    public void Choose_AFlowWithoutConditions_CatchesEverythingAtItsPriority()
    {
        FlowDefinition[] flows = [Flow("兜底", priority: 100), .. Flows];

        Assert.Equal("兜底", ApprovalFlowChooser.Choose(flows, new Dictionary<string, decimal>())?.Flow.Name);
        Assert.Equal("小额", ApprovalFlowChooser.Choose(flows, new Dictionary<string, decimal> { ["amount"] = 1m })?.Flow.Name);
    }

    private static FlowDefinition Flow(string name, int priority, params (ConditionOperator Op, string Field, decimal Value)[] conditions) =>
        Flow(name, priority, isActive: true, conditions);

    private static FlowDefinition Flow(string name, int priority, bool isActive, params (ConditionOperator Op, string Field, decimal Value)[] conditions)
    {
        var flow = new ApprovalFlow { DocumentType = "contract", Name = name, Priority = priority, IsActive = isActive };
        return new FlowDefinition(flow,
            [.. conditions.Select(c => new ApprovalFlowCondition { FlowId = flow.Id, Field = c.Field, Operator = c.Op, Value = c.Value })],
            [new ApprovalFlowStep { FlowId = flow.Id, StepNo = 1, Kind = ApproverKind.Manager }]);
    }
}
