namespace LeadToCash.Platform.Data;

/// <summary>
/// What one user may see of scoped records, computed once per request or circuit (see
/// <see cref="Auth.CurrentUser"/>). The default is "nothing": a context opened without a scope sees no scoped record.
/// </summary>
public sealed record DataScope(
    Guid UserId,
    bool SeesAll,
    IReadOnlyList<Guid> OwnerTeamIds,
    IReadOnlyList<Guid> PoolTeamIds)
{
    /// <summary>
    /// The people who belong to <see cref="OwnerTeamIds"/> when the scope was resolved: the scope filter compares a
    /// record's owner with this list, which the databases answer from the owner index.
    /// </summary>
    public IReadOnlyList<Guid> OwnerIds { get; init; } = [];

    public static readonly DataScope Nothing = new(Guid.Empty, false, [], []);

    /// <summary>For reviewed system jobs only (see ScopeBypassAllowList in the architecture tests).</summary>
    public static readonly DataScope System = new(Guid.Empty, true, [], []);
}
