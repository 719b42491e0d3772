using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers;

/// <summary>
/// A customer's tags. Free tags are typed by people. The one system tag is the customer's segment, derived from its
/// facts and recomputed whenever they change (customer create/update, a needs analysis's budget):
/// <c>{industry}-{size band}-{budget band}</c>, e.g. 制造业-中小企业-预算50万+, where
/// <list type="bullet">
/// <item>industry is the Chinese label of the industry option (the segment is company data, named the same for everyone);</item>
/// <item>the size band follows the company-size option: under 50 people 小微企业, 50–199 中小企业, 200–999 中型企业,
/// 1000 or more 大型企业 (a size an Admin added later contributes its Chinese label);</item>
/// <item>the budget band comes from the latest needs analysis that states a budget: under ¥100,000 预算10万以下, then
/// 预算10万+, 预算50万+, 预算100万+ and 预算500万+.</item>
/// </list>
/// Unknown parts are left out; a customer with none of the three has no system tag.
/// </summary>
public static class CustomerTags
{
    public const int MaxFreeTags = 10;
    public const int MaxLength = 50;

    private static readonly Dictionary<string, string> SizeBands = new(StringComparer.Ordinal)
    {
        ["1-49"] = "小微企业",
        ["50-199"] = "中小企业",
        ["200-999"] = "中型企业",
        ["1000+"] = "大型企业",
    };

    /// <summary>The segment tag of a customer's facts, or null when none of them is known.</summary>
    /// <param name="industryLabel">The industry's Chinese label.</param>
    /// <param name="size">The company-size option code.</param>
    /// <param name="sizeLabel">The size option's Chinese label, used for sizes outside the four standard bands.</param>
    /// <param name="budgetMinor">The budget in fen (CNY minor units).</param>
    public static string? SystemTag(string? industryLabel, string? size, string? sizeLabel, long? budgetMinor)
    {
        var parts = new[] { Blank(industryLabel), SizeBand(size, sizeLabel), BudgetBand(budgetMinor) }.OfType<string>().ToList();
        if (parts.Count == 0)
        {
            return null;
        }

        var tag = string.Join('-', parts);
        return tag.Length <= MaxLength ? tag : tag[..MaxLength];
    }

    public static string? SizeBand(string? size, string? sizeLabel = null) =>
        size is null ? null : SizeBands.TryGetValue(size, out var band) ? band : Blank(sizeLabel);

    public static string? BudgetBand(long? budgetMinor)
    {
        if (budgetMinor is not { } minor || minor <= 0)
        {
            return null;
        }

        const long TenThousandYuan = 10_000 * 100;
        return (minor / TenThousandYuan) switch
        {
            < 10 => "预算10万以下",
            < 50 => "预算10万+",
            < 100 => "预算50万+",
            < 500 => "预算100万+",
            _ => "预算500万+",
        };
    }

    /// <summary>Trimmed, blank and repeated tags dropped, in the order given.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> tags) =>
        tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Recomputes the system tag and, when <paramref name="freeTags"/> is given, replaces the free tags. A change of the
    /// free tags of an existing customer is written to its history (the tags are rows of their own, which the audit
    /// does not follow). Call before SaveChanges; the changes are part of the same save.
    /// </summary>
    public static async Task WriteAsync(AppDbContext db, Customer customer, IReadOnlyList<string>? freeTags, DateTime now, CancellationToken ct)
    {
        var isNew = db.Entry(customer).State == EntityState.Added;
        var existing = isNew ? [] : await db.CustomerTags.Where(t => t.CustomerId == customer.Id).ToListAsync(ct);
        var systemTag = await SystemTagAsync(db, customer, ct);
        var oldFree = existing.Where(t => !t.IsSystem).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var newFree = (freeTags is null ? oldFree : Normalize(freeTags))
            .Where(t => t != systemTag).Order(StringComparer.Ordinal).ToList();

        var wanted = newFree.Select(name => (Name: name, IsSystem: false)).ToList();
        if (systemTag is not null)
        {
            wanted.Add((systemTag, true));
        }

        foreach (var tag in existing.Where(t => !wanted.Any(w => w.Name == t.Name)))
        {
            db.CustomerTags.Remove(tag);
        }

        foreach (var (name, isSystem) in wanted)
        {
            if (existing.FirstOrDefault(t => t.Name == name) is { } row)
            {
                row.IsSystem = isSystem;
            }
            else
            {
                db.CustomerTags.Add(new CustomerTag { CustomerId = customer.Id, Name = name, IsSystem = isSystem });
            }
        }

        if (!isNew && !oldFree.SequenceEqual(newFree, StringComparer.Ordinal))
        {
            // The tags are part of the customer: a change bumps its version, so two people's changes cannot cross.
            db.Entry(customer).Property(c => c.UpdatedAt).IsModified = true;
            db.AuditEntries.Add(new AuditEntry
            {
                EntityType = nameof(Customer),
                EntityId = customer.Id,
                Action = AuditAction.Updated,
                Field = nameof(CustomerDto.Tags),
                OldValue = oldFree.Count == 0 ? null : string.Join(", ", oldFree),
                NewValue = newFree.Count == 0 ? null : string.Join(", ", newFree),
                ChangedAt = now,
                ChangedBy = db.ActorId,
            });
        }
    }

