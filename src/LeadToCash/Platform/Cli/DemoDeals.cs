using System.Globalization;
using System.Security.Claims;
using System.Text;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Contracts.Editing;
using LeadToCash.Modules.Contracts.Milestones;
using LeadToCash.Modules.Contracts.Workflow;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.CreateOpportunity;
using LeadToCash.Modules.Opportunities.StageMoves;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Quotes.Editing;
using LeadToCash.Modules.Quotes.Workflow;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Receivables.Invoices;
using LeadToCash.Modules.Receivables.Plan;
using LeadToCash.Modules.Receivables.Receipts;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// The demo company's deals, so that the pipeline, forecast, quotes, approvals, contracts and receivables have something to
/// show: 30 opportunities of the reps spread over the stages of the default pipeline (a few stalled for weeks, a few won,
/// a few lost with a reason), their quotes (accepted, sent, one revised after the customer said no, one with a discount
/// waiting for the manager), and the contracts of the won deals — one completed, two executing with instalments overdue by
/// about 40 and 10 days (one partly paid, one with invoices, one with milestones), one just signed, one in approval, one
/// draft. Everything goes through the real commands, as the people who would do it, so that the stage history, the
/// approval requests and notifications, the numbers, the kept sums and the customers' lifecycle are what the product
/// makes; the times of the story (weeks and months ago) are written afterwards (<see cref="DemoDealsPast"/>).
/// Deterministic for a seed and timed from the clock, like <see cref="DemoLeads"/>. Added once: nothing when deals exist.
/// </summary>
public static class DemoDeals
{
    private const string Finance = "finance@demo.test";

    private static readonly Theme[] Themes =
    [
        new("生产执行系统（MES）项目",
        [
            new("MES 生产执行系统（标准版）", "套", 168_000_00, 1, 1),
            new("设备联网网关", "台", 3_800_00, 10, 30),
            new("实施服务", "人天", 2_500_00, 20, 40),
        ]),
        new("仓储管理系统升级",
        [
            new("WMS 仓储管理系统", "套", 98_000_00, 1, 1),
            new("手持终端（PDA）", "台", 4_200_00, 5, 20),
            new("实施服务", "人天", 2_500_00, 10, 25),
        ]),
        new("销售管理数字化项目",
        [
            new("CRM 用户许可（年）", "用户", 1_200_00, 30, 80),
            new("实施服务", "人天", 2_500_00, 8, 15),
        ]),
        new("质量追溯项目",
        [
            new("质量追溯模块", "套", 58_000_00, 1, 1),
            new("条码打印及扫描设备", "套", 3_600_00, 5, 15),
            new("实施服务", "人天", 2_500_00, 10, 20),
        ]),
        new("设备联网监控项目",
        [
            new("设备联网网关", "台", 3_800_00, 20, 60),
            new("设备监控平台（年）", "套", 36_000_00, 1, 1),
            new("现场安装调试", "人天", 2_000_00, 5, 15),
        ]),
        new("经营数据看板项目",
        [
            new("数据看板定制开发", "项", 45_000_00, 1, 1),
            new("数据接口开发", "个", 8_000_00, 2, 6),
            new("现场培训", "天", 3_000_00, 2, 4),
        ]),
    ];

    // Stages: the days ago each open stage of the default pipeline was entered (the deal stands in the last one); End and
    // EndDay: won or lost that many days ago. Fixed quantities make the contracts' amounts fall on the right side of the
    // ¥100,000 line of the contract approval flows (0 leaves a line out).
    private static readonly Deal[] Script =
    [
        new("rep@demo.test", 2, [140, 128, 118, 110], DealEnd.Won, 100, QuoteStory.Accepted, ContractStory.Completed, Quantities: [40, 10]),
        new("rep@demo.test", 5, [40, 30, 18, 9], DealEnd.Won, 3, QuoteStory.Accepted, ContractStory.Draft, Quantities: [1, 3, 2]),
        new("rep@demo.test", 0, [20, 4], Quote: QuoteStory.PendingDiscount),
        new("rep@demo.test", 1, [35, 24, 8], Quote: QuoteStory.Sent),
        new("rep@demo.test", 3, [5]),
        new("rep@demo.test", 4, [70, 55], DealEnd.Lost, 12, QuoteStory.Rejected, LostReason: "price", Competitor: "华软科技"),
        new("rep2@demo.test", 3, [75, 60, 45, 25], DealEnd.Won, 12, QuoteStory.Accepted, ContractStory.Signed, Quantities: [1, 5, 0]),
        new("rep2@demo.test", 0, [50, 38, 25, 6], Quote: QuoteStory.Accepted),
        new("rep2@demo.test", 1, [80, 45], Quote: QuoteStory.Draft, Stalled: true),
        new("rep2@demo.test", 2, [9]),
        new("zhao.min@demo.test", 4, [55, 42, 30, 14], DealEnd.Won, 2, QuoteStory.Accepted, ContractStory.InApproval, Quantities: [40, 1, 8]),
        new("zhao.min@demo.test", 5, [30, 20, 7], Quote: QuoteStory.Sent),
        new("zhao.min@demo.test", 1, [50], Stalled: true),
        new("huang.lei@demo.test", 0, [150, 140, 132, 124], DealEnd.Won, 115, QuoteStory.Accepted, ContractStory.PartlyPaidOverdue, Quantities: [1, 30, 14]),
        new("huang.lei@demo.test", 2, [15, 4], Quote: QuoteStory.Approved),
        new("huang.lei@demo.test", 3, [90, 75, 50], DealEnd.Lost, 40, QuoteStory.Sent, LostReason: "competitor", Competitor: "数智云科技"),
        new("wu.jing@demo.test", 5, [3]),
        new("wu.jing@demo.test", 2, [25, 10], Quote: QuoteStory.Draft),
        new("wu.jing@demo.test", 4, [95, 80, 42], Quote: QuoteStory.Sent, Stalled: true),
        new("zhou.tao@demo.test", 1, [60, 45, 30, 10], Quote: QuoteStory.Accepted),
        new("zhou.tao@demo.test", 3, [12]),
        new("zhou.tao@demo.test", 0, [40], DealEnd.Lost, 25, LostReason: "no-budget"),
        new("he.yun@demo.test", 1, [110, 100, 90, 75], DealEnd.Won, 65, QuoteStory.Accepted, ContractStory.Overdue, Quantities: [1, 8, 0]),
        new("he.yun@demo.test", 2, [28, 16, 5], Quote: QuoteStory.Revised),
        new("he.yun@demo.test", 4, [2]),
        new("guo.peng@demo.test", 5, [18, 7], Quote: QuoteStory.Sent),
        new("guo.peng@demo.test", 0, [6]),
        new("manager3@demo.test", 2, [45, 35, 20, 5], Quote: QuoteStory.Accepted),
        new("manager3@demo.test", 3, [22, 14, 6], Quote: QuoteStory.Sent),
        new("manager3@demo.test", 1, [4]),
    ];

