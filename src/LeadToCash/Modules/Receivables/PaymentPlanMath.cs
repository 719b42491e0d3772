namespace LeadToCash.Modules.Receivables;

/// <summary>A ready-made split of the contract amount into instalments (the percentages add up to 100).</summary>
public sealed record PaymentPlanTemplate(string Code, IReadOnlyList<decimal> Percents);

/// <summary>One instalment of a plan as entered: an amount in minor units or a share of the contract amount (percent).</summary>
public sealed record PlannedShare(long? AmountMinor, decimal? Percent);

/// <summary>
/// The arithmetic of payment plans (回款计划), in integer minor units through <see cref="decimal"/>: a percentage of the
/// contract amount is rounded half away from zero to the minor unit, and when every instalment is a percentage the last
/// one takes the remainder, so the plan adds up to the contract amount exactly.
/// </summary>
public static class PaymentPlanMath
{
    public static readonly IReadOnlyList<PaymentPlanTemplate> Templates =
    [
        new("30-60-10", [30m, 60m, 10m]),
        new("50-50", [50m, 50m]),
        new("100", [100m]),
    ];

    /// <summary>The share of <paramref name="contractMinor"/> that <paramref name="percent"/> % is, rounded half away from zero.</summary>
    public static long ShareOf(long contractMinor, decimal percent) =>
        (long)Math.Round(contractMinor * percent / 100m, 0, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The amounts of the instalments: an amount stays as given, a percentage becomes its rounded share; when every
    /// instalment is a percentage and they add up to 100, the last takes what the others leave.
    /// </summary>
    public static IReadOnlyList<long> Amounts(long contractMinor, IReadOnlyList<PlannedShare> shares)
    {
        var amounts = shares.Select(s => s.AmountMinor ?? ShareOf(contractMinor, s.Percent ?? 0m)).ToList();
        if (amounts.Count > 0 && shares.All(s => s.AmountMinor is null && s.Percent is not null) && shares.Sum(s => s.Percent!.Value) == 100m)
        {
            amounts[^1] = contractMinor - amounts.Take(amounts.Count - 1).Sum();
        }

        return amounts;
    }

    /// <summary>The amounts of a template for a contract amount (the last instalment takes the remainder).</summary>
    public static IReadOnlyList<long> Amounts(long contractMinor, PaymentPlanTemplate template) =>
        Amounts(contractMinor, [.. template.Percents.Select(p => new PlannedShare(null, p))]);

    /// <summary>A percentage of an amount as a share of the contract amount, to two decimals (for display).</summary>
    public static decimal PercentOf(long amountMinor, long contractMinor) =>
        contractMinor == 0 ? 0m : Math.Round(amountMinor * 100m / contractMinor, 2, MidpointRounding.AwayFromZero);

    /// <summary>Collected ÷ due as a percentage with one decimal; null when nothing was due.</summary>
    public static decimal? Rate(long collectedMinor, long dueMinor) =>
        dueMinor <= 0 ? null : Math.Round(collectedMinor * 100m / dueMinor, 1, MidpointRounding.AwayFromZero);
}