    /// <summary>Recomputes only the system tag of a visible customer (after its facts elsewhere changed, e.g. a budget).</summary>
    public static async Task RefreshSystemTagAsync(AppDbContext db, Guid customerId, DateTime now, CancellationToken ct)
    {
        if (await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct) is { } customer)
        {
            await WriteAsync(db, customer, null, now, ct);
        }
    }

    /// <summary>Adds the tags and the (visible) parent's name to customers read through <see cref="CustomerDto.Projection"/>.</summary>
    public static async Task<IReadOnlyList<CustomerDto>> CompleteAsync(AppDbContext db, IReadOnlyList<CustomerDto> customers, CancellationToken ct)
    {
        if (customers.Count == 0)
        {
            return customers;
        }

        var ids = customers.Select(c => c.Id).ToList();
        var tags = (await db.CustomerTags.AsNoTracking().Where(t => ids.Contains(t.CustomerId))
                .Select(t => new { t.CustomerId, t.Name, t.IsSystem }).ToListAsync(ct))
            .ToLookup(t => t.CustomerId);
        var parentIds = customers.Where(c => c.ParentId is not null).Select(c => c.ParentId!.Value).Distinct().ToList();
        var parents = parentIds.Count == 0 ? []
            : await db.Customers.AsNoTracking().Where(c => parentIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return customers.Select(c => c with
        {
            Tags = tags[c.Id].Where(t => !t.IsSystem).Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            SystemTags = tags[c.Id].Where(t => t.IsSystem).Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            ParentName = c.ParentId is { } parent ? parents.GetValueOrDefault(parent) : null,
        }).ToList();
    }

    private static async Task<string?> SystemTagAsync(AppDbContext db, Customer customer, CancellationToken ct)
    {
        var industry = customer.Industry is null ? null
            : await db.OptionItems.Where(o => o.ListKey == OptionLists.Industries && o.Code == customer.Industry)
                .Select(o => o.LabelZh).FirstOrDefaultAsync(ct);
        var sizeLabel = customer.Size is null ? null
            : await db.OptionItems.Where(o => o.ListKey == OptionLists.CompanySizes && o.Code == customer.Size)
                .Select(o => o.LabelZh).FirstOrDefaultAsync(ct);
        var budget = await db.NeedsAnalyses.Where(n => n.CustomerId == customer.Id && n.BudgetMinor != null)
            .OrderByDescending(n => n.MeetingAt).ThenByDescending(n => n.Id)
            .Select(n => n.BudgetMinor).FirstOrDefaultAsync(ct);
        return SystemTag(industry, customer.Size, sizeLabel, budget);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The parent company (group, head office) of a customer.</summary>
public static class CustomerParents
{
    /// <summary>
    /// Refuses a parent that is the customer itself, is not a customer the caller can see, or would close a loop
    /// (the parent is one of the customer's own subsidiaries, however far down). The walk up the chain stays in the
    /// caller's scope: a loop through a company the caller cannot see is not found here, so whatever walks the chain
    /// must stop at a company it has already met (see <see cref="ChainAsync"/>).
    /// </summary>
    public static async Task EnsureValidAsync(AppDbContext db, Guid customerId, Guid? parentId, CancellationToken ct)
    {
        if (parentId is not { } parent)
        {
            return;
        }

        if (parent == customerId)
        {
            throw Invalid("A company cannot be its own parent company.");
        }

        if (!await db.Customers.AnyAsync(c => c.Id == parent, ct))
        {
            throw Invalid("The parent company does not exist or you cannot see it.");
        }

        if ((await ChainAsync(db, parent, ct)).Contains(customerId))
        {
            throw Invalid("The parent company is one of this company's own subsidiaries.");
        }
    }

    /// <summary>The visible companies above <paramref name="customerId"/>, nearest first, stopping at a loop.</summary>
    public static async Task<IReadOnlyList<Guid>> ChainAsync(AppDbContext db, Guid customerId, CancellationToken ct)
    {
        var chain = new List<Guid>();
        Guid? current = customerId;
        while (current is { } id && chain.Count < 100)
        {
            current = await db.Customers.Where(c => c.Id == id).Select(c => c.ParentId).FirstOrDefaultAsync(ct);
            if (current is { } next)
            {
                if (chain.Contains(next) || next == customerId)
                {
                    chain.Add(next);
                    break;
                }

                chain.Add(next);
            }
        }

        return chain;
    }

    private static ValidationException Invalid(string message) =>
        new([new ValidationFailure("parentId", message)]);
}