    private static readonly string[] NextSteps = ["约客户高层做需求访谈", "演示方案并收集反馈", "确认价格和付款条件", "推动合同审批和盖章"];
    private const string QuoteTerms = "报价含 13% 增值税，有效期 30 天。付款方式：签约后 7 日内支付 30%，到货后支付 60%，验收合格后支付 10%。";

    private enum DealEnd
    {
        Open,
        Won,
        Lost,
    }

    private enum QuoteStory
    {
        None,
        Draft,
        PendingDiscount,
        Approved,
        Sent,
        Revised,
        Accepted,
        Rejected,
    }

    private enum ContractStory
    {
        None,
        Completed,
        PartlyPaidOverdue,
        Overdue,
        Signed,
        InApproval,
        Draft,
    }

    private sealed record Line(string Description, string Unit, long UnitPriceMinor, int MinQuantity, int MaxQuantity);

    private sealed record Theme(string Name, Line[] Lines);

    private sealed record Deal(string Owner, int Theme, int[] Stages, DealEnd End = DealEnd.Open, int EndDay = 0,
        QuoteStory Quote = QuoteStory.None, ContractStory Contract = ContractStory.None, string? LostReason = null,
        string? Competitor = null, bool Stalled = false, int[]? Quantities = null);

    /// <summary>Plays the demo's deals into the demo company (after <see cref="DemoData"/>); does nothing when deals exist.</summary>
    public static async Task SeedAsync(IServiceProvider services, int seed = DemoData.DefaultSeed, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        // The demo company's own setup: every record of it, whoever owns it (reviewed in the scope allow-list).
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        if (await db.Opportunities.AnyAsync(ct))
        {
            return;
        }

        var play = new Play(scope.ServiceProvider, db, seed, ct);
        await play.RunAsync();
    }

