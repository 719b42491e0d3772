using System.Globalization;
using System.Resources;
using LeadToCash.Modules.Opportunities.ImportOpportunities;
using LeadToCash.Modules.Organization.ImportPeople;
using LeadToCash.Platform.Import;
using LeadToCash.Platform.Localization;

namespace LeadToCash.Tests.Unit;

/// <summary>Every field of the people and opportunity imports has its label (the import page's column choices) in both languages.</summary>
public sealed class ImportLabelsTests
{
    public static TheoryData<string, string> Labels()
    {
        var data = new TheoryData<string, string>();
        foreach (var (importer, prefix) in new (IRecordImporter, string)[]
                 {
                     (new PeopleImporter(null!, null!, null!, null!), "PeopleImport.Field."),
                     (new OpportunityImporter(null!, null!, null!), "OppImport.Field."),
                 })
        {
            foreach (var field in importer.Fields)
            {
                foreach (var culture in new[] { "en-US", "zh-CN" })
                {
                    data.Add(prefix + field.Key, culture);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Labels))]
    public void FieldLabel_EveryFieldAndLanguage_IsWritten(string key, string culture)
    {
        var resources = new ResourceManager(typeof(SharedResource));
        var own = resources.GetResourceSet(culture == "en-US" ? CultureInfo.InvariantCulture : new CultureInfo(culture), true, tryParents: false);

        Assert.False(string.IsNullOrWhiteSpace(own?.GetString(key)), $"{key} has no {culture} text.");
    }
}
