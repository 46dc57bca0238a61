using EvalCluster.Grains.Models;

namespace EvalCluster.Grains.Tests.Models;

public sealed class KvBudgetTests
{
    [Fact]
    public async Task A_session_that_does_not_fit_waits_until_an_earlier_one_releases_its_bytes()
    {
        var budget = new KvBudget(100);
        await budget.AdmitAsync(70);

        var waiting = budget.AdmitAsync(50);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, budget.Waiting);

        budget.Release(70);
        await waiting;
        Assert.Equal(50, budget.UsedBytes);
    }

    [Fact]
    public async Task Waiters_are_admitted_first_come_first_served()
    {
        var budget = new KvBudget(100);
        await budget.AdmitAsync(100);
        var first = budget.AdmitAsync(80);
        var second = budget.AdmitAsync(10);

        Assert.False(second.IsCompleted);
        budget.Release(100);
        await Task.WhenAll(first, second);
        Assert.Equal(90, budget.UsedBytes);
    }

    [Fact]
    public void A_session_larger_than_the_whole_budget_fails_at_once_with_how_to_fix_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => { _ = new KvBudget(100).AdmitAsync(101); });

        Assert.Contains("lower --max-new-tokens", ex.Message);
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_up_its_place_in_the_queue()
    {
        var budget = new KvBudget(100);
        await budget.AdmitAsync(60);
        using var cancel = new CancellationTokenSource();
        var big = budget.AdmitAsync(90, cancel.Token);
        var small = budget.AdmitAsync(30);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big);
        await small;
        Assert.Equal(90, budget.UsedBytes);
    }
}
