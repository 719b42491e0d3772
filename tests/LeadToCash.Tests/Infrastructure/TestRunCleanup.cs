using LeadToCash.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(TestRunCleanup))]

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Removes what the run left behind once every test has finished (the shared PostgreSQL server keeps no templates).</summary>
public sealed class TestRunCleanup : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await TestDatabases.CleanUpRunAsync();
}
