using LeadToCash.Modules.Customers;

namespace LeadToCash.Tests.Unit;

/// <summary>The derivation of a customer's segment tag from its industry, size and budget.</summary>
public sealed class CustomerTagsTests
{
    [Theory]
    [InlineData("制造业", "50-199", null, 60_0000_00L, "制造业-中小企业-预算50万+")]
    [InlineData("制造业", "50-199", null, null, "制造业-中小企业")]
    [InlineData("软件与信息服务", "1000+", null, 9_0000_00L, "软件与信息服务-大型企业-预算10万以下")]
    [InlineData(null, "1-49", null, 10_0000_00L, "小微企业-预算10万+")]
    [InlineData("零售", null, null, 500_0000_00L, "零售-预算500万+")]
    [InlineData("能源", "200-999", null, 0L, "能源-中型企业")]
    [InlineData("教育", "5000+", "5000人以上", null, "教育-5000人以上")]
    public void SystemTag_KnownFacts_JoinsTheirBands(string? industry, string? size, string? sizeLabel, long? budget, string expected) =>
        Assert.Equal(expected, CustomerTags.SystemTag(industry, size, sizeLabel, budget));

    [Fact]
    public void SystemTag_NothingKnown_IsNull() =>
        Assert.Null(CustomerTags.SystemTag(null, null, null, null));

    [Theory]
    [InlineData(99_999_99L, "预算10万以下")]
    [InlineData(100_000_00L, "预算10万+")]
    [InlineData(499_999_99L, "预算10万+")]
    [InlineData(500_000_00L, "预算50万+")]
    [InlineData(1_000_000_00L, "预算100万+")]
    [InlineData(5_000_000_00L, "预算500万+")]
    public void BudgetBand_Boundaries_StartTheHigherBand(long budgetMinor, string expected) =>
        Assert.Equal(expected, CustomerTags.BudgetBand(budgetMinor));

    [Fact]
    public void SystemTag_VeryLongIndustryLabel_IsCutToTheTagLength()
    {
        var tag = CustomerTags.SystemTag(new string('业', 80), "1-49", null, null);

        Assert.Equal(CustomerTags.MaxLength, tag!.Length);
    }

    [Fact]
    public void Normalize_BlankAndRepeatedTags_AreDroppedAndTrimmed() =>
        Assert.Equal(["重点客户", "展会"], CustomerTags.Normalize([" 重点客户 ", "", "展会", "重点客户", "  "]));
}
