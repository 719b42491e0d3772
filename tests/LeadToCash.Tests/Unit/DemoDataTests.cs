using System.Text.Json;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Cli;

namespace LeadToCash.Tests.Unit;

public sealed class DemoDataTests
{
    [Fact]
    public void ChinaHolidays2026_Calendar_Has33DaysOffAnd6MakeUpWorkingDaysOnWeekends()
    {
        var days = DemoData.ChinaHolidays2026().ToList();

        Assert.Equal(39, days.Count);
        Assert.Equal(days.Count, days.Select(d => d.Date).Distinct().Count());
        Assert.Equal(33, days.Count(d => !d.IsWorkingDay));
        var makeUp = days.Where(d => d.IsWorkingDay).ToList();
        Assert.Equal(6, makeUp.Count);
        Assert.All(makeUp, d => Assert.Contains(d.Date.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }));
        Assert.All(days, d => Assert.Equal(2026, d.Date.Year));
        Assert.Contains(days, d => d.Date == new DateOnly(2026, 10, 1) && !d.IsWorkingDay);
    }

    [Fact]
    public void PlanFor_SameSeedTwice_GivesTheSameCompany()
    {
        var first = JsonSerializer.Serialize(DemoData.PlanFor(DemoData.DefaultSeed));
        var second = JsonSerializer.Serialize(DemoData.PlanFor(DemoData.DefaultSeed));

        Assert.Equal(first, second);
    }

    [Fact]
    public void PlanFor_OtherSeed_GivesOtherCustomersSamePeople()
    {
        var a = DemoData.PlanFor(1);
        var b = DemoData.PlanFor(2);

        Assert.NotEqual(a.Customers.Select(c => c.Name), b.Customers.Select(c => c.Name));
        Assert.Equal(a.People.Select(p => p.Email), b.People.Select(p => p.Email));
    }

    [Fact]
    public void PlanFor_DefaultSeed_Has120CustomersWithUniqueNamesAndIds()
    {
        var plan = DemoData.PlanFor();

        Assert.Equal(120, plan.Customers.Count);
        Assert.Equal(120, plan.Customers.Select(c => c.Name).Distinct().Count());
        var ids = plan.Customers.Select(c => c.Id).Concat(plan.People.Select(p => p.Id)).Concat(plan.Teams.Select(t => t.Id))
            .Concat(plan.Holidays.Select(h => h.Id)).Append(plan.CompanyId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }

    [Fact]
    public void PlanFor_DefaultSeed_OwnersAreRepsAndPoolsBelongToTheirTeams()
    {
        var plan = DemoData.PlanFor();
        var people = plan.People.ToDictionary(p => p.Email);
        var teamKeys = plan.Teams.Select(t => t.Key).ToHashSet();

        foreach (var customer in plan.Customers)
        {
            if (customer.OwnerEmail is { } owner)
            {
                Assert.Contains(Roles.Rep, people[owner].Roles);
                Assert.Null(customer.PoolTeamKey);
            }
            else
            {
                Assert.Contains(customer.PoolTeamKey!, teamKeys);
            }

            if (customer.Share is { } share)
            {
                Assert.NotNull(customer.OwnerEmail);
                Assert.NotEqual(customer.OwnerEmail, share.UserEmail);
                Assert.True(people.ContainsKey(share.UserEmail));
            }
        }

        Assert.InRange(plan.Customers.Count(c => c.OwnerEmail is null), 10, 40);
        Assert.Contains(plan.Customers, c => c.Share is not null);
    }

    [Fact]
    public void PlanFor_DefaultSeed_EveryTeamHasAKnownParentAndThePeopleTheirTeams()
    {
        var plan = DemoData.PlanFor();
        var keys = plan.Teams.Select(t => t.Key).ToList();

        Assert.Single(plan.Teams, t => t.ParentKey is null);
        Assert.All(plan.Teams.Where(t => t.ParentKey is not null), t => Assert.True(keys.IndexOf(t.ParentKey!) < keys.IndexOf(t.Key)));
        Assert.All(plan.People, p => Assert.Contains(p.TeamKey, keys));
        Assert.Equal(19, plan.People.Count);
    }
}
