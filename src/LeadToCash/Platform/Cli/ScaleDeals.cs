using System.Globalization;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Products;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>The scale data's sales pipeline: a product catalogue, opportunities with their stage history, and their quotes.</summary>
public sealed partial class ScaleData
{
    private const int CatalogueSize = 240;
    private const string QuoteTerms = "报价含 13% 增值税，有效期 30 天。付款方式：签约后 7 日内支付 30%，到货后支付 60%，验收合格后支付 10%。";
    private static readonly string[] LostReasons = ["price", "price", "competitor", "no-budget", "no-decision", "product-fit", "timing"];
    private static readonly string[] Editions = ["标准版", "专业版", "企业版", "旗舰版", "基础版"];

    private static readonly (string Code, string Line, string Unit, int MinYuan, int MaxYuan, string[] Names)[] ProductLines =
    [
        ("ERP", "ERP套件", "套", 20_000, 400_000, ["财务模块", "供应链模块", "生产制造模块", "人力资源模块", "资产管理模块", "项目管理模块", "质量管理模块", "成本管理模块"]),
        ("CLD", "云平台订阅", "年", 10_000, 200_000, ["云主机套餐", "数据库服务", "对象存储", "安全防护", "灾备服务", "监控告警"]),
        ("LIC", "用户许可", "用户", 300, 3_000, ["CRM用户许可", "协同办公许可", "BI分析许可", "移动审批许可", "数据平台许可"]),
        ("SVC", "实施服务", "人天", 1_200, 4_000, ["实施顾问", "开发工程师", "数据迁移", "培训服务", "驻场支持", "架构咨询"]),
        ("HW", "硬件设备", "台", 3_000, 80_000, ["服务器", "工控网关", "扫码终端", "边缘计算盒", "存储阵列", "网络交换机"]),
        ("MNT", "运维保障", "年", 5_000, 100_000, ["标准维保", "高级维保", "7×24支持", "巡检服务"]),
    ];

    /// <summary>A deal as the history needs it: its stays (stage and entry time, oldest first) and what its quote did to its amount.</summary>
    private sealed record SeededDeal(Guid Id, Guid OwnerId, PipelineStage[] Path, DateTime[] Entered, long EstimateMinor, long? AcceptedMinor,
        DateTime? AcceptedAt);

    /// <summary>A quote version as the history needs it: its statuses with the time each was reached, oldest (Draft) first.</summary>
    private sealed record SeededQuote(Guid Id, Guid OwnerId, (QuoteStatus Status, DateTime At)[] Statuses);

    private sealed record SeededDeals(List<SeededDeal> Opportunities, int StageEntries, List<SeededQuote> Quotes, int QuoteLines, int Products);

    /// <summary>A deal decided before anything is written, so that the quote lines can be shared out exactly.</summary>
    private sealed record DealPlan(SeededCustomer Customer, Guid OwnerId, PipelineStage[] Path, DateTime Created, QuoteStatus[][] Versions);

    // Deals of the customers' owners (a pool customer's deal goes to a rep of its team) across the default pipeline: most
    // open, spread over the stages, the rest won or lost; each with its stays in every stage it passed (the stage history
    // the commands write). A deal that reached the proposal stage has a quote (v1, sometimes revised to v2 or v3) whose
    // status fits the stage: drafted, approved or sent while in the proposal, sent in the negotiation, accepted from the
    // contract stage on (its total is then the deal's amount), rejected or left sent when lost. Discounts stay within the
    // company's approval threshold and net prices above the floor prices, so every quote was approved as it stood.
    private async Task<SeededDeals> SeedDealsAsync(ScaleSize size, Org org, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        if (size.Opportunities == 0)
        {
            return new SeededDeals([], 0, [], 0, 0);
        }

        List<PipelineStage> stages;
        Guid pipelineId;
        OpportunitySettings settings;
        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            pipelineId = await db.Pipelines.Where(p => p.IsDefault).Select(p => p.Id).FirstAsync(ct);
            stages = await db.PipelineStages.Where(s => s.PipelineId == pipelineId).OrderBy(s => s.SortOrder).ToListAsync(ct);
            settings = await OpportunityRules.LoadAsync(db, ct);
        }