    /// <summary>A minimal one-page PDF naming the contract: the demo's stand-in for a signed scan.</summary>
    internal static byte[] ScanPdf(string contractNumber)
    {
        var text = $"BT /F1 20 Tf 72 760 Td (Signed contract {contractNumber}) Tj 0 -30 Td /F1 12 Tf (Demo scan - LeadToCash demo company) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {text.Length} >>\nstream\n{text}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>One deal being played: its script, customer and what the commands made.</summary>
    private sealed class DealState(Deal script, Theme theme, Customer customer, IReadOnlyList<Contact> contacts, List<QuoteLineRequest> lines)
    {
        public Deal Script { get; } = script;
        public Theme Theme { get; } = theme;
        public Customer Customer { get; } = customer;
        public IReadOnlyList<Contact> Contacts { get; } = contacts;
        public List<QuoteLineRequest> Lines { get; } = lines;
        public Guid OpportunityId { get; set; }
        public DemoDealsPast.Deal Past { get; set; } = null!;

        public Guid DecisionMaker => Contacts.FirstOrDefault(c => c.Role == PurchaseRole.DecisionMaker)?.Id ?? Contacts[0].Id;

        /// <summary>The index of the open stage the deal reaches (where it stands, or was closed from).</summary>
        public int Reached => Script.Stages.Length - 1;
    }

    private sealed class Play(IServiceProvider services, AppDbContext db, int seed, CancellationToken ct)
    {
        private readonly Random _random = new(seed + 7);
        private readonly IDbContextFactory<AppDbContext> _dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        private readonly Dictionary<string, CurrentUser> _users = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<Guid, string> _emails = [];
        private DemoDealsPast _past = null!;
        private PipelineMap _map = null!;
        private List<PipelineStage> _open = null!;
        private DateOnly _today;
        private int _invoiceNo;

        public async Task RunAsync()
        {
            var clock = services.GetRequiredService<TimeProvider>();
            var zoneId = await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync(ct) ?? "Asia/Shanghai";
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
            _past = new DemoDealsPast(clock, zone);
            _today = _past.Today;
            var pipelineId = await db.Pipelines.AsNoTracking().Where(p => p.IsActive).OrderByDescending(p => p.IsDefault).ThenBy(p => p.SortOrder)
                .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
            if (pipelineId is not { } id)
            {
                return;
            }

            _map = await PipelineMap.LoadAsync(db, id, ct);
            _open = [.. _map.OpenStages];
            if (_open.Count == 0 || _map.Won is null || _map.Lost is null)
            {
                return;
            }

            foreach (var user in await db.Users.AsNoTracking().Where(u => u.Email != null).Select(u => new { u.Id, u.Email }).ToListAsync(ct))
            {
                _emails[user.Id] = user.Email!;
            }

            _invoiceNo = 44_030_000 + _random.Next(1_000, 9_000);
            var deals = await CastAsync();
            // Oldest first, so that quote and contract numbers run with the story.
            foreach (var deal in deals.OrderByDescending(d => d.Script.Stages[0]))
            {
                await PlayAsync(deal);
            }

            await _past.WriteAsync(db, ct);
        }

        /// <summary>Each scripted deal gets a customer of its owner (the oldest ones go to the oldest deals) and its lines.</summary>
        private async Task<List<DealState>> CastAsync()
        {
            var deals = new List<DealState>();
            foreach (var owner in Script.GroupBy(d => d.Owner))
            {
                var ownerId = _emails.FirstOrDefault(e => string.Equals(e.Value, owner.Key, StringComparison.OrdinalIgnoreCase)).Key;
                var customers = await db.Customers.AsNoTracking()
                    .Where(c => c.OwnerId == ownerId && c.Stage != LifecycleStage.Lost && c.Stage != LifecycleStage.Dormant)
                    .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(ct);
                if (ownerId == Guid.Empty || customers.Count == 0)
                {
                    continue;
                }

                var ids = customers.Select(c => c.Id).ToList();
                var contacts = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.CustomerId)).OrderBy(c => c.Id).ToListAsync(ct);
                var index = 0;
                foreach (var script in owner.OrderByDescending(d => d.Stages[0]))
                {
                    var customer = customers[index++ % customers.Count];
                    var theme = Themes[script.Theme % Themes.Length];
                    deals.Add(new DealState(script, theme, customer, [.. contacts.Where(c => c.CustomerId == customer.Id)], Lines(script, theme)));
                }
            }

            return [.. deals.Where(d => d.Contacts.Count > 0)];
        }

        private List<QuoteLineRequest> Lines(Deal script, Theme theme)
        {
            var lines = new List<QuoteLineRequest>();
            for (var i = 0; i < theme.Lines.Length; i++)
            {
                var line = theme.Lines[i];
                var quantity = script.Quantities is { } fixedQuantities
                    ? (i < fixedQuantities.Length ? fixedQuantities[i] : 0)
                    : _random.Next(line.MinQuantity, line.MaxQuantity + 1);
                if (quantity > 0)
                {
                    lines.Add(new QuoteLineRequest(Description: line.Description, Quantity: quantity,
                        UnitPriceMinor: line.UnitPriceMinor, Unit: line.Unit));
                }
            }

            return lines;
        }

        private async Task PlayAsync(DealState deal)
        {
            var script = deal.Script;
            var owner = await UserAsync(script.Owner);
            var past = _past.AddDeal(deal.Customer.Id, deal.Customer.CreatedAt, deal.Customer.UpdatedAt);
            deal.Past = past;
            var created = _past.Day(script.Stages[0], 9.5);
            var estimate = Estimate(deal.Lines);
            var request = new CreateOpportunityRequest(deal.Customer.Id, deal.Theme.Name, estimate, ExpectedCloseDate: CloseDate(script),
                ContactIds: [.. deal.Contacts.Where(c => c.Role is PurchaseRole.DecisionMaker or PurchaseRole.Influencer).Select(c => c.Id)],
                Competitors: deal.Reached >= 2 ? "华软科技、数智云科技" : null,
                NextStep: script.End == DealEnd.Open ? NextSteps[Math.Min(deal.Reached, NextSteps.Length - 1)] : null,
                Description: $"{deal.Customer.Name}：{deal.Theme.Name}，预算约 {estimate / 100 / 10_000} 万元。");
            _past.At(created);
            var opportunity = await Service<CreateOpportunityHandler>().HandleAsync(owner, request, ct);
            deal.OpportunityId = opportunity.Id;
            past.Opportunity = opportunity.Id;
            past.Created = created;
            past.Enter(_open[0].Id, created);

            await WriteGateRecordsAsync(deal, owner);
            await PlayQuotesAsync(deal, owner);
            for (var stage = 1; stage <= deal.Reached && stage < _open.Count; stage++)
            {
                var entered = _past.Day(script.Stages[stage], 16);
                _past.At(entered);
                await Service<StageMovesHandler>().MoveAsync(owner, deal.OpportunityId, new MoveStageRequest(_open[stage].Id), null, ct);
                past.Enter(_open[stage].Id, entered);
            }

            switch (script.End)
            {
                case DealEnd.Lost:
                    var lost = _past.Day(script.EndDay, 17);
                    _past.At(lost);
                    await Service<StageMovesHandler>().LoseAsync(owner, deal.OpportunityId,
                        new LoseOpportunityRequest(script.LostReason ?? "no-decision", script.Competitor), null, ct);
                    past.Close(_map.Lost!.Id, lost, won: false);
                    break;
                case DealEnd.Won:
                    await PlayContractAsync(deal, owner);
                    break;
                case DealEnd.Open:
                    break;
            }
        }

