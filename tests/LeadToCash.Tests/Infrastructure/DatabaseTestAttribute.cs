using Xunit.v3;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// Marks a test class that runs against a real database: the test command runs these twice, on SQLite and then
/// on PostgreSQL (trait Database=true).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class DatabaseTestAttribute : Attribute, ITraitAttribute
{
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new("Database", "true")];
}
