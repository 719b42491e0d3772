using System.Data.Common;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Auth;

namespace LeadToCash.Bench;

/// <summary>
/// What one scale account may see, by the app's own rules (<see cref="CurrentUserResolver.Build"/>), and the SQL
/// conditions that express it in the raw queries: the query filter's terms (own, owned by the people of the visible
/// teams, in a visible pool, shared) and, where the app narrows a list to the visible ids first, that form.
/// </summary>
internal sealed record Scope(Guid UserId, Guid? TeamId, bool SeesAll, IReadOnlyList<Guid> OwnerIds, IReadOnlyList<Guid> PoolTeamIds,
    IReadOnlyList<Guid> SubtreeTeamIds, TeamTree Tree)
{
    public static async Task<Scope> LoadAsync(RawDb db, DbConnection connection, string email)
    {
        var user = (await RawDb.ListAsync(connection,
            new Sql($"""SELECT "Id", "TeamId", "DisplayName" FROM "AspNetUsers" WHERE "NormalizedEmail" = '{email.ToUpperInvariant()}'"""),
            r => new AppUser { Id = RawDb.ReadId(r, 0), TeamId = r.IsDBNull(1) ? null : RawDb.ReadId(r, 1), DisplayName = r.GetString(2), Email = email }))
            .SingleOrDefault() ?? throw new InvalidOperationException($"{email} is not in the database: was it seeded with seed-scale?");
        var roleSql = new Sql("""SELECT r."Name" FROM "AspNetUserRoles" ur JOIN "AspNetRoles" r ON r."Id" = ur."RoleId" WHERE ur."UserId" = """);
        roleSql.Append(roleSql.Param(db.Id(user.Id)));
        var roles = await RawDb.ListAsync(connection, roleSql, r => r.GetString(0));
        var tree = await TreeAsync(db, connection);
        var built = CurrentUserResolver.Build(user, roles, tree);
        List<Guid> owners = [];
        if (built.Scope.OwnerTeamIds.Count > 0)
        {
            var sql = new Sql("""SELECT "Id" FROM "AspNetUsers" WHERE """);
            sql.Append(db.InIds(sql, "\"TeamId\"", [.. built.Scope.OwnerTeamIds]));
            owners = await RawDb.ListAsync(connection, sql, r => RawDb.ReadId(r, 0));
        }

        return new Scope(user.Id, user.TeamId, built.Scope.SeesAll, owners, built.Scope.PoolTeamIds, built.SubtreeTeamIds, tree);
    }

    public static async Task<TeamTree> TreeAsync(RawDb db, DbConnection connection) =>
        new(await RawDb.ListAsync(connection,
            new Sql("""SELECT "Id", "Name", "ParentId", "HeadUserId", "Kind" FROM "Teams" WHERE NOT "IsDeleted" """),
            r => new TeamNode(RawDb.ReadId(r, 0), r.GetString(1), r.IsDBNull(2) ? null : RawDb.ReadId(r, 2),
                r.IsDBNull(3) ? null : RawDb.ReadId(r, 3), (TeamKind)Convert.ToInt32(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>The query filter's condition on a scoped table's row <paramref name="alias"/> ("TRUE" for those who see all).</summary>
    public string Visible(RawDb db, Sql sql, string alias)
    {
        if (SeesAll)
        {
            return "1 = 1";
        }

        var me = sql.Param(db.Id(UserId));
        return $"""({alias}."OwnerId" = {me} OR {db.InIds(sql, $"{alias}.\"OwnerId\"", OwnerIds)} """ +
            $"""OR ({alias}."OwnerId" IS NULL AND {db.InIds(sql, $"{alias}.\"PoolTeamId\"", PoolTeamIds)}) """ +
            $"""OR {alias}."Id" IN (SELECT "RecordId" FROM "Collaborators" WHERE "UserId" = {me}))""";
    }

    /// <summary>
    /// The same rows as <see cref="Visible"/>, written as the set of visible ids (owner index, pool index, shares), the
    /// form the app uses for its scoped lists, board, forecast and receivables (AppDbContext.NarrowToScope: the pool
    /// branch tests the pool alone; "OwnerId IS NULL" there led SQLite to the owner index and every unowned lead).
    /// </summary>
    public string VisibleIds(RawDb db, Sql sql, string table, string alias, string? within = null)
    {
        if (SeesAll)
        {
            return "1 = 1";
        }

        var me = sql.Param(db.Id(UserId));
        List<Guid> owners = [UserId, .. OwnerIds];
        var and = within is null ? "" : $" AND {within}";
        return $"""{alias}."Id" IN (SELECT "Id" FROM "{table}" WHERE {db.InIds(sql, "\"OwnerId\"", owners)}{and} """ +
            $"""UNION ALL SELECT "Id" FROM "{table}" WHERE "PoolTeamId" IS NOT NULL AND {db.InIds(sql, "\"PoolTeamId\"", PoolTeamIds)}{and} """ +
            $"""UNION ALL SELECT "RecordId" FROM "Collaborators" WHERE "UserId" = {me})""";
    }
}
