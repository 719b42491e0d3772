using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks;

/// <summary>
/// Who may do what with a task, and loading tasks for the commands: not visible = 404, visible but not allowed = 403.
/// The assignee is the task's owner, so the scope shows a task to its assignee, their managers and an Admin.
/// </summary>
public static class TaskAccess
{
    public static bool LeadsPeople(CurrentUser user) => user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director);

    /// <summary>Whether <paramref name="user"/> manages people of <paramref name="teamId"/> (an Admin manages everyone).</summary>
    public static bool Manages(CurrentUser user, Guid? teamId) =>
        user.IsAdmin || (LeadsPeople(user) && teamId is { } team && user.SubtreeTeamIds.Contains(team));

    public static bool CanEdit(CurrentUser user, WorkTask task, Guid? assigneeTeam) =>
        TaskRules.IsOpen(task.Status) && (task.CreatedBy == user.Id || Manages(user, assigneeTeam));

    public static bool CanComplete(CurrentUser user, WorkTask task) => TaskRules.IsOpen(task.Status) && task.OwnerId == user.Id;

    /// <summary>Verify or return: a manager of the assignee's team subtree, or the creator when they are a manager.</summary>
    public static bool CanReview(CurrentUser user, WorkTask task, Guid? assigneeTeam) =>
        task.Status == WorkTaskStatus.Done && (Manages(user, assigneeTeam) || (task.CreatedBy == user.Id && LeadsPeople(user)));

    public static bool CanCancel(CurrentUser user, WorkTask task) => task.CreatedBy == user.Id || user.IsAdmin;

    internal static async Task<WorkTask> LoadVisibleAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("The task");

    internal static Task<Guid?> TeamOfAsync(AppDbContext db, Guid? userId, CancellationToken ct) =>
        userId is { } id ? db.Users.Where(u => u.Id == id).Select(u => u.TeamId).FirstOrDefaultAsync(ct) : Task.FromResult<Guid?>(null);

    /// <summary>One visible task with its evidence and what the caller may do with it.</summary>
    internal static async Task<TaskDto> ReadAsync(AppDbContext db, CurrentUser user, Guid id, DateTime now, CancellationToken ct)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("The task");
        var dto = await db.Tasks.AsNoTracking().Where(t => t.Id == id).Select(TaskDto.Projection(db)).FirstAsync(ct);
        var team = await TeamOfAsync(db, task.OwnerId, ct);
        var files = (await AttachmentReader.OfAsync(db, WorkTask.RecordType, [id], ct))[id].ToList();
        var day = await CompanyDay.LoadAsync(db, ct);
        return dto.At(now, day) with
        {
            Attachments = files,
            Can = new TaskAbilities(CanEdit(user, task, team), CanComplete(user, task), CanReview(user, task, team), CanCancel(user, task)),
        };
    }

    /// <summary>
    /// The assignee a caller may give a task to: themselves (tasks.own); anyone else needs tasks.assign and must be an
    /// active person of the caller's team subtree (an Admin: anyone active). Answers the assignee's display name.
    /// </summary>
    internal static async Task<string> CheckAssigneeAsync(AppDbContext db, CurrentUser user, Guid assigneeId, CancellationToken ct)
    {
        if (assigneeId == user.Id)
        {
            return user.DisplayName;
        }

        if (!user.Has(Permissions.TasksAssign))
        {
            throw new ForbiddenException("Assigning a task to someone else needs the permission 'tasks.assign'.");
        }

        var target = await db.Users.Where(u => u.Id == assigneeId && u.IsActive)
            .Select(u => new { u.TeamId, u.DisplayName }).FirstOrDefaultAsync(ct)
            ?? throw new ValidationException([new ValidationFailure("assigneeId", "The assignee is not an active user.")]);
        if (!user.IsAdmin && (target.TeamId is not { } team || !user.SubtreeTeamIds.Contains(team)))
        {
            throw new ForbiddenException("You may only assign tasks to people in the teams you manage.");
        }

        return target.DisplayName;
    }

    /// <summary>The related record must be a customer or lead the caller can see.</summary>
    internal static async Task CheckRelatedAsync(AppDbContext db, string? relatedType, Guid? relatedId, CancellationToken ct)
    {
        if (relatedId is not { } id)
        {
            return;
        }

        var visible = relatedType switch
        {
            Customer.RecordType => await db.Customers.AnyAsync(c => c.Id == id, ct),
            Lead.RecordType => await db.Leads.AnyAsync(l => l.Id == id, ct),
            _ => false,
        };
        if (!visible)
        {
            throw new ValidationException([new ValidationFailure("relatedId", $"The related {relatedType} was not found.")]);
        }
    }

    /// <summary>A time sent without an offset is taken as UTC.</summary>
    internal static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    internal static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The fields a task is created or changed with; one validator for both.</summary>
public interface ITaskFields
{
    string Title { get; }
    string? Content { get; }
    DateTime DueAt { get; }
    string? RelatedType { get; }
    Guid? RelatedId { get; }
    string? CompletionStandard { get; }
}

public sealed class TaskFieldsValidator : AbstractValidator<ITaskFields>
{
    public TaskFieldsValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Content).MaximumLength(4000);
        RuleFor(x => x.CompletionStandard).MaximumLength(1000);
        RuleFor(x => x.DueAt).NotEqual(default(DateTime)).WithMessage("The due date and time are required.");
        RuleFor(x => x.RelatedType)
            .Must(t => t is null || TaskRules.RelatedTypes.Contains(t))
            .WithMessage("The related record type must be 'customer' or 'lead'.");
        RuleFor(x => x.RelatedId).NotNull().When(x => x.RelatedType is not null)
            .WithMessage("Name the related record (relatedId) with its type.");
        RuleFor(x => x.RelatedType).NotNull().When(x => x.RelatedId is not null)
            .WithMessage("Name the related record's type (customer or lead).");
    }
}
