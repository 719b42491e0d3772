using Xunit.v3;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// Marks a test class whose subject is the data layer (API and handler tests, command line, security matrices, durability):
/// the test command runs these twice, on SQLite and then on PostgreSQL (trait Database=true). Component (bUnit) tests
/// render against SQLite only: the handlers they call are the ones the API tests check on both providers.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class DatabaseTestAttribute : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new("Database", "true")];
}