        /// <summary>
        /// What the stage gates ask for before the deal may leave the stages it passes: a confirmed needs analysis, the
        /// negotiation's agreed terms, the ticked checklist items. Written as the owner (their own records, in their scope),
        /// as <see cref="DemoCustomers"/> writes analyses; the quotes have their commands (see <see cref="PlayQuotesAsync"/>).
        /// A deal still in the first stage may have an analysis waiting for the customer's confirmation.
        /// </summary>
        private async Task WriteGateRecordsAsync(DealState deal, CurrentUser owner)
        {
            var script = deal.Script;
            await using var mine = await _dbFactory.OpenAsync(owner, ct);
            var leaves = _open.Take(deal.Reached + (script.End == DealEnd.Won && script.Contract is ContractStory.Completed
                or ContractStory.PartlyPaidOverdue or ContractStory.Overdue or ContractStory.Signed ? 1 : 0)).ToList();
            var requirements = leaves.SelectMany(s => _map.RequirementsOf(s.Id)).ToList();
            var needsAnalysis = requirements.Any(r => r.Code == Deliverables.NeedsAnalysisConfirmed)
                || (deal.Reached == 0 && script.End == DealEnd.Open && !script.Stalled && script.Stages[0] >= 3);
            if (needsAnalysis)
            {
                var confirmed = deal.Reached > 0;
                var meeting = _past.Day(script.Stages[0] - 1, 10);
                var need = Needs[_random.Next(Needs.Length)];
                mine.NeedsAnalyses.Add(new NeedsAnalysis
                {
                    CustomerId = deal.Customer.Id,
                    OpportunityId = deal.OpportunityId,
                    Title = deal.Theme.Name + "需求访谈",
                    MeetingAt = meeting,
                    Background = $"{deal.Customer.Name}计划立项{deal.Theme.Name}，本次会谈了解现状、痛点和决策流程。",
                    CurrentSituation = "目前主要依靠 Excel 和纸质单据，部门之间信息不通。",
                    PainPoints = need.Pain,
                    CustomerWords = need.Words,
                    Goals = need.Goals,
                    BudgetMinor = Estimate(deal.Lines),
                    Timeline = "本季度立项，下季度实施",
                    NeedPriorities = "1. 数据实时可见；2. 减少人工录入；3. 管理层报表",
                    DecisionProcess = "使用部门提需求，技术总监评估，总经理拍板，采购部走流程。",
                    ConfirmDueAt = CustomerRules.ConfirmDueAt(meeting, new CustomerSettings()),
                    SentAt = meeting.AddHours(4),
                    ConfirmedAt = confirmed ? meeting.AddHours(20) : null,
                    ConfirmedHow = confirmed ? "邮件确认" : null,
                    CreatedAt = meeting.AddHours(2),
                    UpdatedAt = confirmed ? meeting.AddHours(20) : meeting.AddHours(4),
                });
            }

            if (requirements.Any(r => r.Code == Deliverables.NegotiationAgreed) || deal.Reached >= 2)
            {
                var entered = script.Stages[Math.Min(2, deal.Reached)];
                var left = deal.Reached > 2 ? script.Stages[3] : (script.End == DealEnd.Lost ? script.EndDay : 0);
                var meeting = _past.Day(Math.Max(left + 1, entered - 2), 14);
                mine.NegotiationMinutes.Add(new NegotiationMinutes
                {
                    OpportunityId = deal.OpportunityId,
                    MeetingAt = meeting,
                    Attendees = $"我方：{_users[script.Owner].DisplayName}、售前工程师；客户：{string.Join("、", deal.Contacts.Take(2).Select(c => c.Name))}",
                    AgreedPriceMinor = deal.Reached > 2 ? Estimate(deal.Lines) : null,
                    PaymentTerms = "签约 30%，到货 60%，验收 10%",
                    Delivery = "签约后 6 周内到货，8 周内完成安装调试",
                    Liability = "违约责任上限为合同金额的 10%",
                    NextSteps = deal.Reached > 2 ? "客户法务审核合同文本，我方准备合同审批" : "客户内部评估价格，下周再谈一次",
                    CreatedAt = meeting.AddHours(3),
                    UpdatedAt = meeting.AddHours(3),
                });
            }

            foreach (var item in requirements.Where(r => r.Kind == RequirementKind.Checklist))
            {
                var stage = _open.FindIndex(s => s.Id == item.StageId);
                // Ticked just before the deal left the stage (the last one: on the day the contract was signed).
                var left = stage + 1 < script.Stages.Length ? script.Stages[stage + 1] : script.EndDay;
                mine.ChecklistTicks.Add(new ChecklistTick
                {
                    OpportunityId = deal.OpportunityId,
                    RequirementId = item.Id,
                    TickedAt = _past.Day(left, 15),
                    TickedBy = owner.Id,
                });
            }

            await mine.SaveChangesAsync(ct);
        }

