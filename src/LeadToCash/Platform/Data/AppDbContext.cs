using System.Linq.Expressions;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Options;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Products;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Tasks;
using LeadToCash.Modules.Workspace;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Import;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser, AppRole, Guid>(options)
{
    public const string ScopeFilter = "Scope";
    public const string SoftDeleteFilter = "SoftDelete";

    // Read by the query filters below; EF Core turns them into parameters of every query.
    private Guid _scopeUserId;
    private bool _scopeSeesAll;
    private List<Guid> _scopeOwnerIds = [];
    private List<Guid> _scopePoolTeamIds = [];

    /// <summary>The user whose changes this context writes to the history; null for the system.</summary>
    public Guid? ActorId { get; private set; }

    public DataScope Scope { get; private set; } = DataScope.Nothing;

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<CompanySettings> CompanySettings => Set<CompanySettings>();
    public DbSet<Holiday> Holidays => Set<Holiday>();
    public DbSet<OptionItem> OptionItems => Set<OptionItem>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<CustomerTag> CustomerTags => Set<CustomerTag>();
    public DbSet<NeedsAnalysis> NeedsAnalyses => Set<NeedsAnalysis>();
    public DbSet<CustomerSettings> CustomerSettings => Set<CustomerSettings>();
    public DbSet<CustomerPoolRule> CustomerPoolRules => Set<CustomerPoolRule>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<FollowUpParticipant> FollowUpParticipants => Set<FollowUpParticipant>();
    public DbSet<WorkTask> Tasks => Set<WorkTask>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<PipelineStage> PipelineStages => Set<PipelineStage>();
    public DbSet<StageRequirement> StageRequirements => Set<StageRequirement>();
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();
    public DbSet<OpportunityContact> OpportunityContacts => Set<OpportunityContact>();
    public DbSet<ChecklistTick> ChecklistTicks => Set<ChecklistTick>();
    public DbSet<StageEntry> StageEntries => Set<StageEntry>();
    public DbSet<NegotiationMinutes> NegotiationMinutes => Set<NegotiationMinutes>();
    public DbSet<MinutesOpenItem> MinutesOpenItems => Set<MinutesOpenItem>();
    public DbSet<NegotiationBottomLine> NegotiationBottomLines => Set<NegotiationBottomLine>();
    public DbSet<PlaybookEntry> PlaybookEntries => Set<PlaybookEntry>();
    public DbSet<OpportunitySettings> OpportunitySettings => Set<OpportunitySettings>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Quote> Quotes => Set<Quote>();
    public DbSet<QuoteLine> QuoteLines => Set<QuoteLine>();
    public DbSet<ApprovalRequest> ApprovalRequests => Set<ApprovalRequest>();
    public DbSet<ApprovalStep> ApprovalSteps => Set<ApprovalStep>();
    public DbSet<ApprovalFlow> ApprovalFlows => Set<ApprovalFlow>();
    public DbSet<ApprovalFlowStep> ApprovalFlowSteps => Set<ApprovalFlowStep>();
    public DbSet<ApprovalFlowCondition> ApprovalFlowConditions => Set<ApprovalFlowCondition>();
    public DbSet<ApprovalDelegation> ApprovalDelegations => Set<ApprovalDelegation>();
    public DbSet<Contract> Contracts => Set<Contract>();
    public DbSet<ContractSigner> ContractSigners => Set<ContractSigner>();
    public DbSet<ContractLine> ContractLines => Set<ContractLine>();
    public DbSet<ContractMilestone> ContractMilestones => Set<ContractMilestone>();
    public DbSet<ContractSettings> ContractSettings => Set<ContractSettings>();
    public DbSet<PaymentInstalment> PaymentInstalments => Set<PaymentInstalment>();
    public DbSet<PaymentReceipt> PaymentReceipts => Set<PaymentReceipt>();
    public DbSet<ReceiptAllocation> ReceiptAllocations => Set<ReceiptAllocation>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<LeadActivity> LeadActivities => Set<LeadActivity>();
    public DbSet<LeadSettings> LeadSettings => Set<LeadSettings>();
    public DbSet<WebForm> WebForms => Set<WebForm>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<Collaborator> Collaborators => Set<Collaborator>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public AppDbContext WithScope(DataScope scope, Guid? actorId)
    {
        Scope = scope;
        ActorId = actorId;
        _scopeUserId = scope.UserId;
        _scopeSeesAll = scope.SeesAll;
        _scopeOwnerIds = [.. scope.OwnerIds];
        _scopePoolTeamIds = [.. scope.PoolTeamIds];
        return this;
    }

    /// <summary>
    /// Narrows a query of scoped records, for a user who does not see everything, to the ids the owner, pool and share
    /// indexes give: the rows are the same (the scope filter still applies); the point is the plan. A parameter ORed
    /// into the filter ("sees all") and the share subquery keep both databases from starting at those indexes, so a
    /// scoped list walked a sort index testing every row; with this the database reads the few thousand visible rows
    /// by key and sorts them. <paramref name="within"/>, when given, narrows the owner and pool branches further by
    /// columns those indexes also hold (a status, say), so that only the matching ids are read by key.
    /// </summary>
    public IQueryable<T> NarrowToScope<T>(IQueryable<T> query, Func<IQueryable<T>, IQueryable<T>>? within = null)
        where T : class, IScopedRecord
    {
        if (_scopeSeesAll)
        {
            return query;
        }

        within ??= records => records;
        var (owned, pooled) = OwnerAndPoolIds(within);
        var visible = owned.Concat(pooled).Concat(SharedWithMe);
        return query.Where(r => visible.Contains(r.Id));
    }

    /// <summary>
    /// The ids of the visible records that <paramref name="within"/> keeps, each once, read from the owner and pool
    /// indexes and the shares alone; null for a user who sees everything. When a list's whole filter is
    /// <paramref name="within"/>, counting these counts the list without reading its rows (the scope filter holds in
    /// every branch: an owner branch row is the user's or their team's, a pool branch row one of their pools' or also
    /// theirs, and shared records are visible by the share).
    /// </summary>
    public IQueryable<Guid>? VisibleIdsWithin<T>(Func<IQueryable<T>, IQueryable<T>> within)
        where T : class, IScopedRecord
    {
        if (_scopeSeesAll)
        {
            return null;
        }

        var (owned, pooled) = OwnerAndPoolIds(within);
        var shared = SharedWithMe;
        return owned.Union(pooled).Union(within(Set<T>().Where(r => shared.Contains(r.Id))).Select(r => r.Id));
    }

    private IQueryable<Guid> SharedWithMe
    {
        get
        {
            var me = _scopeUserId;
            return Collaborators.Where(c => c.UserId == me).Select(c => c.RecordId);
        }
    }

    // The ids of the records of the visible owners and of the visible pools that within keeps: the branches the owner and
    // pool indexes answer.
    private (IQueryable<Guid> Owned, IQueryable<Guid> Pooled) OwnerAndPoolIds<T>(Func<IQueryable<T>, IQueryable<T>> within)
        where T : class, IScopedRecord
    {
        List<Guid> owners = [_scopeUserId, .. _scopeOwnerIds];
        var poolTeams = _scopePoolTeamIds;
        return (within(Set<T>().Where(r => r.OwnerId != null && owners.Contains(r.OwnerId.Value))).Select(r => r.Id),
            within(Set<T>().Where(r => r.PoolTeamId != null && poolTeams.Contains(r.PoolTeamId.Value))).Select(r => r.Id));
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        CustomerConfiguration.ConfigureSortKeys(builder.Entity<Customer>(), Database.IsSqlite());
        LeadConfiguration.ConfigureFirstTouchSla(builder.Entity<Lead>(), Database.IsSqlite());

        builder.Entity<AppUser>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(100);
            u.Property(x => x.PreferredCulture).HasMaxLength(10);
            u.HasIndex(x => x.TeamId);
        });

        builder.Entity<Collaborator>(c =>
        {
            c.Property(x => x.RecordType).HasMaxLength(40);
            c.HasIndex(x => new { x.RecordId, x.UserId }).IsUnique();
            c.HasIndex(x => x.UserId);
        });

        builder.Entity<AuditEntry>(a =>
        {
            a.Property(x => x.EntityType).HasMaxLength(60);
            a.Property(x => x.Field).HasMaxLength(100);
            a.HasIndex(x => new { x.EntityId, x.ChangedAt });
        });

        builder.Entity<ApiToken>(t =>
        {
            t.Property(x => x.Name).HasMaxLength(100);
            t.Property(x => x.TokenHash).HasMaxLength(64);
            t.Property(x => x.Prefix).HasMaxLength(16);
            t.HasIndex(x => x.TokenHash).IsUnique();
            t.HasIndex(x => x.UserId);
        });

        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (typeof(BusinessRecord).IsAssignableFrom(entity.ClrType))
            {
                builder.Entity(entity.ClrType).Property(nameof(BusinessRecord.Version)).IsConcurrencyToken();
                typeof(AppDbContext).GetMethod(nameof(ApplySoftDeleteFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(entity.ClrType).Invoke(null, [builder]);
            }

            if (typeof(IScopedRecord).IsAssignableFrom(entity.ClrType))
            {
                typeof(AppDbContext).GetMethod(nameof(ApplyScopeFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                    .MakeGenericMethod(entity.ClrType).Invoke(this, [builder]);
            }
        }
    }

    private static void ApplySoftDeleteFilter<T>(ModelBuilder builder) where T : BusinessRecord
    {
        Expression<Func<T, bool>> notDeleted = r => !r.IsDeleted;
        builder.Entity<T>().HasQueryFilter(SoftDeleteFilter, notDeleted);
    }

    // The one place where data scope is enforced (docs/adr/0003-data-scope.md). Visibility follows the owner's
    // current team: the owners of the visible teams are resolved with the scope, once per request or circuit, so no
    // term joins another table per row. Every value is a parameter: the compiled query and its SQL are shared by all
    // users (inlining "sees all" as a constant keyed the SQL cache by every parameter value, ids lists included).
    private void ApplyScopeFilter<T>(ModelBuilder builder) where T : class, IScopedRecord
    {
        Expression<Func<T, bool>> visible = r =>
            _scopeSeesAll
            || r.OwnerId == _scopeUserId
            || (r.OwnerId != null && _scopeOwnerIds.Contains(r.OwnerId.Value))
            || (r.OwnerId == null && r.PoolTeamId != null && _scopePoolTeamIds.Contains(r.PoolTeamId.Value))
            || Collaborators.Where(c => c.UserId == _scopeUserId).Select(c => c.RecordId).Contains(r.Id);
        builder.Entity<T>().HasQueryFilter(ScopeFilter, visible);
    }
}
