using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Contracts for tests: made and moved through the API.</summary>
public static class TestContracts
{
    /// <summary>The smallest file the store accepts as a pdf (its magic bytes), standing in for a signed scan.</summary>
    public static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An opportunity of the rep whose quote (two lines, 9 % tax) the customer accepted.</summary>
    public static async Task<(Opportunity Opportunity, QuoteDto Quote)> OpportunityWithAcceptedQuoteAsync(AppFactory app, HttpClient owner,
        string ownerEmail, string name)
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, ownerEmail, name);
        var quote = await (await owner.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest(name + "方案",
            [new QuoteLineRequest(Description: "系统", Quantity: 2, UnitPriceMinor: 100_000), new QuoteLineRequest(Description: "实施服务", Quantity: 1,
                UnitPriceMinor: 33_333, DiscountPercent: 5m)], TaxRatePercent: 9m), Http.Json, Ct)).ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);
        await (await owner.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await owner.PostAsync($"/api/v1/quotes/{quote.Id}/send", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        var accepted = await (await owner.PostAsync($"/api/v1/quotes/{quote.Id}/accept", null, Ct)).ExpectJsonAsync<QuoteDto>();
        return (opportunity, accepted);
    }

    public static async Task<ContractDto> CreateAsync(HttpClient client, CreateContractRequest request) =>
        await (await client.PostAsJsonAsync("/api/v1/contracts", request, Http.Json, Ct)).ExpectJsonAsync<ContractDto>(HttpStatusCode.Created);

    /// <summary>A draft contract of a new customer of the owner, for an amount, without lines.</summary>
    public static async Task<ContractDto> DraftForNewCustomerAsync(AppFactory app, HttpClient owner, string ownerEmail, string name, long amountMinor = 500_000_00)
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, ownerEmail, name + "客户");
        return await CreateAsync(owner, new CreateContractRequest(CustomerId: customer.Id, Title: name, AmountMinor: amountMinor));
    }

    public static async Task<ContractDto> PostAsync(HttpClient client, string url, object? body = null) =>
        await (await client.PostAsJsonAsync(url, body, Http.Json, Ct)).ExpectJsonAsync<ContractDto>();

    /// <summary>
    /// Submits the contract and has every step of its flow approve it, in order (the demo flows: the manager and Finance
    /// below ¥100,000; the manager, the director and Finance from it).
    /// </summary>
    public static async Task<ContractDto> ApprovedAsync(AppFactory app, HttpClient owner, ContractDto contract)
    {
        var submitted = await PostAsync(owner, $"/api/v1/contracts/{contract.Id}/submit");
        var approvalId = submitted.Approvals[^1].Id;
        for (var approval = await owner.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{approvalId}"); approval.Status == ApprovalStatus.Pending;
             approval = await owner.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{approvalId}"))
        {
            using var approver = await app.ClientForAsync(await ApproverEmailAsync(app, approval.Steps.Single(s => s.StepNo == approval.CurrentStep)));
            await (await approver.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/approve", new ApprovalDecisionRequest("同意"), Http.Json, Ct))
                .ExpectAsync(HttpStatusCode.OK);
        }

        return await owner.GetJsonAsync<ContractDto>($"/api/v1/contracts/{contract.Id}");
    }

    /// <summary>Who can decide a step: its approver, or for a role step the demo company's holder of the role.</summary>
    public static async Task<string> ApproverEmailAsync(AppFactory app, ApprovalStepDto step)
    {
        if (step.ApproverRole == Platform.Auth.Roles.Finance)
        {
            return DemoUsers.Finance;
        }

        await using var db = await app.SystemDbAsync();
        return await db.Users.Where(u => u.Id == step.ApproverId).Select(u => u.Email!).SingleAsync(Ct);
    }

    public static async Task<HttpResponseMessage> SignAsync(HttpClient client, Guid contractId, string? signingDate, byte[]? file, string fileName = "signed.pdf")
    {
        using var form = new MultipartFormDataContent();
        if (signingDate is not null)
        {
            form.Add(new StringContent(signingDate), "signingDate");
        }

        if (file is not null)
        {
            form.Add(new ByteArrayContent(file), "file", fileName);
        }

        return await client.PostAsync($"/api/v1/contracts/{contractId}/sign", form, Ct);
    }

    public static async Task<ContractDto> SignedAsync(AppFactory app, HttpClient owner, ContractDto contract)
    {
        await ApprovedAsync(app, owner, contract);
        return await (await SignAsync(owner, contract.Id, "2026-11-24", Pdf)).ExpectJsonAsync<ContractDto>();
    }

    public static async Task<Contract> ReloadAsync(AppFactory app, Guid id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    /// <summary>
    /// A contract of <paramref name="ownerEmail"/> (signed unless told otherwise) for a new customer of theirs, or for
    /// <paramref name="customerId"/> (tests that count the demo customers must not add one).
    /// </summary>
    public static async Task<Contract> AddSignedAsync(AppFactory app, string ownerEmail, long amountMinor, string currency = "CNY",
        Guid? customerId = null, ContractStatus status = ContractStatus.Signed, string? title = null)
    {
        var number = "HT-T-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var customer = customerId ?? (await TestCustomers.AddOwnedCustomerAsync(app, ownerEmail, $"{number} 客户")).Id;
        await using var db = await app.SystemDbAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == ownerEmail, Ct);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var contract = new Contract
        {
            Number = number,
            Title = title ?? $"合同 {number}",
            CustomerId = customer,
            AmountMinor = amountMinor,
            Currency = currency,
            OwnerId = owner.Id,
            Status = status,
            SigningDate = DateOnly.FromDateTime(now),
            SignedAt = status == ContractStatus.Signed ? now : null,
            SignedBy = status == ContractStatus.Signed ? owner.Id : null,
        };
        db.Contracts.Add(contract);
        await db.SaveChangesAsync(Ct);
        return contract;
    }
}