        var products = await SeedProductsAsync(org, now, ct);
        var open = stages.Where(s => s.Kind == StageKind.Open).ToArray();
        var won = stages.First(s => s.Kind == StageKind.Won);
        var lost = stages.First(s => s.Kind == StageKind.Lost);
        var plans = new List<DealPlan>(size.Opportunities);
        for (var i = 0; i < size.Opportunities; i++)
        {
            var customer = customers[_random.Next(customers.Count)];
            var owner = customer.OwnerId ?? org.RandomRep(customer.TeamId, _random);
            var roll = _random.Next(100);
            PipelineStage[] path = roll < 15 ? [.. open, won]
                : roll < 30 ? [.. open.Take(_random.Next(1, open.Length + 1)), lost]
                : [.. open.Take(_random.Next(1, open.Length + 1))];
            var created = now.AddMinutes(-_random.Next(5 * 24 * 60, 400 * 24 * 60));
            plans.Add(new DealPlan(customer, owner, path, created, QuoteVersions(path, open)));
        }

        var versionsLeft = plans.Sum(p => p.Versions.Length);
        var linesLeft = size.QuoteLines;
        var quoteNumbers = new Dictionary<int, int>();
        string[] subjects = ["ERP实施", "云平台订阅", "数据中台", "智能制造升级", "年度维保", "CRM部署"];
        var today = DateOnly.FromDateTime(now);
        var result = new SeededDeals(new List<SeededDeal>(plans.Count), 0, [], 0, products.Count);
        var entryCount = 0;
        var lineCount = 0;
        // A deal comes with about nine rows (stays, quote versions and lines, history): a quarter batch of deals at a time.
        foreach (var chunk in plans.Chunk(Batch / 4))
        {
            var deals = new List<Opportunity>();
            var entries = new List<StageEntry>();
            var quotes = new List<Quote>();
            var lines = new List<QuoteLine>();
            foreach (var plan in chunk)
            {
                var path = plan.Path;
                var entered = StayStarts(plan.Created, path.Length, now);
                var final = path[^1];
                var deal = new Opportunity
                {
                    Id = NextId(),
                    CustomerId = plan.Customer.Id,
                    Name = $"{plan.Customer.Name} · {subjects[_random.Next(subjects.Length)]}",
                    AmountMinor = _random.Next(20, 5_000) * 100_000L,
                    ExpectedCloseDate = today.AddDays(_random.Next(-90, 270)),
                    PipelineId = pipelineId,
                    StageId = final.Id,
                    StageEnteredAt = entered[^1],
                    Probability = final.Probability,
                    Status = final.Kind switch { StageKind.Won => OpportunityStatus.Won, StageKind.Lost => OpportunityStatus.Lost, _ => OpportunityStatus.Open },
                    ClosedAt = final.Kind == StageKind.Open ? null : entered[^1],
                    LostReason = final.Kind == StageKind.Lost ? LostReasons[_random.Next(LostReasons.Length)] : null,
                    SourceChannel = Channels[_random.Next(Channels.Length)],
                    OwnerId = plan.OwnerId,
                    CreatedAt = plan.Created,
                    UpdatedAt = entered[^1],
                };
                for (var k = 0; k < path.Length; k++)
                {
                    entries.Add(new StageEntry
                    {
                        Id = NextId(),
                        OpportunityId = deal.Id,
                        PipelineId = pipelineId,
                        StageId = path[k].Id,
                        FromStageId = k == 0 ? null : path[k - 1].Id,
                        Kind = k == 0 ? StageEntryKind.Created : path[k].Kind == StageKind.Open ? StageEntryKind.Forward : StageEntryKind.Closed,
                        EnteredAt = entered[k],
                        EnteredBy = plan.OwnerId,
                        ExitedAt = k == path.Length - 1 ? null : entered[k + 1],
                        ExitedBy = k == path.Length - 1 ? null : plan.OwnerId,
                    });
                }

                long? accepted = null;
                DateTime? acceptedAt = null;
                var estimate = deal.AmountMinor;
                if (plan.Versions.Length > 0)
                {
                    // From entering the proposal stage to entering the contract stage (the customer accepted), the loss, or now.
                    var from = entered[1];
                    var contractAt = Array.IndexOf(path, open[^1]);
                    var until = contractAt > 0 ? entered[contractAt] : final.Kind == StageKind.Lost ? entered[^1] : now;
                    var number = QuoteNumber(quoteNumbers, from);
                    var times = StatusTimes(plan.Versions, from, until);
                    List<QuoteLine>? previous = null;
                    for (var v = 0; v < plan.Versions.Length; v++)
                    {
                        var count = LinesForVersion(linesLeft, versionsLeft);
                        linesLeft -= count;
                        versionsLeft--;
                        var statuses = times[v];
                        var quote = NewQuote(deal, number, v + 1, statuses, settings);
                        var versionLines = VersionLines(quote.Id, previous, count, products, settings.DiscountApprovalPercent);
                        // The app's own arithmetic: line totals and the quote's totals as QuoteMath rounds them.
                        QuoteStore.Total(quote, versionLines);
                        quotes.Add(quote);
                        lines.AddRange(versionLines);
                        result.Quotes.Add(new SeededQuote(quote.Id, plan.OwnerId, statuses));
                        previous = versionLines;
                        if (v == 0)
                        {
                            deal.ProductId = versionLines[0].ProductId;
                            // The deal's estimate was made from the first quote.
                            deal.AmountMinor = estimate = Math.Max(100_000, quote.TotalMinor * _random.Next(80, 131) / 100 / 100_000 * 100_000);
                        }

                        if (quote.Status == QuoteStatus.Accepted)
                        {
                            // Accepting a quote sets the deal's amount to its total.
                            deal.AmountMinor = quote.TotalMinor;
                            accepted = quote.TotalMinor;
                            acceptedAt = quote.DecidedAt;
                        }
                    }
                }

                deals.Add(deal);
                result.Opportunities.Add(new SeededDeal(deal.Id, plan.OwnerId, path, entered, estimate, accepted, acceptedAt));
            }

            var history = new List<AuditEntry>(deals.Count + quotes.Count);
            Stamp(deals, d => d.OwnerId, history);
            var ownerOf = deals.ToDictionary(d => d.Id, d => d.OwnerId);
            Stamp(quotes, q => ownerOf[q.OpportunityId], history);
            await WriteAsync(async db =>
            {
                await BulkInsert.InsertAsync(db, deals, ct);
                await BulkInsert.InsertAsync(db, entries, ct);
                await BulkInsert.InsertAsync(db, quotes, ct);
                await BulkInsert.InsertAsync(db, lines, ct);
                await BulkInsert.InsertAsync(db, history, ct);
            }, ct);
            entryCount += entries.Count;
            lineCount += lines.Count;
        }

