namespace LeadToCash.Modules.Tasks;

/// <summary>The notification kinds of tasks (their texts are the resources "Notify.{kind}").</summary>
public static class TaskNotifications
{
    /// <summary>To the assignee: {0} title, {1} who assigned it.</summary>
    public const string Assigned = "task.assigned";

    /// <summary>To the creator: {0} title, {1} who completed it.</summary>
    public const string Done = "task.done";

    /// <summary>To the assignee: {0} title, {1} who verified it.</summary>
    public const string Verified = "task.verified";

    /// <summary>To the assignee: {0} title, {1} who returned it, {2} the reason.</summary>
    public const string Returned = "task.returned";
}
