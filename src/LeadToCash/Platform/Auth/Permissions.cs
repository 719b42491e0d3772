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
    public const string OpportunitiesRead = "opportunities.read";
    public const string OpportunitiesCreate = "opportunities.create";
    public const string OpportunitiesEdit = "opportunities.edit";
    public const string OpportunitiesMove = "opportunities.move";
    public const string OpportunitiesOverride = "opportunities.override";
    public const string OpportunitiesAssign = "opportunities.assign";
    public const string PipelinesManage = "pipelines.manage";

    // The price book, quotes and their approvals.
    public const string ProductsRead = "products.read";
    public const string ProductsManage = "products.manage";
    public const string QuotesRead = "quotes.read";
    public const string QuotesEdit = "quotes.edit";
    /// <summary>Everyone: the approvals inbox holds what waits on the caller (by name, role or delegation) and the caller's own requests.</summary>
    public const string ApprovalsDecide = "approvals.decide";

    // Negotiation minutes and the sales playbook (quote settings use settings.read / settings.manage).
    public const string NegotiationsRead = "negotiations.read";
    public const string NegotiationsEdit = "negotiations.edit";
    public const string PlaybookRead = "playbook.read";
    public const string PlaybookManage = "playbook.manage";

    /// <summary>Import historical deals from a spreadsheet (their stage history is recorded as imported, not gate-checked).</summary>
    public const string OpportunitiesImport = "opportunities.import";

    // Contracts, their payment plans, receipts and invoices; approval flows.
    public const string ContractsRead = "contracts.read";
    public const string ContractsEdit = "contracts.edit";

    /// <summary>Terminate a contract (managers and up).</summary>
    public const string ContractsTerminate = "contracts.terminate";
    public const string ReceivablesRead = "receivables.read";

    /// <summary>Record receipts and invoices and match receipts to instalments (Finance).</summary>
    public const string PaymentsRecord = "payments.record";
    public const string ApprovalFlowsManage = "approvalflows.manage";

    private static readonly string[] Everyone =
        [ProfileRead, TokensOwn, OrgRead, SettingsRead, OptionsRead, HistoryRead, NotificationsOwn, ViewsOwn, SearchUse, TasksOwn, ApprovalsDecide];

    private static readonly string[] QuoteWork = [ProductsRead, QuotesRead, QuotesEdit];

    private static readonly string[] ContractWork = [ContractsRead, ContractsEdit, ReceivablesRead];

    private static readonly string[] LeadManagement =
        [LeadsRead, LeadsCreate, LeadsEdit, LeadsScreen, LeadsAssign, LeadsClaim, LeadsConvert, LeadsMerge, LeadsImport, LeadsExport];

    private static readonly string[] CustomerManagement =
    [
        CustomersRead, CustomersCreate, CustomersEdit, CustomersDelete, CustomersExport, CustomersClaim, CustomersAssign,
        CustomersMerge, CustomersImport, FollowUpsLog, TasksAssign, HandOverManage,
    ];

    /// <summary>Everyone reads minutes (bottom lines aside) and the playbook; those who sell write minutes; managers keep the playbook.</summary>
    private static readonly string[] NegotiationReading = [NegotiationsRead, PlaybookRead];

    private static readonly string[] Negotiating = [.. NegotiationReading, NegotiationsEdit];
    private static readonly string[] OpportunityWork =
        [OpportunitiesRead, OpportunitiesCreate, OpportunitiesEdit, OpportunitiesMove];

    private static readonly string[] OpportunityManagement =
        [.. OpportunityWork, OpportunitiesOverride, OpportunitiesAssign];

    public static readonly IReadOnlyList<string> All =
    [
        ProfileRead, TokensOwn, OrgRead, UsersManage, TeamsManage, SettingsRead, SettingsManage, OptionsRead,
        OptionsManage, CustomersRead, CustomersCreate, CustomersEdit, CustomersDelete, CustomersExport, CustomersClaim,
        CustomersAssign, CustomersMerge, CustomersImport, FollowUpsLog, TasksOwn, TasksAssign, HandOverManage, SearchUse, LeadsRead,
        LeadsCreate, LeadsEdit, LeadsScreen, LeadsAssign, LeadsClaim, LeadsConvert, LeadsMerge, LeadsImport, LeadsExport,
        NotificationsOwn, ViewsOwn, HistoryRead, RecycleBinManage, PersonalDataErase,
        ProductsRead, ProductsManage, QuotesRead, QuotesEdit, ApprovalsDecide,
        NegotiationsRead, NegotiationsEdit, PlaybookRead, PlaybookManage,
        OpportunitiesRead, OpportunitiesCreate, OpportunitiesEdit, OpportunitiesMove, OpportunitiesOverride, OpportunitiesAssign,
        PipelinesManage, OpportunitiesImport,
        ContractsRead, ContractsEdit, ContractsTerminate, ReceivablesRead, PaymentsRecord, ApprovalFlowsManage,
    ];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ByRole =
        new Dictionary<string, IReadOnlyList<string>>
        {
            [Roles.Admin] = All,
            [Roles.Director] = [.. Everyone, .. LeadManagement, .. CustomerManagement, .. OpportunityManagement, .. QuoteWork,
                .. Negotiating, PlaybookManage, OpportunitiesImport, .. ContractWork, ContractsTerminate],
            [Roles.Manager] = [.. Everyone, .. LeadManagement, .. CustomerManagement, .. OpportunityManagement, .. QuoteWork,
                .. Negotiating, PlaybookManage, OpportunitiesImport, .. ContractWork, ContractsTerminate],
            [Roles.Rep] = [.. Everyone, LeadsRead, LeadsCreate, LeadsEdit, LeadsClaim, LeadsConvert, LeadsImport, LeadsExport,
                CustomersRead, CustomersCreate, CustomersEdit, CustomersExport, CustomersClaim, CustomersImport, FollowUpsLog,
                .. OpportunityWork, .. QuoteWork, .. Negotiating, .. ContractWork],
            [Roles.Assistant] = [.. Everyone, LeadsRead, LeadsCreate, LeadsEdit, LeadsScreen, LeadsImport, LeadsExport,
                CustomersRead, CustomersCreate, CustomersImport, FollowUpsLog, OpportunitiesRead, ProductsRead, QuotesRead,
                .. NegotiationReading, ContractsRead],
            [Roles.Finance] = [.. Everyone, CustomersRead, CustomersExport, OpportunitiesRead, ProductsRead, QuotesRead,
                .. NegotiationReading, ContractsRead, ReceivablesRead, PaymentsRecord],
        };

    public static IReadOnlySet<string> ForRoles(IEnumerable<string> roles) =>
        roles.Where(ByRole.ContainsKey).SelectMany(r => ByRole[r]).ToHashSet(StringComparer.Ordinal);
}