        /// <summary>The deal's quotes, through the quote commands: created a day after the proposal stage began.</summary>
        private async Task PlayQuotesAsync(DealState deal, CurrentUser owner)
        {
            var script = deal.Script;
            if (script.Quote == QuoteStory.None || script.Stages.Length < 2)
            {
                return;
            }

            var editing = Service<QuoteEditingHandler>();
            var workflow = Service<QuoteWorkflowHandler>();
            var proposal = script.Stages[1];
            var pending = script.Quote == QuoteStory.PendingDiscount;
            // The discounted quote waits for the manager since yesterday; the others were made a day into the proposal stage.
            var created = pending ? _past.Day(1, 10) : _past.Day(proposal - 1, 10);
            var lines = pending
                ? [deal.Lines[0] with { DiscountPercent = 15m }, .. deal.Lines.Skip(1)]
                : script.Quote == QuoteStory.Accepted && deal.Lines.Count > 1
                    ? [.. deal.Lines.SkipLast(1), deal.Lines[^1] with { DiscountPercent = 5m }]
                    : deal.Lines;
            _past.At(created);
            var quote = await editing.CreateAsync(owner, deal.OpportunityId, new CreateQuoteRequest(deal.Theme.Name + "方案报价", lines, Terms: QuoteTerms), ct);
            var times = _past.AddQuote(quote.Id, created);
            if (script.Quote == QuoteStory.Draft)
            {
                return;
            }

            var submitted = pending ? _past.Day(1, 15) : created.AddMinutes(30);
            _past.At(submitted);
            quote = await workflow.SubmitAsync(owner, quote.Id, ct);
            times.Updated = submitted;
            if (pending)
            {
                _past.AddApproval(await ApprovalOfAsync(Quote.RecordType, quote.Id), submitted);
                return;
            }

            if (script.Quote == QuoteStory.Approved)
            {
                return;
            }

            var sent = _past.Day(proposal - 2, 9.5);
            _past.At(sent);
            quote = await workflow.SendAsync(owner, quote.Id, ct);
            times.Sent = sent;
            times.Updated = sent;
            switch (script.Quote)
            {
                case QuoteStory.Accepted:
                {
                    // Within the quote's month of validity, and before the deal moved on to the contract stage.
                    var contractStage = script.Stages.Length > 3 ? script.Stages[3] : script.Stages[^1];
                    var accepted = _past.Day(Math.Min(proposal - 3, Math.Max(contractStage + 1, proposal - 27)), 15);
                    _past.At(accepted);
                    quote = await workflow.AcceptAsync(owner, quote.Id, new QuoteResponseRequest("客户确认报价，同意按此价格签约。"), ct);
                    times.Decided = accepted;
                    times.Updated = accepted;
                    deal.Past.Touch(accepted);
                    break;
                }

                case QuoteStory.Rejected:
                {
                    var rejected = _past.Day(script.EndDay + 2, 11);
                    _past.At(rejected);
                    await workflow.RejectAsync(owner, quote.Id, new QuoteResponseRequest("客户认为价格高于预算，暂不考虑。"), ct);
                    times.Decided = rejected;
                    times.Updated = rejected;
                    break;
                }

                case QuoteStory.Revised:
                {
                    // The customer turned v1 down over price; v2 gives 8 % on the main line and is sent before the negotiation.
                    var negotiation = script.Stages[2];
                    var rejected = _past.Day(negotiation + 5, 11);
                    _past.At(rejected);
                    await workflow.RejectAsync(owner, quote.Id, new QuoteResponseRequest("希望主要模块再优惠一些。"), ct);
                    times.Decided = rejected;
                    times.Updated = rejected;
                    var revised = _past.Day(negotiation + 4, 10);
                    _past.At(revised);
                    var next = await editing.ReviseAsync(owner, quote.Id, ct);
                    next = await editing.UpdateAsync(owner, next.Id, new UpdateQuoteRequest(next.Title,
                        [deal.Lines[0] with { DiscountPercent = 8m }, .. deal.Lines.Skip(1)], ValidUntil: next.ValidUntil, Terms: QuoteTerms),
                        next.Version, ct);
                    next = await workflow.SubmitAsync(owner, next.Id, ct);
                    var resent = _past.Day(negotiation + 3, 9.5);
                    _past.At(resent);
                    await workflow.SendAsync(owner, next.Id, ct);
                    var second = _past.AddQuote(next.Id, revised);
                    second.Sent = resent;
                    second.Updated = resent;
                    break;
                }

                default:
                    break;
            }
        }

