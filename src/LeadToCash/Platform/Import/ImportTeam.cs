using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Import;

/// <summary>
/// The settings every record import shares: the source channel (a valid option code) and the team whose pool receives
/// unowned records, which must exist and be one of the importer's own teams (an Admin may choose any).
/// </summary>
public static class ImportTeam
{
    public static async Task<ImportSettings> CompleteAsync(AppDbContext db, CurrentUser user, ImportSettings settings,
        string? defaultSource, string chooseTeamMessage, string ownTeamsMessage, CancellationToken ct)
    {
        var source = string.IsNullOrWhiteSpace(settings.SourceChannel) ? defaultSource : settings.SourceChannel.Trim();
        var team = settings.TeamId ?? user.TeamId ?? throw Invalid(chooseTeamMessage);
        await OptionCodes.EnsureValidAsync(db, OptionLists.SourceChannels, source, "sourceChannel", ct);
        if (!user.IsAdmin && team != user.TeamId && !user.SubtreeTeamIds.Contains(team))
        {
            throw Invalid(ownTeamsMessage);
        }

        if (!await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            throw Invalid("The team does not exist.");
        }

        return settings with { SourceChannel = source, TeamId = team };
    }

    private static ValidationException Invalid(string message) => new([new ValidationFailure("teamId", message)]);
}
