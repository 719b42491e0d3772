using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Options;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Settings;

/// <summary>The company's lead rules as the API and the settings page show them; version 0 = never saved (defaults).</summary>
public sealed record LeadSettingsDto(
    DuplicateMode DuplicateMode,
    IReadOnlyList<string> TargetIndustries,
    int IndustryPoints,
    long BudgetThresholdMinor,
    int BudgetPoints,
    int PurchaseWithinMonths,
    int TimeframePoints,
    int DecisionMakerPoints,
    int GradeAThreshold,
    int GradeBThreshold,
    int ScreeningMinutes,
    bool AssignAToSeniorReps,
    int SeniorMinMonths,
    bool SendCToPool,
    AssignmentStrategy Strategy,
    int ClaimLimit,
    int FirstTouchHoursA,
    int FirstTouchHoursB,
    int DueSoonMinutes,
    int EscalateAfterHours,
    int PoolReturnDays,
    TimeOnly DigestTime,
    int Version)
{
    public static LeadSettingsDto From(LeadSettings s) => new(s.DuplicateMode, s.TargetIndustryCodes, s.IndustryPoints,
        s.BudgetThresholdMinor, s.BudgetPoints, s.PurchaseWithinMonths, s.TimeframePoints, s.DecisionMakerPoints,
        s.GradeAThreshold, s.GradeBThreshold, s.ScreeningMinutes, s.AssignAToSeniorReps, s.SeniorMinMonths, s.SendCToPool,
        s.Strategy, s.ClaimLimit, s.FirstTouchHoursA, s.FirstTouchHoursB, s.DueSoonMinutes, s.EscalateAfterHours,
        s.PoolReturnDays, s.DigestTime, s.Version);

    /// <summary>The settings these values describe, for previewing a grade before saving.</summary>
    public LeadSettings ToSettings() => new()
    {
        DuplicateMode = DuplicateMode,
        TargetIndustries = string.Join(',', TargetIndustries),
        IndustryPoints = IndustryPoints,
        BudgetThresholdMinor = BudgetThresholdMinor,
        BudgetPoints = BudgetPoints,
        PurchaseWithinMonths = PurchaseWithinMonths,
        TimeframePoints = TimeframePoints,
        DecisionMakerPoints = DecisionMakerPoints,
        GradeAThreshold = GradeAThreshold,
        GradeBThreshold = GradeBThreshold,
        ScreeningMinutes = ScreeningMinutes,
        AssignAToSeniorReps = AssignAToSeniorReps,
        SeniorMinMonths = SeniorMinMonths,
        SendCToPool = SendCToPool,
        Strategy = Strategy,
        ClaimLimit = ClaimLimit,
        FirstTouchHoursA = FirstTouchHoursA,
        FirstTouchHoursB = FirstTouchHoursB,
        DueSoonMinutes = DueSoonMinutes,
        EscalateAfterHours = EscalateAfterHours,
        PoolReturnDays = PoolReturnDays,
        DigestTime = DigestTime,
    };
}

/// <summary>A rep as the assignment rules see them.</summary>
public sealed record LeadRosterRepDto(Guid UserId, string DisplayName, Guid? TeamId, string? TeamName, DateOnly? HireDate,
    bool IsSenior, bool Available, int OpenLeads);

/// <summary>A team and whether the score rules confirm its new leads' grades.</summary>
public sealed record LeadTeamDto(Guid TeamId, string Name, TeamKind Kind, bool AutoConfirmGrades);

public sealed record LeadRosterDto(IReadOnlyList<LeadTeamDto> Teams, IReadOnlyList<LeadRosterRepDto> Reps);

public sealed record SetTeamAutoConfirmRequest(bool AutoConfirmGrades);

public sealed record SetRepAvailabilityRequest(bool Unavailable);

