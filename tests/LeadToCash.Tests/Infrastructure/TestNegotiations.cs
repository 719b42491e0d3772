using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Opportunities written straight to the database (in the default pipeline's first stage), shares, and minutes.</summary>
public static class TestNegotiations
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new customer and an open opportunity of it, both owned by <paramref name="ownerEmail"/>.</summary>
    public static async Task<Opportunity> AddOpportunityAsync(AppFactory app, string ownerEmail, string name, Guid? customerId = null)
    {
        var customer = customerId ?? (await TestCustomers.AddOwnedCustomerAsync(app, ownerEmail, name + "客户有限公司")).Id;
        await using var db = await app.SystemDbAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == ownerEmail, Ct);
        var pipeline = await db.Pipelines.SingleAsync(p => p.IsDefault, Ct);
        var stage = await db.PipelineStages.Where(s => s.PipelineId == pipeline.Id).OrderBy(s => s.SortOrder).FirstAsync(Ct);
        var now = TestLeads.Now(app);
        var opportunity = new Opportunity
        {
            CustomerId = customer,
            Name = name,
            AmountMinor = 500_000_00,
            PipelineId = pipeline.Id,
            StageId = stage.Id,
            StageEnteredAt = now,
            Probability = stage.Probability,
            OwnerId = owner.Id,
        };
        db.Opportunities.Add(opportunity);
        db.StageEntries.Add(new StageEntry
        {
            OpportunityId = opportunity.Id, PipelineId = pipeline.Id, StageId = stage.Id, Kind = StageEntryKind.Created, EnteredAt = now,
            EnteredBy = owner.Id,
        });
        await db.SaveChangesAsync(Ct);
        return opportunity;
    }

    /// <summary>Shares an opportunity (or, with <paramref name="recordType"/> "customer", a customer) with a user.</summary>
    public static async Task ShareAsync(AppFactory app, Guid recordId, string email, CollaboratorAccess access,
        string recordType = Opportunity.RecordType)
    {
        await using var db = await app.SystemDbAsync();
        var userId = await TestLeads.UserIdAsync(app, email);
        db.Collaborators.Add(new Collaborator
        {
            RecordType = recordType,
            RecordId = recordId,
            UserId = userId,
            Access = access,
            AddedAt = TestLeads.Now(app),
        });
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>Minutes written through the API by <paramref name="client"/>'s user.</summary>
    public static async Task<NegotiationMinutesDto> CreateMinutesAsync(HttpClient client, Guid opportunityId, NegotiationMinutesRequest request)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/opportunities/{opportunityId}/negotiations", request, Http.Json, Ct);
        return await response.ExpectJsonAsync<NegotiationMinutesDto>(HttpStatusCode.Created);
    }
}