        /// <summary>
        /// A won deal and its contract. Signed contracts follow our process: made from the deal in the contract stage (from
        /// its accepted quote), approved through the company's contract flow, signed with the scan, then the deal is won
        /// (the customer becomes a customer on signing) and the payment plan, receipts, invoices and milestones follow. The
        /// draft and the one in approval belong to deals the manager closed as won on the customer's word, with the reason.
        /// </summary>
        private async Task PlayContractAsync(DealState deal, CurrentUser owner)
        {
            var script = deal.Script;
            var past = deal.Past;
            var signedDay = script.EndDay;
            if (script.Contract is ContractStory.Draft or ContractStory.InApproval)
            {
                var won = _past.Day(script.EndDay, 16);
                var manager = await ManagerOfAsync(owner);
                _past.At(won);
                await Service<StageMovesHandler>().WinAsync(manager, deal.OpportunityId,
                    new WinOpportunityRequest(OverrideReason: "客户已发中标通知书，合同文本走审批流程，签署后归档。"), null, ct);
                past.Close(_map.Won!.Id, won, won: true);
                var made = _past.Day(1, script.Contract == ContractStory.Draft ? 15 : 10);
                var contract = await CreateContractAsync(deal, owner, made, null);
                if (script.Contract == ContractStory.InApproval)
                {
                    await SubmitAsync(owner, contract, made.AddHours(1), decide: false);
                }

                return;
            }

            var rejectFirst = script.Contract == ContractStory.Overdue;
            var createdAt = _past.Day(signedDay + (rejectFirst ? 9 : 5), 10);
            var id = await CreateContractAsync(deal, owner, createdAt, _today.AddDays(-signedDay));
            var decided = await SubmitAsync(owner, id, createdAt.AddHours(5), rejectFirst ? "付款节点请按 30/60/10 拆分，并写明验收标准后重新提交。" : null);
            if (rejectFirst)
            {
                decided = await SubmitAsync(owner, id, _past.Day(signedDay + 7, 10));
            }

            var signed = _past.Day(signedDay, 14);
            if (decided >= signed)
            {
                signed = decided.AddHours(2);
            }

            var signedReal = _past.At(signed);
            var number = await db.Contracts.AsNoTracking().Where(c => c.Id == id).Select(c => c.Number).FirstAsync(ct);
            var scan = new MemoryStream(ScanPdf(number));
            await using (scan)
            {
                await Service<ContractWorkflowHandler>().SignAsync(owner, id, _today.AddDays(-signedDay), new FileUpload($"{number}-signed.pdf", scan), null, ct);
            }

            var contractPast = _past.Contracts[id];
            contractPast.Signed = signed;
            contractPast.SignedReal = signedReal;
            contractPast.Updated = signed;

            var win = _past.Day(signedDay, 16);
            _past.At(win);
            await Service<StageMovesHandler>().WinAsync(owner, deal.OpportunityId, new WinOpportunityRequest(), null, ct);
            past.Close(_map.Won!.Id, win, won: true);
            await PlayReceivablesAsync(deal, owner, id, signedDay);
        }

        private async Task<Guid> CreateContractAsync(DealState deal, CurrentUser owner, DateTime at, DateOnly? signing)
        {
            _past.At(at);
            var start = signing ?? _today.AddDays(14);
            var contract = await Service<ContractEditingHandler>().CreateAsync(owner, new CreateContractRequest(
                OpportunityId: deal.OpportunityId,
                Title: $"{deal.Theme.Name}合同",
                SignerContactIds: [deal.DecisionMaker],
                StartDate: start,
                EndDate: start.AddYears(1).AddDays(-1),
                PaymentTerms: "签约后 7 日内支付 30%，到货后支付 60%，验收合格后支付 10%。",
                Notes: "合同文本以我方标准模板为准，客户法务已审核。"), ct);
            _past.AddContract(contract.Id, at);
            return contract.Id;
        }

        /// <summary>
        /// Submits the contract to the company's approval flow and has each step decide it in turn, a day apart, as its
        /// approver (the manager, for large contracts the director, then Finance); with <paramref name="rejection"/> the first
        /// step sends it back. A contract only submitted (no decisions wanted) is left waiting at its first step.
        /// Answers when the last decision was made.
        /// </summary>
        private async Task<DateTime> SubmitAsync(CurrentUser owner, Guid contractId, DateTime submitted, string? rejection = null,
            bool decide = true)
        {
            _past.At(submitted);
            var contract = await Service<ContractWorkflowHandler>().SubmitAsync(owner, contractId, ct);
            var requestId = contract.Approvals[^1].Id;
            var approval = _past.AddApproval(requestId, submitted);
            _past.Contracts[contractId].Updated = submitted;
            var last = submitted;
            if (!decide)
            {
                return last;
            }

            var inbox = Service<ApprovalsInbox>();
            for (var step = 1; ; step++)
            {
                var current = await db.ApprovalRequests.AsNoTracking().Where(r => r.Id == requestId)
                    .Select(r => new { r.Status, r.CurrentStep }).FirstAsync(ct);
                if (current.Status != ApprovalStatus.Pending)
                {
                    break;
                }

                var pendingStep = await db.ApprovalSteps.AsNoTracking().FirstAsync(s => s.RequestId == requestId && s.StepNo == current.CurrentStep, ct);
                var approver = await UserAsync(pendingStep.ApproverRole == Roles.Finance ? Finance : _emails[pendingStep.ApproverId]);
                last = _past.Day(_past.DaysAgo(submitted) - step, 10 + step);
                _past.At(last);
                if (rejection is not null)
                {
                    await inbox.RejectAsync(approver, requestId, new ApprovalDecisionRequest(rejection), ct);
                }
                else
                {
                    await inbox.ApproveAsync(approver, requestId, new ApprovalDecisionRequest(step == 1 ? "同意。" : "同意，注意回款节点。"), ct);
                }

                approval.Steps[current.CurrentStep] = last;
                if (rejection is not null)
                {
                    break;
                }
            }

            approval.Decided = last;
            _past.Contracts[contractId].Updated = last;
            return last;
        }

