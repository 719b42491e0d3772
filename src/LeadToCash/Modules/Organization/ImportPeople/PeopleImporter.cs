using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Matching;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Organization.ImportPeople;

/// <summary>
/// People and their teams from a spreadsheet (e.g. a CRM's list of sales agents with their manager and office).
/// <para>
/// Teams: the team column names a team (the team of that name anywhere in the tree, else a new one under the company). A
/// person with a manager goes into the manager's sub-team "{team} · {manager}" under it, which the manager heads; without a
/// manager, into the team itself; with a manager but no team, into the manager's own team; with neither, into the company.
/// The manager is a person of the file (their own row, wherever it is) or an existing user of that name; a manager named
/// only in the manager column is created. Roles: the role column (its values matched to the roles), else Manager for
/// those who manage someone in the file and Rep for the others.
/// </para>
/// <para>
/// Sign-in: imported people get no password, so nobody can sign in as them; they are active (they can own the deals and
/// customers of a later import) and left out of automatic lead assignment. A person without an e-mail gets a placeholder
/// address under the reserved domain <see cref="PlaceholderDomain"/> (which no mail reaches) until an Admin sets the real one.
/// </para>
/// <para>
/// Re-runs create nothing twice: a row whose e-mail, or (without an e-mail) whose name, belongs to an existing user is
/// skipped as already there, and teams are found by name before any is created.
/// </para>
/// </summary>
public sealed class PeopleImporter(IDbContextFactory<AppDbContext> dbFactory, IServiceScopeFactory scopes, TimeProvider clock,
    IStringLocalizer<SharedResource> strings) : IRecordImporter
{
    public const string PersonRecordType = "person";

    /// <summary>The reserved top-level domain ".invalid" (RFC 2606) never delivers mail: addresses that only stand in.</summary>
    public const string PlaceholderDomain = "people.invalid";

    private const int MaxName = 100;

    private static readonly ImportField[] PeopleFields =
    [
        new("name", false, "姓名", "名字", "员工", "员工姓名", "人员", "销售", "销售人员", "销售代表", "Name", "Full Name", "Person", "Employee",
            "Employee Name", "Sales Agent", "Sales Rep", "Agent", "User", "User Name"),
        new("email", false, "邮箱", "电子邮箱", "电子邮件", "邮件", "Email", "E-mail", "Mail", "Email Address"),
        new("manager", false, "上级", "直属上级", "经理", "主管", "销售经理", "负责人", "Manager", "Sales Manager", "Reports To", "Supervisor",
            "Team Lead"),
        new("team", false, "团队", "部门", "小组", "区域", "大区", "办事处", "分公司", "Team", "Department", "Region", "Regional Office", "Office",
            "Branch"),
        new("role", false, "角色", "Role", "User Role"),
    ];

    // The roles by their code and their Chinese and English names, for matching a role column's values.
    private static readonly (string Role, string Zh, string En)[] RoleNames =
    [
        (Roles.Admin, "管理员", "Administrator"),
        (Roles.Director, "总监", "Director"),
        (Roles.Manager, "经理", "Manager"),
        (Roles.Rep, "销售", "Sales Rep"),
        (Roles.Assistant, "销售助理", "Sales Assistant"),
        (Roles.Finance, "财务", "Finance"),
    ];

    public string RecordType => PersonRecordType;

    public string Permission => Permissions.UsersManage;

    public IReadOnlyList<ImportField> Fields => PeopleFields;

    public void EnsureMappingUsable(IReadOnlyCollection<string> mappedFields)
    {
        if (!mappedFields.Contains("name"))
        {
            throw new ValidationException([new ValidationFailure("columns", "Map a column to the name: every person needs one.")]);
        }
    }

    public Task<ImportSettings> CompleteSettingsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permissions.UsersManage);
        user.Require(Permissions.TeamsManage);
        return Task.FromResult(settings with { SourceChannel = null, TeamId = null, AssignToMe = false, Options = null });
    }

    public Task<IReadOnlyList<IValueTargets>> ValueTargetsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<IValueTargets>>(
        [
            new ListedValueTargets("role", FieldLabel("role"),
                [.. RoleNames.Select(r => new ValueTarget(r.Role, strings[$"Role.{r.Role}"], [r.Role, r.Zh, r.En]))]),
        ]);

    public async Task<IImportBatchWriter> OpenAsync(CurrentUser user, Guid jobId, string fileHash, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permissions.UsersManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var people = await db.Users.AsNoTracking()
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.TeamId })
            .ToListAsync(ct);
        var teams = await db.Teams.AsNoTracking()
            .Select(t => new TeamInfo(t.Id, t.Name, t.ParentId, t.HeadUserId, false))
            .ToListAsync(ct);
        return new PeopleWriter(this, user, [.. people.Select(p => new Person(p.Id, p.DisplayName, p.Email, p.TeamId, false, false))], teams);
    }

    private IServiceScopeFactory Scopes => scopes;

    private TimeProvider Clock => clock;

    private IStringLocalizer<SharedResource> Strings => strings;

    private string FieldLabel(string key) => strings[$"PeopleImport.Field.{key}"];

    /// <summary>The name as people are told apart: case, width, spaces and punctuation ignored.</summary>
    internal static string NameKey(string name) => ColumnMapping.Normalize(name);

    /// <summary>
    /// The stand-in address of a person without an e-mail: the name's Latin letters and a short hash of the name (so that
    /// the same name always gives the same address and a re-run finds the person), under <see cref="PlaceholderDomain"/>.
    /// </summary>
    internal static string PlaceholderEmail(string name)
    {
        var words = name.Normalize(NormalizationForm.FormKC).ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string([.. w.Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9')]))
            .Where(w => w.Length > 0);
        var slug = string.Join('.', words);
        if (slug.Length > 40)
        {
            slug = slug[..40].TrimEnd('.');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NameKey(name))))[..6];
        return $"{(slug.Length == 0 ? "person" : slug)}.{hash}@{PlaceholderDomain}";
    }

    /// <summary>A user, existing or created by this run (<see cref="CreatedHere"/>; <see cref="DefaultRole"/>: no role was given).</summary>
    private sealed class Person(Guid id, string name, string? email, Guid? teamId, bool createdHere, bool defaultRole)
    {
        public Guid Id => id;

        public string Name => name;

        public string? Email => email;

        public Guid? TeamId => teamId;

        public bool CreatedHere => createdHere;

        public bool DefaultRole => defaultRole;

        public string NameKey { get; } = PeopleImporter.NameKey(name);

        public string? EmailKey { get; } = DuplicateKeys.Email(email);

        public bool IsManager { get; set; }
    }

    private sealed record TeamInfo(Guid Id, string Name, Guid? ParentId, Guid? HeadUserId, bool CreatedHere)
    {
        public string NameKey { get; } = PeopleImporter.NameKey(Name);
    }

    /// <summary>A row read: the person's facts, or why the row cannot be imported.</summary>
    private sealed record Draft(int Index, int Row, string Name, string? Email, string? Manager, string? Team, string? Role)
    {
        public string NameKey { get; } = PeopleImporter.NameKey(Name);
    }

    /// <summary>
    /// One run: the people and teams known at its start plus those it created. In a preview (commit false) nothing is
    /// written; the same steps only plan the people and teams, so the preview says what the run would create.
    /// </summary>
    private sealed class PeopleWriter(PeopleImporter importer, CurrentUser user, List<Person> people, List<TeamInfo> teams) : IImportBatchWriter
    {
        private readonly Guid? _rootId = teams.FirstOrDefault(t => t.ParentId is null)?.Id;
        private readonly HashSet<string> _managerKeys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _fileNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _fileEmails = new(StringComparer.Ordinal);

        private IStringLocalizer<SharedResource> L => importer.Strings;

        public async Task<IReadOnlyList<RowResult>> ProcessAsync(IReadOnlyList<MappedRow> rows, bool commit, CancellationToken ct)
        {
            var results = new RowResult?[rows.Count];
            var drafts = new Dictionary<int, Draft>();
            for (var i = 0; i < rows.Count; i++)
            {
                var (draft, problem) = Read(i, rows[i]);
                if (draft is null)
                {
                    results[i] = new RowResult(rows[i].Number, RowOutcome.Rejected, problem);
                }
                else
                {
                    drafts[i] = draft;
                }
            }

            // Who manages someone (in this batch or an earlier one) is a Manager unless the file gives a role.
            foreach (var draft in drafts.Values)
            {
                if (draft.Manager is { } manager)
                {
                    _managerKeys.Add(NameKey(manager));
                }
            }

            await using var session = commit ? new Session(importer.Scopes, user) : null;
            var visiting = new HashSet<int>();

            // A manager's own row is handled before the rows of their people, wherever it is in the batch.
            async Task HandleAsync(int index)
            {
                if (results[index] is not null || !visiting.Add(index))
                {
                    return;
                }

                var draft = drafts[index];
                if (draft.Manager is { } managerName)
                {
                    var key = NameKey(managerName);
                    foreach (var (other, _) in drafts.Where(d => d.Key != index && d.Value.NameKey == key && results[d.Key] is null))
                    {
                        await HandleAsync(other);
                    }
                }

                results[index] = await HandleRowAsync(draft, session, ct);
            }

            foreach (var index in drafts.Keys.Order().ToList())
            {
                await HandleAsync(index);
            }

            return [.. results.Select(r => r!)];
        }

        private (Draft? Draft, string? Problem) Read(int index, MappedRow row)
        {
            string? Text(string field) => row[field]?.Trim() is { Length: > 0 } value ? value : null;

            var reasons = new List<string>();
            var name = Text("name");
            if (name is null)
            {
                reasons.Add(L["PeopleImport.Reason.NeedsName"].Value);
            }

            var email = Text("email");
            if (email is not null && (DuplicateKeys.Email(email) is null || email.Length > 256 || !email.Contains('.', StringComparison.Ordinal)))
            {
                reasons.Add(L["PeopleImport.Reason.BadEmail", email].Value);
            }

            foreach (var (field, value) in new[] { ("name", name), ("manager", Text("manager")), ("team", Text("team")) })
            {
                if (value is { Length: > MaxName })
                {
                    reasons.Add(L["PeopleImport.Reason.TooLong", importer.FieldLabel(field), MaxName].Value);
                }
            }

            if (name is not null && NameKey(name).Length == 0)
            {
                reasons.Add(L["PeopleImport.Reason.NeedsName"].Value);
            }

            return reasons.Count > 0
                ? (null, string.Join("; ", reasons))
                : (new Draft(index, row.Number, name!, email, Text("manager"), Text("team"), row.Target("role")), null);
        }

        private async Task<RowResult> HandleRowAsync(Draft draft, Session? session, CancellationToken ct)
        {
            var commit = session is not null;
            var emailKey = DuplicateKeys.Email(draft.Email);

            // The same person twice in the file, or someone who is already a user.
            if ((emailKey is not null && _fileEmails.TryGetValue(emailKey, out var earlier)) || _fileNames.TryGetValue(draft.NameKey, out earlier))
            {
                return new RowResult(draft.Row, RowOutcome.Duplicate, L["PeopleImport.Reason.DuplicateRow", earlier].Value, L["PeopleImport.Row", earlier].Value);
            }

            var existing = emailKey is not null
                ? people.Where(p => p.EmailKey == emailKey).ToList()
                : people.Where(p => p.NameKey == draft.NameKey).ToList();
            if (existing.Count > 1)
            {
                return new RowResult(draft.Row, RowOutcome.Rejected, L["PeopleImport.Reason.AmbiguousName", draft.Name].Value);
            }

            if (existing.Count == 1)
            {
                Remember(draft, emailKey);
                var person = existing[0];
                return new RowResult(draft.Row, RowOutcome.AlreadyImported, L["PeopleImport.Reason.Exists", person.Name, person.Email ?? ""].Value,
                    ImportedByThisJob: person.CreatedHere);
            }

            var notes = new List<string>();
            Person? manager = null;
            if (draft.Manager is { } managerName)
            {
                var managers = people.Where(p => p.NameKey == NameKey(managerName)).ToList();
                if (managers.Count > 1)
                {
                    return new RowResult(draft.Row, RowOutcome.Rejected, L["PeopleImport.Reason.AmbiguousManager", managerName].Value);
                }

                manager = managers.SingleOrDefault();
            }

            // The team the person goes into, and the manager's sub-team, which a manager named only in the column joins as its head.
            Guid? teamId;
            if (draft.Team is { } teamName)
            {
                var team = await FindOrCreateTeamAsync(teamName, null, TeamKind.Region, null, session, notes, ct);
                if (draft.Manager is { } managerName2)
                {
                    var managerId = manager?.Id ?? Guid.CreateVersion7();
                    var sub = await FindOrCreateTeamAsync(Truncate($"{team.Name} · {managerName2}", MaxName), team.Id, TeamKind.Team, managerId,
                        session, notes, ct);
                    manager ??= await CreatePersonAsync(managerId, managerName2, null, null, Roles.Manager, sub.Id, session, notes, ct);
                    teamId = sub.Id;
                }
                else
                {
                    teamId = team.Id;
                }
            }
            else if (draft.Manager is { } managerName3)
            {
                manager ??= await CreatePersonAsync(Guid.CreateVersion7(), managerName3, null, null, Roles.Manager, _rootId, session, notes, ct);
                teamId = manager.TeamId ?? _rootId;
            }
            else
            {
                teamId = _rootId;
            }

            if (manager is not null)
            {
                await PromoteAsync(manager, session, ct);
            }

            var role = draft.Role ?? (_managerKeys.Contains(draft.NameKey) ? Roles.Manager : Roles.Rep);
            var created = await CreatePersonAsync(Guid.CreateVersion7(), draft.Name, draft.Email, draft.Row, role, teamId, session, notes, ct,
                defaultRole: draft.Role is null);

            Remember(draft, emailKey);
            if (draft.Email is null)
            {
                notes.Add(L["PeopleImport.Note.Placeholder", created.Email ?? ""].Value);
            }

            notes.Insert(0, L["PeopleImport.Note.Role", L[$"Role.{role}"].Value, TeamName(teamId)].Value);
            return new RowResult(draft.Row, commit ? RowOutcome.Created : RowOutcome.Ready, string.Join(" ", notes));
        }

        private void Remember(Draft draft, string? emailKey)
        {
            _fileNames.TryAdd(draft.NameKey, draft.Row);
            if (emailKey is not null)
            {
                _fileEmails.TryAdd(emailKey, draft.Row);
            }
        }

        private string TeamName(Guid? id) => teams.FirstOrDefault(t => t.Id == id)?.Name ?? "";

        private async Task<TeamInfo> FindOrCreateTeamAsync(string name, Guid? parentId, TeamKind kind, Guid? headId, Session? session,
            List<string> notes, CancellationToken ct)
        {
            var key = NameKey(name);

            // A top-level name is looked for in the whole tree (prefer one directly under the company); a sub-team under its parent.
            var found = teams.Where(t => t.NameKey == key && (parentId is null || t.ParentId == parentId))
                .OrderBy(t => t.ParentId == _rootId ? 0 : 1)
                .FirstOrDefault();
            if (found is not null)
            {
                return found;
            }

            var team = new TeamInfo(Guid.CreateVersion7(), name, parentId ?? _rootId, headId, true);
            if (session is not null)
            {
                await session.CreateTeamAsync(team.Id, name, kind, team.ParentId, headId, ct);
            }

            teams.Add(team);
            notes.Add(L["PeopleImport.Note.NewTeam", name].Value);
            return team;
        }

        private async Task<Person> CreatePersonAsync(Guid id, string name, string? email, int? row, string role, Guid? teamId,
            Session? session, List<string> notes, CancellationToken ct, bool defaultRole = true)
        {
            var address = email?.Trim() ?? PlaceholderEmail(name);
            var person = new Person(id, name, address, teamId, true, defaultRole) { IsManager = role == Roles.Manager };
            if (session is not null)
            {
                await session.CreateUserAsync(person.Id, name, address, email is not null, teamId, role, importer.Clock.GetUtcNow().UtcDateTime, ct);
            }

            people.Add(person);
            if (row is null)
            {
                notes.Add(L["PeopleImport.Note.NewManager", name].Value);
            }

            return person;
        }

        /// <summary>A person this run created with the default role becomes a Manager once someone reports to them.</summary>
        private static async Task PromoteAsync(Person manager, Session? session, CancellationToken ct)
        {
            if (manager.IsManager || !manager.CreatedHere || !manager.DefaultRole)
            {
                return;
            }

            manager.IsManager = true;
            if (session is not null)
            {
                await session.MakeManagerAsync(manager.Id, ct);
            }
        }

        private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
    }

    /// <summary>
    /// The writes of a batch: Identity's user manager and the teams on one scoped context that names the importing user in
    /// the change history (as the users handler does).
    /// </summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope;
        private readonly AppDbContext _db;
        private readonly UserManager<AppUser> _users;

        public Session(IServiceScopeFactory scopes, CurrentUser actor)
        {
            _scope = scopes.CreateAsyncScope();
            _db = _scope.ServiceProvider.GetRequiredService<AppDbContext>().WithScope(actor.Scope, actor.Id);
            _users = _scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        }

        public async Task CreateTeamAsync(Guid id, string name, TeamKind kind, Guid? parentId, Guid? headId, CancellationToken ct)
        {
            _db.Teams.Add(new Team { Id = id, Name = name, Kind = kind, ParentId = parentId, HeadUserId = headId });
            await _db.SaveChangesAsync(ct);
        }

        public async Task CreateUserAsync(Guid id, string name, string email, bool realEmail, Guid? teamId, string role, DateTime now,
            CancellationToken ct)
        {
            var user = new AppUser
            {
                Id = id,
                Email = email,
                UserName = email,
                DisplayName = name,
                TeamId = teamId,
                EmailConfirmed = realEmail,
                CreatedAt = now,
                UnavailableForLeads = true,
            };
            Check(await _users.CreateAsync(user));
            Check(await _users.AddToRoleAsync(user, role));
            ct.ThrowIfCancellationRequested();
        }

        public async Task MakeManagerAsync(Guid userId, CancellationToken ct)
        {
            var user = await _users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("The imported user is gone.");
            Check(await _users.RemoveFromRoleAsync(user, Roles.Rep));
            Check(await _users.AddToRoleAsync(user, Roles.Manager));
            ct.ThrowIfCancellationRequested();
        }

        public ValueTask DisposeAsync() => _scope.DisposeAsync();

        private static void Check(IdentityResult result)
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("A person could not be saved: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }
    }
}
