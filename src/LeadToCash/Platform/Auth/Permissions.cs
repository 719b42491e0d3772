namespace LeadToCash.Platform.Auth;

/// <summary>
/// Named operations. Every endpoint requires one of these as its authorization policy; roles grant them
/// by default as below (the endpoint inventory test keeps it that way).
/// </summary>
public static class Permissions
{
    public const string ProfileRead = "profile.read";
    public const string TokensOwn = "tokens.own";
    public const string OrgRead = "org.read";
    public const string UsersManage = "users.manage";
    public const string TeamsManage = "teams.manage";
    public const string SettingsRead = "settings.read";
    public const string SettingsManage = "settings.manage";
    public const string OptionsRead = "options.read";
    public const string OptionsManage = "options.manage";
    public const string CustomersRead = "customers.read";
    public const string CustomersCreate = "customers.create";
    public const string CustomersEdit = "customers.edit";
    public const string CustomersDelete = "customers.delete";
    public const string CustomersExport = "customers.export";
    public const string CustomersClaim = "customers.claim";
    public const string CustomersAssign = "customers.assign";
    public const string CustomersMerge = "customers.merge";
    public const string CustomersImport = "customers.import";
    public const string FollowUpsLog = "followups.log";
    public const string TasksOwn = "tasks.own";
    public const string TasksAssign = "tasks.assign";
    public const string HandOverManage = "handover.manage";
    public const string SearchUse = "search.use";
    public const string LeadsRead = "leads.read";
    public const string LeadsCreate = "leads.create";
    public const string LeadsEdit = "leads.edit";
    public const string LeadsScreen = "leads.screen";
    public const string LeadsAssign = "leads.assign";
    public const string LeadsClaim = "leads.claim";
    public const string LeadsConvert = "leads.convert";
    public const string LeadsMerge = "leads.merge";
    public const string LeadsImport = "leads.import";
    public const string LeadsExport = "leads.export";
    public const string NotificationsOwn = "notifications.own";
    public const string ViewsOwn = "views.own";
    public const string HistoryRead = "history.read";
    public const string RecycleBinManage = "recyclebin.manage";
    public const string PersonalDataErase = "personaldata.erase";

    /// <summary>Import historical deals from a spreadsheet (their stage history is recorded as imported, not gate-checked).</summary>
    public const string OpportunitiesImport = "opportunities.import";

    private static readonly string[] Everyone =
        [ProfileRead, TokensOwn, OrgRead, SettingsRead, OptionsRead, HistoryRead, NotificationsOwn, ViewsOwn, SearchUse, TasksOwn];

    private static readonly string[] LeadManagement =
        [LeadsRead, LeadsCreate, LeadsEdit, LeadsScreen, LeadsAssign, LeadsClaim, LeadsConvert, LeadsMerge, LeadsImport, LeadsExport];

    private static readonly string[] CustomerManagement =
    [
        CustomersRead, CustomersCreate, CustomersEdit, CustomersDelete, CustomersExport, CustomersClaim, CustomersAssign,
        CustomersMerge, CustomersImport, FollowUpsLog, TasksAssign, HandOverManage,
    ];

    public static readonly IReadOnlyList<string> All =
    [
        ProfileRead, TokensOwn, OrgRead, UsersManage, TeamsManage, SettingsRead, SettingsManage, OptionsRead,
        OptionsManage, CustomersRead, CustomersCreate, CustomersEdit, CustomersDelete, CustomersExport, CustomersClaim,
        CustomersAssign, CustomersMerge, CustomersImport, FollowUpsLog, TasksOwn, TasksAssign, HandOverManage, SearchUse, LeadsRead,
        LeadsCreate, LeadsEdit, LeadsScreen, LeadsAssign, LeadsClaim, LeadsConvert, LeadsMerge, LeadsImport, LeadsExport,
        NotificationsOwn, ViewsOwn, HistoryRead, RecycleBinManage, PersonalDataErase,
        OpportunitiesImport,
    ];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ByRole =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [Roles.Admin] = All,
            [Roles.Director] = [.. Everyone, .. LeadManagement, .. CustomerManagement, OpportunitiesImport],
            [Roles.Manager] = [.. Everyone, .. LeadManagement, .. CustomerManagement, OpportunitiesImport],
            [Roles.Rep] = [.. Everyone, LeadsRead, LeadsCreate, LeadsEdit, LeadsClaim, LeadsConvert, LeadsImport, LeadsExport,
                CustomersRead, CustomersCreate, CustomersEdit, CustomersExport, CustomersClaim, CustomersImport, FollowUpsLog],
            [Roles.Assistant] = [.. Everyone, LeadsRead, LeadsCreate, LeadsEdit, LeadsScreen, LeadsImport, LeadsExport,
                CustomersRead, CustomersCreate, CustomersImport, FollowUpsLog],
            [Roles.Finance] = [.. Everyone, CustomersRead, CustomersExport],
        };

    public static IReadOnlySet<string> ForRoles(IEnumerable<string> roles) =>
        roles.Where(ByRole.ContainsKey).SelectMany(r => ByRole[r]).ToHashSet(StringComparer.Ordinal);
}
