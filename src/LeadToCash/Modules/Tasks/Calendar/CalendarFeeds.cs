using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LeadToCash.Modules.Tasks.Calendar;

/// <summary>Whether the user has a feed; its address is shown only once, when it is made.</summary>
public sealed record CalendarFeedStatus(bool Active, DateTime? CreatedAt, DateTime? LastReadAt);

public sealed record CalendarFeedCreated(string Url, DateTime CreatedAt);

/// <summary>
/// A user's private iCalendar feed (订阅日历): a secret address that Outlook, Google Calendar and Apple Calendar
/// subscribe to. Only the SHA-256 of its token is stored; making a new one replaces the old; revoking deletes it.
/// </summary>
public sealed class CalendarFeedHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, CurrentUserResolver users,
    IStringLocalizer<SharedResource> strings)
{
    public const string PublicPath = "/api/public/calendar";

    /// <summary>The feed shows open tasks and planned follow-ups from this many days back…</summary>
    public const int PastDays = 30;

    /// <summary>…to this many days ahead.</summary>
    public const int FutureDays = 90;

    public async Task<CalendarFeedStatus> GetAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var feed = await db.CalendarFeeds.AsNoTracking().FirstOrDefaultAsync(f => f.UserId == user.Id, ct);
        return feed is null
            ? new CalendarFeedStatus(false, null, null)
            : new CalendarFeedStatus(true, Utc(feed.CreatedAt), feed.LastReadAt is { } read ? Utc(read) : null);
    }

    /// <summary>A new feed address (the previous one, if any, stops working). The address is in the answer only.</summary>
    public async Task<CalendarFeedCreated> CreateAsync(CurrentUser user, string baseUrl, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var existing = await db.CalendarFeeds.FirstOrDefaultAsync(f => f.UserId == user.Id, ct);
        if (existing is null)
        {
            db.CalendarFeeds.Add(new CalendarFeed { UserId = user.Id, TokenHash = Hash(token), CreatedAt = now });
        }
        else
        {
            existing.TokenHash = Hash(token);
            existing.CreatedAt = now;
            existing.LastReadAt = null;
        }

        await db.SaveChangesAsync(ct);
        return new CalendarFeedCreated($"{baseUrl.TrimEnd('/')}{PublicPath}/{token}.ics", now);
    }

    public async Task RevokeAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var feed = await db.CalendarFeeds.FirstOrDefaultAsync(f => f.UserId == user.Id, ct) ?? throw new NotFoundException("The calendar feed");
        db.CalendarFeeds.Remove(feed);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The feed of the token's owner, or null for an unknown or revoked token (and a deactivated owner). It is read in
    /// the owner's own data scope and shows only what they own: their open tasks and their customers' planned follow-ups.
    /// </summary>
    public async Task<string?> ReadAsync(string token, string baseUrl, CancellationToken ct = default)
    {
        if (token.Length is < 20 or > 100)
        {
            return null;
        }

        var hash = Hash(token);
        Guid userId;
        await using (var lookup = await dbFactory.CreateDbContextAsync(ct))
        {
            var feed = await lookup.CalendarFeeds.FirstOrDefaultAsync(f => f.TokenHash == hash, ct);
            if (feed is null)
            {
                return null;
            }

            userId = feed.UserId;
            var now = clock.GetUtcNow().UtcDateTime;
            // Calendar apps poll often: note the last read at most once an hour.
            if (feed.LastReadAt is not { } last || now - last > TimeSpan.FromHours(1))
            {
                feed.LastReadAt = now;
                await lookup.SaveChangesAsync(ct);
            }
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId.ToString())], "calendar-feed"));
        var user = await users.ResolveAsync(principal, ct);
        if (user is null || !user.Has(Permissions.TasksOwn))
        {
            return null;
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var culture = await db.Users.Where(u => u.Id == user.Id).Select(u => u.PreferredCulture).FirstOrDefaultAsync(ct)
            ?? await db.CompanySettings.Select(c => c.DefaultCulture).FirstOrDefaultAsync(ct) ?? "zh-CN";
        var day = await CompanyDay.LoadAsync(db, ct);
        var at = clock.GetUtcNow().UtcDateTime;
        var entries = await CalendarEntries.ReadAsync(db, user.Id, at.AddDays(-PastDays), at.AddDays(FutureDays), true, at, day, ct);
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return Write(user.DisplayName, entries, baseUrl, day);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private string Write(string owner, IReadOnlyList<CalendarEntry> entries, string baseUrl, CompanyDay day)
    {
        var ics = new IcsWriter()
            .Line("BEGIN", "VCALENDAR")
            .Line("VERSION", "2.0")
            .Line("PRODID", "-//LeadToCash//Tasks and follow-ups//EN")
            .Line("CALSCALE", "GREGORIAN")
            .Line("METHOD", "PUBLISH")
            .Text("X-WR-CALNAME", strings["Calendar.FeedName", owner])
            .Line("X-WR-TIMEZONE", day.Zone.Id)
            .Line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
            .Line("X-PUBLISHED-TTL", "PT1H");
        var root = baseUrl.TrimEnd('/');
        foreach (var entry in entries)
        {
            var summary = entry.Kind switch
            {
                CalendarEntryKind.PlannedFollowUp => strings["Calendar.FeedFollowUp", entry.Title].Value,
                _ when entry.IsOverdue => strings["Calendar.FeedOverdue", entry.Title].Value,
                _ => entry.Title,
            };
            var description = new List<string>();
            if (entry.RelatedName is { } related && entry.Kind != CalendarEntryKind.PlannedFollowUp)
            {
                description.Add(strings["Calendar.FeedRelated", related]);
            }

            if (entry.Content is { } content)
            {
                description.Add(content);
            }

            if (entry.CompletionStandard is { } standard)
            {
                description.Add(strings["Calendar.FeedStandard", standard]);
            }

            var url = root + entry.Link;
            description.Add(url);
            ics.Line("BEGIN", "VEVENT")
                .Line("UID", entry.Uid)
                .Time("DTSTAMP", entry.LastModified)
                .Time("LAST-MODIFIED", entry.LastModified)
                .Time("DTSTART", entry.At)
                .Time("DTEND", entry.At.AddMinutes(30))
                .Text("SUMMARY", summary)
                .Text("DESCRIPTION", string.Join("\n", description))
                .Line("URL", url)
                .Text("CATEGORIES", strings[$"Calendar.Kind.{entry.Kind}"])
                .Line("TRANSP", "TRANSPARENT")
                .Line("END", "VEVENT");
        }

        return ics.Line("END", "VCALENDAR").ToString();
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

/// <summary>How often one client address may read calendar feeds (configuration section "Calendar:FeedRateLimit").</summary>
public sealed class CalendarFeedRateLimitOptions
{
    public int PermitLimit { get; set; } = 60;
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>Per client address: a leaked or guessed address cannot be hammered, and token guessing is slowed down.</summary>
internal sealed class CalendarFeedRateLimit(IOptions<CalendarFeedRateLimitOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "calendar-feed";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: "Too many calendar reads from this address; try again later.").ExecuteAsync(context.HttpContext);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PermitLimit,
            Window = TimeSpan.FromSeconds(options.Value.WindowSeconds),
            QueueLimit = 0,
        });
}

