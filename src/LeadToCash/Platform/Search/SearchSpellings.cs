using System.Collections.Frozen;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadToCash.Platform.Search;

/// <summary>
/// The searchable spellings of a record's names (its Pinyin and PinyinInitials columns): every reading of every name,
/// variants separated by spaces ("chongqingyinhang zhongqingyinhang"). Computed on write, never typed by anyone.
/// </summary>
public static class SearchSpellings
{
    // The sizes of the Pinyin and PinyinInitials columns (Modules/Customers/CustomerModel.cs, Modules/Leads/LeadsModel.cs).
    public const int MaxPinyinLength = 1000;
    public const int MaxInitialsLength = 500;

    /// <summary>The records that have spellings, and the properties they are spelled from.</summary>
    private static readonly FrozenDictionary<Type, string[]> NamesOf = new Dictionary<Type, string[]>
    {
        [typeof(Customer)] = [nameof(Customer.Name)],
        [typeof(Contact)] = [nameof(Contact.Name)],
        [typeof(Lead)] = [nameof(Lead.CompanyName), nameof(Lead.ContactName)],
    }.ToFrozenDictionary();

    /// <summary>The Pinyin and PinyinInitials values for these names (in this order); empty strings when nothing spells.</summary>
    public static (string Pinyin, string Initials) Of(params IEnumerable<string?> names)
    {
        var full = new List<string>();
        var initials = new List<string>();
        foreach (var name in names)
        {
            var spelled = Pinyin.Spell(name);
            full.AddRange(spelled.Full.Where(v => !full.Contains(v, StringComparer.Ordinal)));
            initials.AddRange(spelled.Initials.Where(v => !initials.Contains(v, StringComparer.Ordinal)));
        }

        return (Pinyin.Join(full, MaxPinyinLength), Pinyin.Join(initials, MaxInitialsLength));
    }

    /// <summary>
    /// Fills the spellings of a new record written without SaveChanges (bulk inserts); does nothing for other records.
    /// </summary>
    public static void Fill(object record)
    {
        switch (record)
        {
            case Customer customer:
                (customer.Pinyin, customer.PinyinInitials) = Of(customer.Name);
                break;
            case Contact contact:
                (contact.Pinyin, contact.PinyinInitials) = Of(contact.Name);
                break;
            case Lead lead:
                (lead.Pinyin, lead.PinyinInitials) = Of(lead.CompanyName, lead.ContactName);
                break;
        }
    }

    /// <summary>Fills the spellings of a tracked record that is new or whose names changed.</summary>
    internal static void Fill(EntityEntry entry)
    {
        if (entry.State is not (EntityState.Added or EntityState.Modified)
            || !NamesOf.TryGetValue(entry.Metadata.ClrType, out var names))
        {
            return;
        }

        var spelledFrom = names.Select(entry.Property).ToList();
        if (entry.State == EntityState.Modified && !spelledFrom.Any(p => p.IsModified)
            && entry.Property(nameof(Customer.Pinyin)).CurrentValue is not null)
        {
            return;
        }

        var (pinyin, initials) = Of(spelledFrom.Select(p => p.CurrentValue as string));
        // Through the entry, so that the change is tracked whatever the order of change detection.
        entry.Property(nameof(Customer.Pinyin)).CurrentValue = pinyin;
        entry.Property(nameof(Customer.PinyinInitials)).CurrentValue = initials;
    }
}

/// <summary>Keeps the spellings current on every SaveChanges: commands, imports, merges, the demo data.</summary>
public sealed class SearchSpellingInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        FillAll(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        FillAll(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void FillAll(DbContext? db)
    {
        if (db is null)
        {
            return;
        }

        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            SearchSpellings.Fill(entry);
        }
    }
}
