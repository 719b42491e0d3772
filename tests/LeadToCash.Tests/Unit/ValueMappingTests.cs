using LeadToCash.Platform.Import;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LeadToCash.Tests.Unit;

/// <summary>How a file's values are matched to the system's (suggestions) and how the choices apply to rows.</summary>
public sealed class ValueMappingTests
{
    private static readonly ValueTarget[] Products =
    [
        Target("p1", "GTX Basic"), Target("p2", "GTX Pro"), Target("p3", "MG Special"), Target("p4", "MG Advanced"),
        Target("p5", "GTX Plus Pro"), Target("p6", "GTX Plus Basic"), Target("p7", "GTK 500"),
    ];

    private static readonly ValueTarget[] Stages =
    [
        new("s1", "Needs analysis", ["需求分析", "Needs analysis"]), new("s2", "Proposal", ["方案呈现", "Proposal"]),
        new("s3", "Negotiation", ["商务谈判", "Negotiation"]), new("s4", "Contract", ["合同签署", "Contract"]),
        new("s5", "Won", ["赢单", "Won"]), new("s6", "Lost", ["输单", "Lost"]),
    ];

    private static readonly string[] FileStages = ["Won", "Lost", "Won", "Prospecting", "", "Engaging", "Won"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GTXPro", "p2")]
    [InlineData("gtx pro", "p2")]
    [InlineData("ＧＴＸ　Ｐｒｏ", "p2")]
    [InlineData("GTX-Plus-Basic", "p6")]
    [InlineData("GTX Plus Pro", "p5")]
    [InlineData("MG Specail", "p3")]
    [InlineData("Special", "p3")]
    [InlineData("GTK500 (2017)", "p7")]
    public void Suggest_SpellingsOfAProduct_FindTheProduct(string value, string expected) =>
        Assert.Equal(expected, new ValueMatcher(Products).Suggest(value)?.Key);

    [Theory]
    [InlineData("MG")]
    [InlineData("GTX")]
    [InlineData("Pro")]
    [InlineData("Laptop")]
    [InlineData("")]
    [InlineData("  ")]
    public void Suggest_AmbiguousOrUnknownValue_SuggestsNothing(string value) => Assert.Null(new ValueMatcher(Products).Suggest(value));

    [Theory]
    [InlineData("Won", "s5")]
    [InlineData("won", "s5")]
    [InlineData("LOST", "s6")]
    [InlineData("商务谈判", "s3")]
    [InlineData("谈判", "s3")]
    [InlineData("Negotiating", "s3")]
    [InlineData("Prospecting", null)]
    [InlineData("Engaging", null)]
    public void Suggest_StageNames_MatchInEitherLanguageOrNotAtAll(string value, string? expected) =>
        Assert.Equal(expected, new ValueMatcher(Stages).Suggest(value)?.Key);

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("gtxpro", "gtxpor", 2)]
    public void Distance_Pairs_CountEdits(string a, string b, int expected) => Assert.Equal(expected, ValueMatcher.Distance(a, b));

    [Fact]
    public async Task Compact_ChoicesEqualToTheSuggestion_AreNotKept()
    {
        var stages = new ListedValueTargets("stage", "Stage", Stages);

        var kept = await ValueMaps.CompactAsync([stages], Choices(("stage", "Won", "s5"), ("stage", "Prospecting", "s1"), ("stage", "Lost", null)),
            strict: true, Ct);

        var stage = Assert.Single(kept!).Value;
        Assert.Equal(new Dictionary<string, string?> { ["Prospecting"] = "s1", ["Lost"] = null }, stage);
    }

    [Fact]
    public async Task Compact_UnknownTargetOrField_RefusedWhenStrictDroppedInPreview()
    {
        var stages = new ListedValueTargets("stage", "Stage", Stages);

        var error = await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            ValueMaps.CompactAsync([stages], Choices(("stage", "Won", "nope"), ("colour", "red", "s1")), strict: true, Ct));
        var lenient = await ValueMaps.CompactAsync([stages], Choices(("stage", "Won", "nope"), ("colour", "red", "s1")), strict: false, Ct);