public static class CalendarFeedEndpoints
{
    /// <summary>The user's own feed settings, under /api/v1/calendar/feed.</summary>
    public static void MapCalendarFeed(this RouteGroupBuilder group)
    {
        group.MapGet("/feed", async (CurrentUser user, CalendarFeedHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("GetCalendarFeed")
            .WithSummary("Whether the caller has a private iCalendar feed, since when and when a calendar app last read it.");
        group.MapPost("/feed", async (CurrentUser user, CalendarFeedHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.CreateAsync(user, PublicBaseUrl(http), ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("CreateCalendarFeed")
            .WithSummary("A new private feed address (.ics) for calendar apps; shown only in this answer. The previous address stops working.");
        group.MapDelete("/feed", async (CurrentUser user, CalendarFeedHandler handler, CancellationToken ct) =>
            {
                await handler.RevokeAsync(user, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("RevokeCalendarFeed")
            .WithSummary("Revoke the caller's feed address: calendar apps get 404 from then on.");
    }

    public static void MapPublicCalendarFeed(this IEndpointRouteBuilder app) =>
        app.MapGet(CalendarFeedHandler.PublicPath + "/{token}.ics", async (string token, CalendarFeedHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                var ics = await handler.ReadAsync(token, PublicBaseUrl(http), ct);
                if (ics is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                        detail: "No calendar feed has this address (it may have been revoked).");
                }

                http.Response.Headers.CacheControl = "private, max-age=300";
                return Results.Text(ics, "text/calendar; charset=utf-8", Encoding.UTF8);
            })
            .AllowAnonymous()
            .RequireRateLimiting(CalendarFeedRateLimit.Name)
            .WithTags("Calendar (public)")
            .Produces(StatusCodes.Status200OK, contentType: "text/calendar")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("CalendarFeed")
            .WithSummary("A user's private iCalendar feed (RFC 5545): their open tasks and planned follow-ups from 30 days back to " +
                "90 days ahead. Anonymous: the secret token in the address admits the reader; rate-limited per client.");

    /// <summary>The configured public address of the app (PublicBaseUrl), else the address this request came to.</summary>
    public static string PublicBaseUrl(HttpContext http) =>
        http.RequestServices.GetRequiredService<IConfiguration>()["PublicBaseUrl"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
