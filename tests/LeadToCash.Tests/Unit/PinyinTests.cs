using System.Text;
using LeadToCash.Modules.Search;
using LeadToCash.Platform.Search;

namespace LeadToCash.Tests.Unit;

public sealed class PinyinTests
{
    [Fact]
    public void Spell_CompanyName_GivesSyllablesAndInitials()
    {
        var spelled = Pinyin.Spell("华为科技");

        Assert.Equal(["huaweikeji"], spelled.Full);
        Assert.Equal(["hwkj"], spelled.Initials);
    }

    [Fact]
    public void Spell_PolyphonicCharacters_GiveEveryReadingCommonFirst()
    {
        var spelled = Pinyin.Spell("重庆银行");

        Assert.Equal("zhongqingyinxing", spelled.Full[0]);
        Assert.Contains("chongqingyinhang", spelled.Full);
        Assert.Contains("zhongqingyinhang", spelled.Full);
        Assert.Contains(spelled.Full, f => f.StartsWith("chongqing", StringComparison.Ordinal));
        Assert.Contains(spelled.Full, f => f.EndsWith("yinhang", StringComparison.Ordinal));
        Assert.Contains("cqyh", spelled.Initials);
        Assert.Equal(spelled.Full.Count, spelled.Full.Distinct().Count());
    }

    [Fact]
    public void ReadingsOf_Polyphonic_ListsTheModernReadings()
    {
        var readings = Pinyin.ReadingsOf(new Rune('行'));

        Assert.Equal("xing", readings[0]);
        Assert.Contains("hang", readings);
    }

    [Fact]
    public void Spell_LatinLettersAndDigits_PassThroughLowerCase()
    {
        var spelled = Pinyin.Spell("ABC科技 360");

        Assert.Equal(["abckeji360"], spelled.Full);
        Assert.Equal(["abckj360"], spelled.Initials);
    }

    [Fact]
    public void Spell_FullWidthAndPunctuation_AreFoldedAndDropped()
    {
        var spelled = Pinyin.Spell("上海华信（集团）ＡＢ");

        Assert.Equal("shanghaihuaxinjituanab", spelled.Full[0]);
        Assert.Equal("shhxjtab", spelled.Initials[0]);
    }

    [Fact]
    public void Spell_Umlaut_IsWrittenV()
    {
        Assert.Contains("lvse", Pinyin.Spell("绿色").Full);
        Assert.Equal("nv", Pinyin.Spell("女").Full[0]);
    }

    [Fact]
    public void Spell_ManyPolyphonicCharacters_IsBoundedAndKeepsTheCommonReading()
    {
        var spelled = Pinyin.Spell("行行行行行行行行重重重重");

        Assert.Equal(Pinyin.MaxVariants, spelled.Full.Count);
        Assert.Equal("xingxingxingxingxingxingxingxingzhongzhongzhongzhong", spelled.Full[0]);
        // Next come the spellings with one uncommon reading, wherever it is.
        Assert.Contains("hangxingxingxingxingxingxingxingzhongzhongzhongzhong", spelled.Full);
        Assert.Contains("xingxingxingxingxingxingxingxingzhongzhongzhongchong", spelled.Full);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  —— ")]
    public void Spell_NothingToSpell_IsEmpty(string? text)
    {
        var spelled = Pinyin.Spell(text);

        Assert.Empty(spelled.Full);
        Assert.Empty(spelled.Initials);
    }

    [Fact]
    public void SearchSpellings_LeadNames_JoinVariantsOfBothNames()
    {
        var (pinyin, initials) = SearchSpellings.Of("重庆银行", "张伟");

        var variants = pinyin.Split(' ');
        Assert.Equal("zhongqingyinxing", variants[0]);
        Assert.Contains("chongqingyinhang", variants);
        Assert.Contains("zhangwei", variants);
        Assert.Contains("zw", initials.Split(' '));
    }

    [Fact]
    public void SearchSpellings_LongName_FitsTheColumn()
    {
        var (pinyin, initials) = SearchSpellings.Of(string.Concat(Enumerable.Repeat("重庆银行长乐", 34)));

        Assert.True(pinyin.Length <= SearchSpellings.MaxPinyinLength, $"{pinyin.Length} characters");
        Assert.True(initials.Length <= SearchSpellings.MaxInitialsLength, $"{initials.Length} characters");
        Assert.StartsWith("zhongqingyinxingzhangle", pinyin, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+86 138-0013-8000", "13800138000")]
    [InlineData("138 0013", "1380013")]
    [InlineData("(021) 6888-1234", "02168881234")]
    public void SearchTerms_PhoneNumber_IsLookedUpAsItsDigits(string query, string digits)
    {
        var terms = SearchTerms.Parse(query)!;

        Assert.Equal(digits, terms.Phone);
        Assert.Equal([digits], terms.Contains);
    }

    [Fact]
    public void SearchTerms_ShortChineseQuery_IsLookedUpByItsPinyinAndCheckedAgainstTheName()
    {
        var terms = SearchTerms.Parse(" 华为 ")!;

        Assert.Equal("华为", terms.NameContains);
        Assert.Contains("huawei", terms.Contains);
        Assert.Contains("华为", terms.Starts);
    }

    [Theory]
    [InlineData("成都", SearchIndex.ShortQueryCandidateLimit)]
    [InlineData("li", SearchIndex.ShortQueryCandidateLimit)]
    [InlineData("成都科技", SearchIndex.CandidateLimit)]
    [InlineData("c d k", SearchIndex.CandidateLimit)]
    [InlineData("13800138000", SearchIndex.CandidateLimit)]
    public void SearchIndex_QueryShorterThanATrigram_ReadsFewerCandidates(string query, int limit) =>
        Assert.Equal(limit, SearchIndex.LimitFor(SearchTerms.Parse(query)!));

    [Fact]
    public void SearchTerms_ControlCharactersAndSpaces_AreDroppedAndCollapsed()
    {
        var terms = SearchTerms.Parse("Hua\u0001  WEI\t")!;

        Assert.Equal("hua wei", terms.Text);
        Assert.Equal("huawei", terms.Compact);
        Assert.DoesNotContain(terms.Contains.Concat(terms.Starts), t => t.Contains('\u0001', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("\u0001\u0002")]
    public void SearchTerms_NothingSearchable_IsNull(string? query) => Assert.Null(SearchTerms.Parse(query));
}