        return result with { StageEntries = entryCount, QuoteLines = lineCount };
    }

    /// <summary>
    /// The statuses each quote version of a deal ends in (the last version's fits the deal's stage), each as the statuses
    /// it went through from Draft. No quote before the proposal stage, nor for a quarter of the deals still in it.
    /// </summary>
    private QuoteStatus[][] QuoteVersions(PipelineStage[] path, PipelineStage[] open)
    {
        var reached = path.Count(s => s.Kind == StageKind.Open);
        var final = path[^1];
        if (reached < 2 || (final == open[1] && _random.Next(4) == 0))
        {
            return [];
        }

        var roll = _random.Next(100);
        var count = roll < 65 ? 1 : roll < 93 ? 2 : 3;
        var accepted = reached >= 4;
        QuoteStatus last;
        if (accepted)
        {
            last = QuoteStatus.Accepted;
        }
        else if (final.Kind == StageKind.Lost)
        {
            last = _random.Next(10) < 7 ? QuoteStatus.Rejected : QuoteStatus.Sent;
        }
        else if (final == open[1])
        {
            last = _random.Next(10) switch { < 3 => QuoteStatus.Draft, < 6 => QuoteStatus.Approved, _ => QuoteStatus.Sent };
        }
        else
        {
            last = QuoteStatus.Sent;
        }

        var versions = new QuoteStatus[count][];
        for (var v = 0; v < count - 1; v++)
        {
            // An earlier version: rejected and revised, revised once approved (before it went out), or sent and revised
            // while the customer had it (accepting a later version then supersedes it).
            var earlier = _random.Next(10);
            versions[v] = earlier < 5 ? [QuoteStatus.Draft, QuoteStatus.Approved, QuoteStatus.Sent, QuoteStatus.Rejected]
                : earlier < 7 ? [QuoteStatus.Draft, QuoteStatus.Approved, QuoteStatus.Superseded]
                : accepted ? [QuoteStatus.Draft, QuoteStatus.Approved, QuoteStatus.Sent, QuoteStatus.Superseded]
                : [QuoteStatus.Draft, QuoteStatus.Approved, QuoteStatus.Sent];
        }

        versions[^1] = last switch
        {
            QuoteStatus.Draft => [QuoteStatus.Draft],
            QuoteStatus.Approved => [QuoteStatus.Draft, QuoteStatus.Approved],
            QuoteStatus.Sent => [QuoteStatus.Draft, QuoteStatus.Approved, QuoteStatus.Sent],
            _ => [QuoteStatus.Draft, QuoteStatus.Approved, QuoteStatus.Sent, last],
        };
        return versions;
    }

    /// <summary>When a deal entered each stage of its path: created in the first, then moved on at times in order until now.</summary>
    private DateTime[] StayStarts(DateTime created, int stays, DateTime now)
    {
        var span = Math.Max(stays, (int)(now - created).TotalMinutes);
        var minutes = new int[stays];
        for (var k = 1; k < stays; k++)
        {
            minutes[k] = _random.Next(1, span);
        }

        Array.Sort(minutes);
        return [.. minutes.Select(m => created.AddMinutes(m))];
    }

    /// <summary>
    /// The times each version reached its statuses: each version has an equal share of the time from
    /// <paramref name="from"/> to <paramref name="until"/>, is drafted early in it and decided before the next one starts.
    /// A version revised once approved is superseded when the next one is started; one that was out with the customer
    /// when a later one was accepted, at that acceptance.
    /// </summary>
    private (QuoteStatus Status, DateTime At)[][] StatusTimes(QuoteStatus[][] versions, DateTime from, DateTime until)
    {
        var slot = (until - from) / versions.Length;
        var times = new (QuoteStatus Status, DateTime At)[versions.Length][];
        for (var v = 0; v < versions.Length; v++)
        {
            var at = from + (slot * v) + (slot * (_random.Next(0, 15) / 100.0));
            times[v] = new (QuoteStatus, DateTime)[versions[v].Length];
            for (var k = 0; k < versions[v].Length; k++)
            {
                if (k > 0)
                {
                    at += slot * (_random.Next(5, 20) / 100.0);
                }

                times[v][k] = (versions[v][k], at);
            }
        }

        for (var v = 0; v < versions.Length - 1; v++)
        {
            if (versions[v][^1] == QuoteStatus.Superseded)
            {
                var at = versions[v].Contains(QuoteStatus.Sent) ? times[^1][^1].At : times[v + 1][0].At;
                times[v][^1] = (QuoteStatus.Superseded, at > times[v][^2].At ? at : times[v][^2].At.AddMinutes(1));
            }
        }

        return times;
    }

    private static string QuoteNumber(Dictionary<int, int> numbers, DateTime at)
    {
        // Numbers count per company year (China time).
        var year = at.AddHours(8).Year;
        var next = numbers.GetValueOrDefault(year) + 1;
        numbers[year] = next;
        return string.Create(CultureInfo.InvariantCulture, $"Q-{year}-{next:0000}");
    }

    private Quote NewQuote(Opportunity deal, string number, int version, (QuoteStatus Status, DateTime At)[] statuses, OpportunitySettings settings)
    {
        var status = statuses[^1].Status;
        DateTime? sent = statuses.Any(s => s.Status == QuoteStatus.Sent) ? statuses.First(s => s.Status == QuoteStatus.Sent).At : null;
        DateTime? decided = status is QuoteStatus.Accepted or QuoteStatus.Rejected ? statuses[^1].At : null;
        return new Quote
        {
            Id = NextId(),
            OpportunityId = deal.Id,
            Number = number,
            VersionNo = version,
            Title = deal.Name.Split(" · ")[^1] + "方案报价",
            Status = status,
            Currency = deal.Currency,
            TaxRatePercent = settings.DefaultTaxRatePercent,
            ValidUntil = DateOnly.FromDateTime(statuses[0].At.AddHours(8)).AddDays(settings.QuoteValidDays),
            Terms = QuoteTerms,
            SentAt = sent,
            DecidedAt = decided,
            CustomerResponse = status switch
            {
                QuoteStatus.Accepted => "客户确认报价，同意按此价格签约。",
                QuoteStatus.Rejected => "价格高于预算，希望再优惠一些。",
                _ => null,
            },
            CreatedAt = statuses[0].At,
            UpdatedAt = statuses[^1].At,
        };
    }

    /// <summary>
    /// How many lines the next quote version gets so that the versions left share the lines left exactly: about the
    /// average, one to six, never so many or few that the versions after it could not make up the rest.
    /// </summary>
    private int LinesForVersion(int linesLeft, int versionsLeft)
    {
        if (versionsLeft <= 1)
        {
            return Math.Max(1, linesLeft);
        }

        var average = (double)linesLeft / versionsLeft;
        var count = (int)Math.Round(average + (_random.NextDouble() * 2) - 1);
        var atLeast = Math.Max(1, linesLeft - ((versionsLeft - 1) * 6));
        var atMost = Math.Max(atLeast, Math.Min(6, linesLeft - (versionsLeft - 1)));
        return Math.Clamp(count, atLeast, atMost);
    }

    /// <summary>
    /// A version's lines: the first version picks products and quantities; a revision keeps the previous lines (one more or
    /// one fewer when the count says so) and gives a little more discount, never above the approval threshold.
    /// </summary>
    private List<QuoteLine> VersionLines(Guid quoteId, List<QuoteLine>? previous, int count, List<Product> products, decimal threshold)
    {
        decimal[] discounts = [0m, 0m, 0m, 2m, 3m, 5m, 5m, 8m, 10m];
        // Never above 10 % either: the floor prices are at most 90 % of the list prices.
        threshold = Math.Min(threshold, 10m);
        var lines = new List<QuoteLine>(count);
        var used = new HashSet<Guid>();
        for (var k = 0; k < count; k++)
        {
            QuoteLine line;
            if (previous is not null && k < previous.Count)
            {
                var before = previous[k];
                line = new QuoteLine
                {
                    ProductId = before.ProductId,
                    ProductCode = before.ProductCode,
                    Description = before.Description,
                    Unit = before.Unit,
                    Quantity = before.Quantity,
                    UnitPriceMinor = before.UnitPriceMinor,
                    DiscountPercent = Math.Min(threshold, before.DiscountPercent + discounts[_random.Next(discounts.Length)]),
                };
            }
            else
            {
                Product product;
                do
                {
                    product = products[_random.Next(products.Count)];
                }
                while (!product.IsActive || used.Contains(product.Id) || (previous?.Any(l => l.ProductId == product.Id) ?? false));

                line = new QuoteLine
                {
                    ProductId = product.Id,
                    ProductCode = product.Code,
                    Description = product.Name,
                    Unit = product.Unit,
                    Quantity = Quantity(product.Unit),
                    UnitPriceMinor = product.ListPriceMinor,
                    DiscountPercent = Math.Min(threshold, discounts[_random.Next(discounts.Length)]),
                };
            }

            line.Id = NextId();
            line.QuoteId = quoteId;
            line.SortOrder = k;
            line.LineTotalMinor = QuoteMath.LineTotal(line.Quantity, line.UnitPriceMinor, line.DiscountPercent);
            used.Add(line.ProductId!.Value);
            lines.Add(line);
        }

        return lines;
    }

    private decimal Quantity(string unit) => unit switch
    {
        "用户" => _random.Next(2, 61) * 5m,
        "人天" => _random.Next(5, 81) + (_random.Next(4) == 0 ? 0.5m : 0m),
        "台" => _random.Next(1, 21),
        _ => _random.Next(1, 4),
    };

    /// <summary>A catalogue of <see cref="CatalogueSize"/> products in six lines, made by the Admin before the deals began; a few no longer sold.</summary>
    private async Task<List<Product>> SeedProductsAsync(Org org, DateTime now, CancellationToken ct)
    {
        var products = new List<Product>(CatalogueSize);
        for (var i = 0; i < CatalogueSize; i++)
        {
            var (code, line, unit, min, max, names) = ProductLines[i % ProductLines.Length];
            var k = i / ProductLines.Length;
            var generation = k / (names.Length * Editions.Length);
            var listMinor = _random.Next(min / 100, (max / 100) + 1) * 100 * 100L;
            var productCode = string.Create(CultureInfo.InvariantCulture, $"{code}-{k + 1:000}");
            products.Add(new Product
            {
                Id = NextId(),
                Code = productCode,
                CodeKey = productCode.ToUpperInvariant(),
                Name = $"{names[k % names.Length]}（{Editions[k / names.Length % Editions.Length]}）" +
                    (generation > 0 ? string.Create(CultureInfo.InvariantCulture, $" 第{generation + 1}代") : ""),
                Line = line,
                Unit = unit,
                ListPriceMinor = listMinor,
                // The floor is at most 90 % of the list price: a discount within the 10 % threshold never goes below it.
                FloorPriceMinor = _random.Next(10) < 7 ? listMinor * _random.Next(75, 91) / 100 : null,
                IsActive = _random.Next(20) > 0,
                CreatedAt = now.AddDays(-730).AddMinutes(i),
            });
        }

        var history = new List<AuditEntry>(products.Count);
        Stamp(products, _ => org.AdminId, history);
        await WriteAsync(async db =>
        {
            await BulkInsert.InsertAsync(db, products, ct);
            await BulkInsert.InsertAsync(db, history, ct);
        }, ct);
        return products;
    }
}