/// <summary>
/// The rules a settings change must keep. Error codes name the messages the settings page shows in the user's language
/// (resources "Validation.{code}").
/// </summary>
public sealed class LeadSettingsValidator : AbstractValidator<LeadSettingsDto>
{
    public LeadSettingsValidator()
    {
        RuleFor(x => x.DuplicateMode).IsInEnum();
        RuleFor(x => x.Strategy).IsInEnum();
        RuleFor(x => x.TargetIndustries).NotNull();
        RuleFor(x => x.TargetIndustries.Count).LessThanOrEqualTo(50).OverridePropertyName("targetIndustries");
        foreach (var points in new System.Linq.Expressions.Expression<Func<LeadSettingsDto, int>>[]
                 { x => x.IndustryPoints, x => x.BudgetPoints, x => x.TimeframePoints, x => x.DecisionMakerPoints })
        {
            RuleFor(points).InclusiveBetween(0, 100).WithErrorCode("Range0To100")
                .WithMessage("'{PropertyName}' must be between 0 and 100.");
        }

        RuleFor(x => x.GradeAThreshold).InclusiveBetween(0, 100).WithErrorCode("Range0To100")
            .WithMessage("'{PropertyName}' must be between 0 and 100.");
        RuleFor(x => x.GradeBThreshold).InclusiveBetween(0, 100).WithErrorCode("Range0To100")
            .WithMessage("'{PropertyName}' must be between 0 and 100.");
        RuleFor(x => x.GradeAThreshold).GreaterThan(x => x.GradeBThreshold).When(x => x.GradeBThreshold is >= 0 and <= 100)
            .WithErrorCode("GradeAAboveB").WithMessage("The A threshold must be higher than the B threshold.");
        RuleFor(x => x.BudgetThresholdMinor).InclusiveBetween(0, 1_000_000_000_000_00).WithErrorCode("NotNegative")
            .WithMessage("'{PropertyName}' must be zero or more.");
        Positive(x => x.PurchaseWithinMonths, 120);
        Positive(x => x.ScreeningMinutes, 7 * 24 * 60);
        RuleFor(x => x.SeniorMinMonths).InclusiveBetween(0, 600).WithErrorCode("NotNegative")
            .WithMessage("'{PropertyName}' must be zero or more.");
        RuleFor(x => x.ClaimLimit).InclusiveBetween(0, 10_000).WithErrorCode("NotNegative")
            .WithMessage("'{PropertyName}' must be zero or more.");
        Positive(x => x.FirstTouchHoursA, 1000);
        Positive(x => x.FirstTouchHoursB, 1000);
        Positive(x => x.DueSoonMinutes, 24 * 60);
        Positive(x => x.EscalateAfterHours, 10_000);
        Positive(x => x.PoolReturnDays, 365);
    }

    private void Positive(System.Linq.Expressions.Expression<Func<LeadSettingsDto, int>> field, int max) =>
        RuleFor(field).GreaterThan(0).WithErrorCode("Positive").WithMessage("'{PropertyName}' must be more than 0.")
            .LessThanOrEqualTo(max).WithErrorCode("AtMost").WithMessage("'{PropertyName}' must be at most {ComparisonValue}.");
}

