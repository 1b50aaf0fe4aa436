using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Workflows.Sweeps.StaleSsm;

namespace RunsFleet.Tests.Workflows.Sweeps.StaleSsm;

public class StaleSsmSweepResultTests
{
    [Fact]
    public void Adds_page_counts()
    {
        var page = new StaleSsmSweepPageResult
        {
            Listed = 50,
            StaleNames = ["/a/i-0abc1234/x", "/a/i-0abc1234/y"],
            Deleted = 1,
            AlreadyGone = 1,
            KeptYoung = 3,
            KeptInstanceAlive = 40,
            KeptNoTimestamp = 1,
            UnparseableNames = ["/a/odd"],
        };

        var total = new StaleSsmSweepResult().Add(page).Add(page);

        Assert.Equal(2, total.Pages);
        Assert.Equal(100, total.ParametersListed);
        Assert.Equal(4, total.StaleParameters);
        Assert.Equal(2, total.ParametersDeleted);
        Assert.Equal(2, total.AlreadyGone);
        Assert.Equal(6, total.KeptYoung);
        Assert.Equal(80, total.KeptInstanceAlive);
        Assert.Equal(2, total.KeptNoTimestamp);
        Assert.Equal(2, total.Unparseable);
        Assert.Equal(["/a/i-0abc1234/x", "/a/i-0abc1234/y", "/a/i-0abc1234/x", "/a/i-0abc1234/y"], total.StaleNames);
    }

    [Fact]
    public void Caps_name_lists_but_keeps_counting()
    {
        var names = Enumerable.Range(0, 50).Select(i => $"/p/i-{i:x8}/x").ToList();
        var page = new StaleSsmSweepPageResult { Listed = 50, StaleNames = names, UnparseableNames = names };

        var total = new StaleSsmSweepResult();
        for (var i = 0; i < 5; i++)
        {
            total = total.Add(page);
        }

        Assert.Equal(250, total.StaleParameters);
        Assert.Equal(250, total.Unparseable);
        Assert.Equal(StaleSsmSweepResult.MaxReportedNames, total.StaleNames.Count);
        Assert.Equal(StaleSsmSweepResult.MaxReportedNames, total.UnparseableNames.Count);
        Assert.Equal(names[0], total.StaleNames[0]);
    }
}