        /// <summary>The payment plan (30/60/10, or 50/50 for the completed contract), receipts, invoices and milestones.</summary>
        private async Task PlayReceivablesAsync(DealState deal, CurrentUser owner, Guid contractId, int signedDay)
        {
            var script = deal.Script;
            var finance = await UserAsync(Finance);
            var signedOn = _today.AddDays(-signedDay);
            (string Label, decimal Percent, DateOnly Due)[] plan = script.Contract switch
            {
                ContractStory.Completed => [("首付款", 50m, signedOn.AddDays(7)), ("验收款", 50m, signedOn.AddDays(45))],
                // Instalment 2 fell due about 40 (or 10) days ago: the receivables views show it in the 31–60 (0–30) bucket.
                ContractStory.PartlyPaidOverdue => [("预付款", 30m, signedOn.AddDays(10)), ("到货款", 60m, _today.AddDays(-40)), ("验收款", 10m, _today.AddDays(50))],
                ContractStory.Overdue => [("预付款", 30m, signedOn.AddDays(7)), ("到货款", 60m, _today.AddDays(-10)), ("验收款", 10m, _today.AddDays(80))],
                _ => [("预付款", 30m, signedOn.AddDays(7)), ("到货款", 60m, _today.AddDays(40)), ("验收款", 10m, _today.AddDays(100))],
            };
            var planned = _past.Day(signedDay - 1, 10);
            _past.At(planned);
            var receivables = await Service<PaymentPlanHandler>().SetAsync(owner, contractId, new PaymentPlanRequest(
                [.. plan.Select(p => new InstalmentRequest(p.Label, p.Due, Percent: p.Percent))]), ct);
            foreach (var instalment in receivables.Instalments)
            {
                _past.AddInstalment(instalment.Id, planned);
            }

            var amounts = receivables.Instalments.OrderBy(i => i.SeqNo).Select(i => i.AmountMinor).ToList();
            _past.Contracts[contractId].Updated = planned;
            if (script.Contract is ContractStory.Completed or ContractStory.PartlyPaidOverdue or ContractStory.Overdue)
            {
                await WorkflowAsync(owner, contractId, _past.Day(signedDay - 2, 9), started: true);
            }

            switch (script.Contract)
            {
                case ContractStory.Completed:
                    await InvoiceAsync(finance, contractId, signedOn.AddDays(6), amounts.Sum(), "vat-special");
                    await ReceiptAsync(finance, contractId, signedOn.AddDays(8), amounts[0], "bank-transfer");
                    await ReceiptAsync(finance, contractId, signedOn.AddDays(48), amounts[1], "bank-transfer");
                    await WorkflowAsync(owner, contractId, _past.Day(20, 11), started: false);
                    break;
                case ContractStory.PartlyPaidOverdue:
                    await InvoiceAsync(finance, contractId, signedOn.AddDays(9), amounts[0], "vat-special");
                    await ReceiptAsync(finance, contractId, signedOn.AddDays(12), amounts[0], "bank-transfer");
                    await InvoiceAsync(finance, contractId, _today.AddDays(-41), amounts[1], "vat-special");
                    // Part of the delivery payment, a month ago: the rest of instalment 2 is still owed, overdue.
                    await ReceiptAsync(finance, contractId, _today.AddDays(-28), Math.Min(100_000_00, amounts[1] / 2), "acceptance-bill");
                    break;
                case ContractStory.Overdue:
                    await ReceiptAsync(finance, contractId, signedOn.AddDays(9), amounts[0], "bank-transfer");
                    await MilestoneAsync(owner, contractId, "设备到货", signedOn.AddDays(20), signedOn.AddDays(22), signedDay - 3);
                    await MilestoneAsync(owner, contractId, "安装调试完成", signedOn.AddDays(40), signedOn.AddDays(44), signedDay - 3);
                    await MilestoneAsync(owner, contractId, "客户验收", _today.AddDays(70), null, signedDay - 3);
                    break;
                default:
                    if (signedOn.AddDays(9) < _today)
                    {
                        await ReceiptAsync(finance, contractId, signedOn.AddDays(9), amounts[0], "bank-transfer");
                    }

                    break;
            }
        }

        private async Task WorkflowAsync(CurrentUser owner, Guid contractId, DateTime at, bool started)
        {
            _past.At(at);
            var workflow = Service<ContractWorkflowHandler>();
            if (started)
            {
                await workflow.StartAsync(owner, contractId, ct);
            }
            else
            {
                await workflow.CompleteAsync(owner, contractId, ct);
                _past.Contracts[contractId].Completed = at;
            }

            _past.Contracts[contractId].Updated = at;
        }

