using LeadToCash.Platform.Matching;

namespace LeadToCash.Tests.Unit;

public sealed class DuplicateKeysTests
{
    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("138 0013 8000", "13800138000")]
    [InlineData("138-0013-8000", "13800138000")]
    [InlineData("+86 138 0013 8000", "13800138000")]
    [InlineData("+86-13800138000", "13800138000")]
    [InlineData("0086 13800138000", "13800138000")]
    [InlineData("8613800138000", "13800138000")]
    [InlineData("１３８００１３８０００", "13800138000")]
    [InlineData("(021) 6888-1234", "02168881234")]
    [InlineData("021-68881234 转 8021", "02168881234")]
    [InlineData("021-68881234 ext. 8021", "02168881234")]
    public void Phone_SpellingsOfOneNumber_GiveOneKey(string phone, string expected) =>
        Assert.Equal(expected, DuplicateKeys.Phone(phone));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("n/a")]
    [InlineData("123")]
    public void Phone_NothingDialable_IsNull(string? phone) => Assert.Null(DuplicateKeys.Phone(phone));

    [Theory]
    [InlineData("Sales@ACME.cn", "sales@acme.cn")]
    [InlineData("  sales@acme.cn ", "sales@acme.cn")]
    [InlineData("ｓａｌｅｓ＠ａｃｍｅ．ｃｎ", "sales@acme.cn")]
    public void Email_CaseWidthAndSpaces_GiveOneKey(string email, string expected) =>
        Assert.Equal(expected, DuplicateKeys.Email(email));

    [Theory]
    [InlineData("no address")]
    [InlineData("a b@c.cn")]
    [InlineData("")]
    public void Email_NotAnAddress_IsNull(string email) => Assert.Null(DuplicateKeys.Email(email));

    [Theory]
    [InlineData("上海华信精密机械有限公司", "上海华信精密机械")]
    [InlineData("上海华信精密机械股份有限公司", "上海华信精密机械")]
    [InlineData("上海 华信 精密机械 有限公司", "上海华信精密机械")]
    [InlineData("上海华信精密机械（集团）有限公司", "上海华信精密机械")]
    [InlineData("上海华信精密机械集团有限公司", "上海华信精密机械")]
    [InlineData("上海华信精密机械", "上海华信精密机械")]
    [InlineData("ＡＣＭＥ科技有限公司", "acme科技")]
    [InlineData("Acme Technology Co., Ltd.", "acmetechnology")]
    [InlineData("ACME TECHNOLOGY CO LTD", "acmetechnology")]
    [InlineData("Acme Technology, Inc.", "acmetechnology")]
    [InlineData("Acme-Technology Limited", "acmetechnology")]
    public void Company_LegalFormsWidthAndSpacing_GiveOneKey(string name, string expected) =>
        Assert.Equal(expected, DuplicateKeys.Company(name));

    [Theory]
    [InlineData("有限公司")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Company_OnlyALegalFormOrBlank_IsNull(string? name) => Assert.Null(DuplicateKeys.Company(name));

    [Fact]
    public void Company_DifferentCompanies_StayDifferent() =>
        Assert.NotEqual(DuplicateKeys.Company("上海华信精密机械有限公司"), DuplicateKeys.Company("苏州华信精密机械有限公司"));
}
