using FluentValidation;
using LeadToCash.Modules.Receivables;

namespace LeadToCash.Tests.Unit;

/// <summary>Payment plan arithmetic: percentages rounded half away from zero to the minor unit, the last instalment takes the remainder.</summary>
public sealed class PaymentPlanMathTests
{
    public static TheoryData<long, decimal[], long[]> PercentPlans() => new()
    {
        // contract amount (minor units), percentages, expected amounts
        { 100_000_00, [30m, 60m, 10m], [30_000_00, 60_000_00, 10_000_00] },
        { 100_001, [50m, 50m], [50_001, 50_000] },          // 50000.5 rounds up (away from zero); the last takes the rest
        { 99_999, [50m, 50m], [50_000, 49_999] },            // 49999.5 → 50000
        { 1_000, [33.3333m, 33.3333m, 33.3334m], [333, 333, 334] },
        { 100, [33.5m, 33.5m, 33m], [34, 34, 32] },          // 33.5 → 34 twice; the last absorbs the rounding
        { 7, [30m, 60m, 10m], [2, 4, 1] },                   // 2.1 → 2, 4.2 → 4, remainder 1
        { 5, [10m, 90m], [1, 4] },                            // 0.5 → 1 (away from zero), remainder 4
        { 123_456_789_01, [100m], [123_456_789_01] },
        { 3, [33.3333m, 33.3333m, 33.3334m], [1, 1, 1] },
        { 200, [12.5m, 12.5m, 75m], [25, 25, 150] },
    };

    [Theory]
    [MemberData(nameof(PercentPlans))]
    public void Amounts_Percentages_RoundHalfAwayFromZeroAndAddUpToTheContract(long contract, decimal[] percents, long[] expected)
    {
        var amounts = PaymentPlanMath.Amounts(contract, [.. percents.Select(p => new PlannedShare(null, p))]);

        Assert.Equal(expected, amounts.ToArray());
        Assert.Equal(contract, amounts.Sum());
    }

    public static TheoryData<long, decimal, long> Shares() => new()
    {
        { 1, 50m, 1 },           // 0.5 → 1
        { 3, 50m, 2 },           // 1.5 → 2
        { 5, 50m, 3 },           // 2.5 → 3 (not banker's 2)
        { 10, 25m, 3 },          // 2.5 → 3
        { 10, 24.9999m, 2 },
        { 1_000_000_01, 30m, 30_000_000 },   // 30000000.3
        { 0, 30m, 0 },
    };

    [Theory]
    [MemberData(nameof(Shares))]
    public void ShareOf_Midpoints_RoundAwayFromZero(long contract, decimal percent, long expected) =>
        Assert.Equal(expected, PaymentPlanMath.ShareOf(contract, percent));

    [Fact]
    public void Amounts_MixedAmountsAndPercentages_NoRemainderAdjustment()
    {
        var amounts = PaymentPlanMath.Amounts(1_000, [new PlannedShare(300, null), new PlannedShare(null, 33.35m), new PlannedShare(null, 36.65m)]);

        Assert.Equal(new long[] { 300, 334, 367 }, amounts.ToArray()); // 333.5 → 334, 366.5 → 367: 1001, which the plan check then refuses
    }

    [Theory]
    [InlineData("30-60-10", 100_000_00, new long[] { 30_000_00, 60_000_00, 10_000_00 })]
    [InlineData("50-50", 99_999, new long[] { 50_000, 49_999 })]
    [InlineData("100", 12_345, new long[] { 12_345 })]
    public void Amounts_Templates_SplitTheContractAmount(string code, long contract, long[] expected)
    {
        var template = Assert.Single(PaymentPlanMath.Templates, t => t.Code == code);

        Assert.Equal(expected, PaymentPlanMath.Amounts(contract, template).ToArray());
        Assert.Equal(100m, template.Percents.Sum());
    }

    [Theory]
    [InlineData(1, 3, 33.3)]
    [InlineData(2, 3, 66.7)]
    [InlineData(1, 8, 12.5)]
    [InlineData(1, 16, 6.3)]     // 6.25 → 6.3
    [InlineData(0, 100, 0)]
    [InlineData(150, 100, 150)]
    public void Rate_CollectedOverDue_OneDecimalHalfAwayFromZero(long collected, long due, decimal expected) =>
        Assert.Equal(expected, PaymentPlanMath.Rate(collected, due));

    [Fact]
    public void Rate_NothingDue_IsNull() => Assert.Null(PaymentPlanMath.Rate(100, 0));
}

/// <summary>Matching receipts to instalments: oldest due first, partial payments, several instalments, over-payment, explicit allocations.</summary>
public sealed class ReceiptMatchingTests
{
    private static readonly Guid A = Guid.CreateVersion7();
    private static readonly Guid B = Guid.CreateVersion7();
    private static readonly Guid C = Guid.CreateVersion7();