        private async Task ReceiptAsync(CurrentUser finance, Guid contractId, DateOnly on, long amountMinor, string method)
        {
            var at = _past.OnDay(on, 11);
            _past.At(at);
            var receipt = await Service<ReceiptsHandler>().RecordAsync(finance, contractId, new ReceiptRequest(on, amountMinor, method,
                Reference: "BOC" + _random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture)), ct);
            _past.AddReceipt(receipt.Id, at);
            _past.Contracts[contractId].Updated = at;
        }

        private async Task InvoiceAsync(CurrentUser finance, Guid contractId, DateOnly on, long amountMinor, string kind)
        {
            var at = _past.OnDay(on, 15);
            _past.At(at);
            var number = (_invoiceNo++).ToString(CultureInfo.InvariantCulture);
            var invoice = await Service<InvoicesHandler>().RecordAsync(finance, contractId, new InvoiceRequest(number, on, amountMinor, kind), ct);
            _past.AddInvoice(invoice.Id, at);
            _past.Contracts[contractId].Updated = at;
        }

        private async Task MilestoneAsync(CurrentUser owner, Guid contractId, string name, DateOnly planned, DateOnly? actual, int daysAgo)
        {
            var at = actual is { } done && done < _today ? _past.OnDay(done, 17) : _past.Day(daysAgo, 17);
            _past.At(at);
            var milestone = await Service<ContractMilestonesHandler>().AddAsync(owner, contractId,
                new ContractMilestoneRequest(name, planned, actual, actual is null ? "按计划推进" : null), ct);
            _past.AddMilestone(milestone.Id, at);
        }

        private async Task<Guid> ApprovalOfAsync(string recordType, Guid recordId) =>
            await db.ApprovalRequests.AsNoTracking().Where(r => r.RecordType == recordType && r.RecordId == recordId)
                .OrderByDescending(r => r.Round).Select(r => r.Id).FirstAsync(ct);

        private T Service<T>() where T : notnull => services.GetRequiredService<T>();

        private async Task<CurrentUser> UserAsync(string email)
        {
            if (_users.TryGetValue(email, out var known))
            {
                return known;
            }

            var id = _emails.First(e => string.Equals(e.Value, email, StringComparison.OrdinalIgnoreCase)).Key;
            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "demo"));
            var user = await new CurrentUserResolver(_dbFactory).ResolveAsync(principal, ct)
                ?? throw new InvalidOperationException($"The demo user {email} is missing or inactive.");
            _users[email] = user;
            return user;
        }

        /// <summary>The head of the owner's team (who may close a deal over the gates).</summary>
        private async Task<CurrentUser> ManagerOfAsync(CurrentUser owner)
        {
            var head = await db.Teams.AsNoTracking().Where(t => t.Id == owner.TeamId).Select(t => t.HeadUserId).FirstOrDefaultAsync(ct);
            return await UserAsync(head is { } id && _emails.TryGetValue(id, out var email) ? email : "admin@demo.test");
        }

        /// <summary>Open deals close this quarter or next, the further along the sooner; closed ones on the day they closed.</summary>
        private DateOnly CloseDate(Deal script)
        {
            if (script.End != DealEnd.Open)
            {
                return _today.AddDays(-script.EndDay);
            }

            var quarterStart = new DateOnly(_today.Year, ((_today.Month - 1) / 3 * 3) + 1, 1);
            var nextQuarterEnd = quarterStart.AddMonths(6).AddDays(-1);
            var (from, to) = script.Stalled ? (7, 25) : (script.Stages.Length - 1) switch
            {
                >= 3 => (10, 20),
                2 => (15, 45),
                1 => (30, 70),
                _ => (45, 140),
            };
            var date = _today.AddDays(_random.Next(from, to + 1));
            return date <= nextQuarterEnd ? date : nextQuarterEnd;
        }

        /// <summary>What the lines come to with 13 % tax, rounded to ¥1,000 (the deal's estimate before a quote is accepted).</summary>
        private static long Estimate(IEnumerable<QuoteLineRequest> lines)
        {
            var net = lines.Sum(l => l.Quantity * (l.UnitPriceMinor ?? 0) * (100m - l.DiscountPercent) / 100m);
            return (long)Math.Round(net * 1.13m / 1_000_00m, 0, MidpointRounding.AwayFromZero) * 1_000_00;
        }
    }

    private static readonly (string Pain, string Words, string Goals)[] Needs =
    [
        ("设备数据靠人工抄表，故障发现晚，停机损失大。", "“每次停机都是第二天早上才知道，一停就是半天。”", "三个月内实现关键设备实时监控，停机时间减少 30%。"),
        ("库存账实不符，月底盘点要停工两天。", "“月底盘点太折腾了，账永远对不上。”", "上线条码管理，盘点时间缩短到半天。"),
        ("客户信息散落在业务员手里，人走客户也走。", "“去年走了两个销售，客户资料全带走了。”", "客户资料统一管理，跟进过程可追溯。"),
        ("客户投诉后追溯批次要翻纸质记录，回复慢。", "“客户要 24 小时内给答复，我们三天都查不清。”", "任一批次 10 分钟内可追溯到原料和工序。"),
    ];
}
