using BackupWorkflows.Engine.Triggers;
using BackupWorkflows.Server.Schedules;

namespace BackupWorkflows.Server.Tests.Schedules;

[Trait("Category", "Unit")]
public sealed class ScheduleCronTests
{
    [Theory]
    [InlineData("hourly", "0 0 * * * ?")]
    [InlineData("@daily", "0 0 0 * * ?")]
    [InlineData("weekly", "0 0 0 ? * SUN")]
    [InlineData("monthly", "0 0 0 1 * ?")]
    [InlineData("30 2 * * *", "0 30 2 * * ?")]
    [InlineData("0 3 * * 1-5", "0 0 3 ? * 2-6")]
    [InlineData("0 3 * * 0,6", "0 0 3 ? * 1,7")]
    [InlineData("*/15 * * * MON", "0 */15 * ? * MON")]
    [InlineData("0 4 1 * *", "0 0 4 1 * ?")]
    [InlineData("*/5 * * * * ?", "*/5 * * * * ?")]
    public void Parse_TurnsUserFormsIntoQuartzCron(string text, string expected)
    {
        var (quartz, error) = ScheduleCron.Parse(text);
        Assert.Null(error);
        Assert.Equal(expected, quartz);
    }

    [Theory]
    [InlineData("")]
    [InlineData("every day")]
    [InlineData("61 * * * *")]
    [InlineData("0 3 1 * 1")]
    [InlineData("* * * *")]
    [InlineData("0 0 25 * * ?")]
    [InlineData("0 0 0 30 2 ?")]
    [InlineData("0 0 0 1 1 ? 2001")]
    public void Parse_RejectsBadExpressions(string text)
    {
        var (quartz, error) = ScheduleCron.Parse(text);
        Assert.Null(quartz);
        Assert.NotNull(error);
    }

    [Fact]
    public void Read_GivesQuartzAndZone_UtcWithoutOne_AndEveryProblemByInput()
    {
        var utc = ScheduleCron.Read("daily", null);
        Assert.True(utc.IsValid);
        Assert.Equal(("0 0 0 * * ?", TimeZoneInfo.Utc), (utc.Quartz, utc.Zone));
        Assert.Equal("Europe/Berlin", ScheduleCron.Read("30 2 * * *", "Europe/Berlin").Zone!.Id);

        var bad = ScheduleCron.Read("every day", "Mars/Olympus");
        Assert.False(bad.IsValid);
        Assert.Equal((null, null), (bad.Quartz, bad.Zone));
        Assert.Equal(["cron", "timeZone"], bad.Problems.Select(p => p.Input));
        Assert.Contains("'Mars/Olympus' is not a known time zone", bad.Problems[1].Problem);
        Assert.Equal("timeZone", Assert.Single(ScheduleCron.Read("daily", "").Problems).Input);
    }
}
