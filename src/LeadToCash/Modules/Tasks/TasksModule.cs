using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Tasks.Calendar;
using LeadToCash.Modules.Tasks.CancelTask;
using LeadToCash.Modules.Tasks.CompleteTask;
using LeadToCash.Modules.Tasks.CreateTask;
using LeadToCash.Modules.Tasks.ListTasks;
using LeadToCash.Modules.Tasks.MyDay;
using LeadToCash.Modules.Tasks.ReviewTask;
using LeadToCash.Modules.Tasks.UpdateTask;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Files;

namespace LeadToCash.Modules.Tasks;

/// <summary>Tasks and reminders, "My day", the calendar and the private iCalendar feed.</summary>
public static class TasksModule
{
    public static IServiceCollection AddTasks(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddScoped<CreateTaskHandler>()
            .AddScoped<UpdateTaskHandler>()
            .AddScoped<CompleteTaskHandler>()
            .AddScoped<ReviewTaskHandler>()
            .AddScoped<CancelTaskHandler>()
            .AddScoped<ListTasksHandler>()
            .AddScoped<TaskPeopleHandler>()
            .AddScoped<MyDayHandler>()
            .AddScoped<CalendarHandler>()
            .AddScoped<CalendarFeedHandler>()
            .AddScoped<ICustomerTimelineSource, TaskTimelineSource>()
            .AddSingleton<IAttachmentParent, TaskAttachmentParent>();
        services.Configure<CalendarFeedRateLimitOptions>(configuration.GetSection("Calendar:FeedRateLimit"));
        services.AddRateLimiter(o => o.AddPolicy<string, CalendarFeedRateLimit>(CalendarFeedRateLimit.Name));
        return services;
    }

    public static void MapTasks(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        var tasks = api.MapGroup("/tasks").WithTags("Tasks");
        tasks.MapListTasks();
        tasks.MapCreateTask();
        tasks.MapUpdateTask();
        tasks.MapCompleteTask();
        tasks.MapReviewTask();
        tasks.MapCancelTask();
        tasks.MapGet("/people", async (CurrentUser user, TaskPeopleHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("ListTaskPeople")
            .WithSummary("The people the caller may give tasks to and whose calendars they may see: themselves and, with " +
                "tasks.assign, the active people of their teams.");
        api.MapMyDay();
        var calendar = api.MapGroup("/calendar").WithTags("Calendar");
        calendar.MapCalendar();
        calendar.MapCalendarFeed();
        app.MapPublicCalendarFeed();
    }
}