    private static OpenInstalment[] Plan(long a = 300, long b = 600, long c = 100) =>
    [
        new(C, new DateOnly(2027, 3, 1), 3, c),
        new(A, new DateOnly(2026, 12, 1), 1, a),
        new(B, new DateOnly(2027, 1, 1), 2, b),
    ];

    public static TheoryData<long, long[], long> AutomaticCases() => new()
    {
        // receipt, allocations to A, B, C (0 = none), unallocated
        { 100, [100, 0, 0], 0 },          // partial payment of the oldest
        { 300, [300, 0, 0], 0 },          // exactly the oldest
        { 500, [300, 200, 0], 0 },        // one receipt over two instalments
        { 1_000, [300, 600, 100], 0 },    // the whole plan
        { 1_250, [300, 600, 100], 250 },  // over-payment kept unallocated
        { 1, [1, 0, 0], 0 },
    };

    [Theory]
    [MemberData(nameof(AutomaticCases))]
    public void Automatic_OldestDueFirst_FillsEachBeforeTheNext(long amount, long[] expected, long unallocated)
    {
        var match = ReceiptMatching.Automatic(amount, Plan());

        long For(Guid id) => match.Allocations.Where(a => a.InstalmentId == id).Sum(a => a.AmountMinor);
        Assert.Equal(expected, new[] { For(A), For(B), For(C) });
        Assert.Equal(unallocated, match.UnallocatedMinor);
        Assert.Equal(amount, match.Allocations.Sum(a => a.AmountMinor) + match.UnallocatedMinor);
        Assert.DoesNotContain(match.Allocations, a => a.AmountMinor == 0);
    }

    [Fact]
    public void Automatic_PartlyPaidAndPaidInstalments_TakesOnlyWhatIsStillOwed()
    {
        var match = ReceiptMatching.Automatic(500, Plan(a: 0, b: 250));

        Assert.Equal([new Allocation(B, 250), new Allocation(C, 100)], match.Allocations);
        Assert.Equal(150, match.UnallocatedMinor);
    }

    [Fact]
    public void Automatic_NoPlan_AllUnallocated()
    {
        var match = ReceiptMatching.Automatic(700, []);

        Assert.Empty(match.Allocations);
        Assert.Equal(700, match.UnallocatedMinor);
    }

    [Fact]
    public void Explicit_GivenAllocations_KeptAsGivenRestUnallocated()
    {
        var match = ReceiptMatching.Explicit(800, [new Allocation(C, 100), new Allocation(B, 600)], Plan());

        Assert.Equal([new Allocation(C, 100), new Allocation(B, 600)], match.Allocations);
        Assert.Equal(100, match.UnallocatedMinor);
    }

    public static TheoryData<long, Allocation[], string> ExplicitErrors() => new()
    {
        { 800, [new Allocation(A, 301)], "allocations[0].amountMinor" },                       // more than A lacks
        { 800, [new Allocation(A, 0)], "allocations[0].amountMinor" },
        { 800, [new Allocation(Guid.CreateVersion7(), 10)], "allocations[0].instalmentId" },   // not in the plan
        { 800, [new Allocation(A, 100), new Allocation(A, 100)], "allocations[1].instalmentId" },
        { 500, [new Allocation(A, 300), new Allocation(B, 300)], "allocations" },              // more than the receipt
    };

    [Theory]
    [MemberData(nameof(ExplicitErrors))]
    public void Explicit_InvalidAllocations_NameTheField(long amount, Allocation[] allocations, string field)
    {
        var error = Assert.Throws<ValidationException>(() => ReceiptMatching.Explicit(amount, allocations, Plan()));

        Assert.Contains(error.Errors, e => e.PropertyName == field);
    }
}

/// <summary>The overdue reminders read as sentences in both languages with the arguments the job passes.</summary>
public sealed class ReceivablesNotificationTextTests
{
    [Theory]
    [InlineData("en-US", LeadToCash.Modules.Receivables.Jobs.OverdueReminderJob.DueKind, 4)]
    [InlineData("zh-CN", LeadToCash.Modules.Receivables.Jobs.OverdueReminderJob.DueKind, 4)]
    [InlineData("en-US", LeadToCash.Modules.Receivables.Jobs.OverdueReminderJob.OverdueKind, 5)]
    [InlineData("zh-CN", LeadToCash.Modules.Receivables.Jobs.OverdueReminderJob.OverdueKind, 5)]
    public void Render_ReminderKinds_ASentenceWithTheContractAndAmount(string culture, string kind, int used)
    {
        using var _ = LeadToCash.Tests.Components.ComponentServices.Culture(culture);
        string[] args = ["HT-2026-0007", "到货款", "¥60,000.00", "2026-11-18", "7"];

        var text = LeadToCash.Modules.Notifications.NotificationText.Render(LeadToCash.Tests.Components.ComponentServices.Strings(), kind, args);

        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
        Assert.All(args.Take(used), a => Assert.Contains(a, text, StringComparison.Ordinal));
        Assert.Equal(culture == "zh-CN", text.Contains("回款", StringComparison.Ordinal));
    }
}