        Assert.Equal(2, error.Errors.Count());
        Assert.All(error.Errors, e => Assert.Equal("values", e.PropertyName));
        Assert.Null(lenient);
    }

    [Fact]
    public async Task Apply_ValuesChosenSuggestedOrUnmapped_GiveKeysOrRejectTheRowWithTheReason()
    {
        var stages = new ListedValueTargets("stage", "Stage", Stages);
        var products = new ListedValueTargets("product", "Product", Products);
        var settings = new ImportSettings
        {
            Columns = ["stage", "product"],
            Values = Choices(("stage", "Prospecting", "s1"), ("product", "GTXPro", null)),
        };
        using var culture = Components.ComponentServices.Culture("en-US");
        var run = new ValueMapRun([stages, products], settings, Strings());
        MappedRow Row(int number, string stage, string product) =>
            new(number, new Dictionary<string, string>(StringComparer.Ordinal) { ["stage"] = stage, ["product"] = product });

        var (passed, rejected) = await run.ApplyAsync(
        [
            Row(2, "Prospecting", "GTX Basic"),
            Row(3, "Won", ""),
            Row(4, "Engaging", "GTXPro"),
            Row(5, " Won ", "MG Specail"),
        ], Ct);

        Assert.Equal([2, 3, 5], passed.Select(r => r.Number));
        Assert.Equal(("s1", "p1"), (passed[0].Target("stage"), passed[0].Target("product")));
        Assert.Equal(("s5", (string?)null), (passed[1].Target("stage"), passed[1].Target("product")));
        Assert.Equal(("s5", "p3"), (passed[2].Target("stage"), passed[2].Target("product")));
        Assert.Equal([null, null, RowOutcome.Rejected, null], rejected.Select(r => r?.Outcome));
        Assert.Equal("Stage “Engaging” is not mapped; Product “GTXPro” is not mapped", rejected[2]!.Message);

        var merged = ValueMapRun.Merge(rejected, [.. passed.Select(r => new RowResult(r.Number, RowOutcome.Ready))]);
        Assert.Equal([(2, RowOutcome.Ready), (3, RowOutcome.Ready), (4, RowOutcome.Rejected), (5, RowOutcome.Ready)],
            merged.Select(r => (r.Row, r.Outcome)));
    }

    [Fact]
    public async Task Describe_WholeFile_CountsDistinctValuesWithSuggestionsAndChoices()
    {
        var stages = new ListedValueTargets("stage", "Stage", Stages);
        var settings = new ImportSettings { Columns = [null, "stage"], Values = Choices(("stage", "Prospecting", "s1"), ("stage", "Lost", null)) };
        var rows = FileStages.Select((stage, i) => new SheetRow(i + 2, ["x", stage])).ToList();

        var field = Assert.Single(await ValueMaps.DescribeAsync([stages], settings, rows, Ct));

        Assert.Equal(("stage", 4), (field.Field, field.DistinctValues));
        Assert.Equal(6, field.Targets!.Count);
        Assert.Equal(
        [
            new ImportValueDto("Won", 3, "s5", "Won", "s5", "Won"),
            new ImportValueDto("Engaging", 1, null, null, null, null),
            new ImportValueDto("Lost", 1, "s6", "Lost", null, null),
            new ImportValueDto("Prospecting", 1, null, null, "s1", "Needs analysis"),
        ], field.Values);
    }

    private static ValueTarget Target(string key, string name) => new(key, name, [name]);

    private static Dictionary<string, IReadOnlyDictionary<string, string?>> Choices(params (string Field, string Value, string? Key)[] choices) =>
        choices.GroupBy(c => c.Field).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, string?>)g.ToDictionary(c => c.Value, c => c.Key, StringComparer.Ordinal), StringComparer.Ordinal);

    private static StringLocalizer<SharedResource> Strings()
    {
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
        return new StringLocalizer<SharedResource>(factory);
    }
}