/// <summary>
/// The lead rules an Admin edits (scoring, screening, assignment, SLA), each team's automatic confirmation and each
/// rep's availability. A manager may mark reps of their own teams as away.
/// </summary>
public sealed class LeadSettingsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly LeadSettingsValidator Validator = new();

    public async Task<LeadSettingsDto> GetAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return LeadSettingsDto.From(await db.LeadSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new LeadSettings());
    }

    /// <summary>Saves the rules; the first save creates the row (version 0 = the defaults were never saved).</summary>
    public async Task<LeadSettingsDto> UpdateAsync(CurrentUser user, LeadSettingsDto request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        var result = await Validator.ValidateAsync(request, ct);
        var failures = result.Errors.ToList();
        await using var db = await dbFactory.OpenAsync(user, ct);
        var industries = (request.TargetIndustries ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.OptionItems.AsNoTracking()
            .Where(o => o.ListKey == OptionLists.Industries && o.IsActive)
            .Select(o => o.Code)
            .ToListAsync(ct);
        var unknown = industries.Where(c => !known.Contains(c, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            failures.Add(new ValidationFailure("targetIndustries",
                $"These are not industries of the option list: {string.Join(", ", unknown)}.") { ErrorCode = "UnknownIndustry" });
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        var settings = await db.LeadSettings.FirstOrDefaultAsync(ct);
        Versioning.EnsureVersion(settings?.Version ?? 0, version);
        if (settings is null)
        {
            settings = new LeadSettings();
            db.LeadSettings.Add(settings);
        }

        var values = (request with { TargetIndustries = industries }).ToSettings();
        settings.DuplicateMode = values.DuplicateMode;
        settings.TargetIndustries = values.TargetIndustries;
        settings.IndustryPoints = values.IndustryPoints;
        settings.BudgetThresholdMinor = values.BudgetThresholdMinor;
        settings.BudgetPoints = values.BudgetPoints;
        settings.PurchaseWithinMonths = values.PurchaseWithinMonths;
        settings.TimeframePoints = values.TimeframePoints;
        settings.DecisionMakerPoints = values.DecisionMakerPoints;
        settings.GradeAThreshold = values.GradeAThreshold;
        settings.GradeBThreshold = values.GradeBThreshold;
        settings.ScreeningMinutes = values.ScreeningMinutes;
        settings.AssignAToSeniorReps = values.AssignAToSeniorReps;
        settings.SeniorMinMonths = values.SeniorMinMonths;
        settings.SendCToPool = values.SendCToPool;
        settings.Strategy = values.Strategy;
        settings.ClaimLimit = values.ClaimLimit;
        settings.FirstTouchHoursA = values.FirstTouchHoursA;
        settings.FirstTouchHoursB = values.FirstTouchHoursB;
        settings.DueSoonMinutes = values.DueSoonMinutes;
        settings.EscalateAfterHours = values.EscalateAfterHours;
        settings.PoolReturnDays = values.PoolReturnDays;
        settings.DigestTime = values.DigestTime;
        await db.SaveChangesAsync(ct);
        return LeadSettingsDto.From(settings);
    }

    /// <summary>
    /// The teams (all of them for an Admin, else the caller's subtree) with their automatic-confirmation switch, and the
    /// active reps in them with what the assignment rules read: hire date (senior or not), availability, open leads.
    /// </summary>
    public async Task<LeadRosterDto> RosterAsync(CurrentUser user, CancellationToken ct = default)
    {
        if (!user.Has(Permissions.SettingsManage))
        {
            user.Require(Permissions.LeadsAssign);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var settings = await db.LeadSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new LeadSettings();
        var all = user.Has(Permissions.SettingsManage);
        var subtree = user.SubtreeTeamIds.ToList();
        var teams = await db.Teams.AsNoTracking()
            .Where(t => all || subtree.Contains(t.Id))
            .OrderBy(t => t.Kind).ThenBy(t => t.Name)
            .Select(t => new LeadTeamDto(t.Id, t.Name, t.Kind, t.AutoConfirmLeadGrades))
            .ToListAsync(ct);
        var teamNames = teams.ToDictionary(t => t.TeamId, t => t.Name);
        var reps = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.TeamId != null && (all || subtree.Contains(u.TeamId.Value))
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Rep)))
            .OrderBy(u => u.DisplayName)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.TeamId,
                u.HireDate,
                u.UnavailableForLeads,
                OpenLeads = db.Leads.Count(l => l.OwnerId == u.Id && (l.Status == LeadStatus.Assigned || l.Status == LeadStatus.Contacted)),
            })
            .ToListAsync(ct);
        var seniorSince = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(-settings.SeniorMinMonths);
        return new LeadRosterDto(teams, [.. reps.Select(r => new LeadRosterRepDto(r.Id, r.DisplayName, r.TeamId,
            r.TeamId is { } t ? teamNames.GetValueOrDefault(t) : null, r.HireDate, r.HireDate is { } hired && hired <= seniorSince,
            !r.UnavailableForLeads, r.OpenLeads))]);
    }

    public async Task<LeadTeamDto> SetTeamAutoConfirmAsync(CurrentUser user, Guid teamId, SetTeamAutoConfirmRequest request,
        CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == teamId, ct) ?? throw new NotFoundException("The team");
        team.AutoConfirmLeadGrades = request.AutoConfirmGrades;
        await db.SaveChangesAsync(ct);
        return new LeadTeamDto(team.Id, team.Name, team.Kind, team.AutoConfirmLeadGrades);
    }

    /// <summary>Marks a rep away (on leave) or back; an Admin for anyone, a manager for the reps of their own teams.</summary>
    public async Task<LeadRosterRepDto> SetRepAvailabilityAsync(CurrentUser user, Guid userId, SetRepAvailabilityRequest request,
        CancellationToken ct = default)
    {
        var all = user.Has(Permissions.SettingsManage);
        if (!all)
        {
            user.Require(Permissions.LeadsAssign);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var rep = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.IsActive, ct) ?? throw new NotFoundException("The user");
        if (!all && (rep.TeamId is not { } team || !user.SubtreeTeamIds.Contains(team)))
        {
            throw new ForbiddenException("Only the reps of your own teams can be marked away by you.");
        }

        if (!await db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Rep), ct))
        {
            throw new ValidationException([new ValidationFailure("userId", "Only reps receive leads; this user is not a rep.")]);
        }

        rep.UnavailableForLeads = request.Unavailable;
        await db.SaveChangesAsync(ct);
        var roster = await RosterAsync(user, ct);
        return roster.Reps.First(r => r.UserId == userId);
    }
}
