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
}
