using FluentValidation;
using FluentValidation.Results;

namespace LeadToCash.Modules.Receivables;

/// <summary>What an instalment still lacks, for matching: its order (due date, then number) and the outstanding amount.</summary>
public sealed record OpenInstalment(Guid Id, DateOnly DueDate, int SeqNo, long OutstandingMinor);

/// <summary>The part of a receipt given to one instalment.</summary>
public sealed record Allocation(Guid InstalmentId, long AmountMinor);

/// <summary>How a receipt is matched: its allocations and what is left over (an over-payment when nothing is owed).</summary>
public sealed record MatchResult(IReadOnlyList<Allocation> Allocations, long UnallocatedMinor);

/// <summary>
/// Matching a receipt to the instalments of its contract (回款核销). Automatic: the oldest due instalment first, each
/// filled before the next, what is left unallocated. Explicit: the allocations given, each at most what its instalment
/// still lacks, together at most the receipt; the rest unallocated.
/// </summary>
public static class ReceiptMatching
{
    public static MatchResult Automatic(long amountMinor, IEnumerable<OpenInstalment> open)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountMinor);
        var left = amountMinor;
        var allocations = new List<Allocation>();
        foreach (var instalment in open.Where(i => i.OutstandingMinor > 0).OrderBy(i => i.DueDate).ThenBy(i => i.SeqNo))
        {
            if (left == 0)
            {
                break;
            }

            var part = Math.Min(left, instalment.OutstandingMinor);
            allocations.Add(new Allocation(instalment.Id, part));
            left -= part;
        }

        return new MatchResult(allocations, left);
    }

    /// <summary>Checks explicit allocations (field errors name "allocations[i]…"); answers the match.</summary>
    public static MatchResult Explicit(long amountMinor, IReadOnlyList<Allocation> requested, IEnumerable<OpenInstalment> open)
    {
        var byId = open.ToDictionary(i => i.Id);
        var failures = new List<ValidationFailure>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < requested.Count; i++)
        {
            var allocation = requested[i];
            var field = $"allocations[{i}]";
            if (!seen.Add(allocation.InstalmentId))
            {
                failures.Add(new ValidationFailure($"{field}.instalmentId", "Each instalment appears once in the allocations."));
            }
            else if (!byId.TryGetValue(allocation.InstalmentId, out var instalment))
            {
                failures.Add(new ValidationFailure($"{field}.instalmentId", "The instalment is not part of this contract's payment plan."));
            }
            else if (allocation.AmountMinor <= 0)
            {
                failures.Add(new ValidationFailure($"{field}.amountMinor", "An allocation must be more than zero."));
            }
            else if (allocation.AmountMinor > instalment.OutstandingMinor)
            {
                failures.Add(new ValidationFailure($"{field}.amountMinor",
                    $"The allocation is more than the instalment still lacks ({instalment.OutstandingMinor} minor units)."));
            }
        }

        var total = requested.Sum(a => a.AmountMinor);
        if (failures.Count == 0 && total > amountMinor)
        {
            failures.Add(new ValidationFailure("allocations", $"The allocations add up to more than the receipt ({total} > {amountMinor} minor units)."));
        }

        return failures.Count > 0 ? throw new ValidationException(failures) : new MatchResult(requested, amountMinor - total);
    }
}
