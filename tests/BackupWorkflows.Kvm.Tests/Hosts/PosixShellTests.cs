using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Tests.Hosts;

public sealed class PosixShellTests
{
    public static TheoryData<string> AwkwardArguments => new()
    {
        "",
        " ",
        "plain",
        "two words",
        "  leading and trailing  ",
        "it's",
        "'",
        "''",
        "'''",
        "\"double\"",
        "$HOME",
        "${PATH}",
        "$(id -u)",
        "`id -u`",
        "back\\slash",
        "\\",
        "line\nbreak",
        "\n",
        "tab\there",
        "carriage\rreturn",
        "*",
        "?[a-z]",
        "~",
        "~root",
        "a;b&&c||d|e>f<g",
        "#comment",
        "!history",
        "-n",
        "--",
        "naïve — 日本語 🎉",
        "%s\\0",
        "{a,b}",
        "x=1",
    };

    [Fact]
    [Trait("Category", "Unit")]
    public void Quote_PlainWord_IsWrappedInSingleQuotes() => Assert.Equal("'plain'", PosixShell.Quote("plain"));

    [Fact]
    [Trait("Category", "Unit")]
    public void Quote_Empty_IsAnEmptyQuotedWord() => Assert.Equal("''", PosixShell.Quote(""));

    [Fact]
    [Trait("Category", "Unit")]
    public void Quote_SingleQuote_IsClosedEscapedAndReopened() => Assert.Equal("'it'\\''s'", PosixShell.Quote("it's"));

    [Fact]
    [Trait("Category", "Unit")]
    public void Quote_DollarBacktickNewline_AreLeftLiteralInsideQuotes() =>
        Assert.Equal("'$x `y`\nz'", PosixShell.Quote("$x `y`\nz"));

    [Fact]
    [Trait("Category", "Unit")]
    public void Quote_Nul_IsRejected() => Assert.Throws<ArgumentException>(() => PosixShell.Quote("a\0b"));

    [Fact]
    [Trait("Category", "Unit")]
    public void Join_QuotesEachArgumentSeparately() =>
        Assert.Equal("'printf' '%s' 'a b' ''", PosixShell.Join(["printf", "%s", "a b", ""]));

    [Theory]
    [MemberData(nameof(AwkwardArguments))]
    public async Task Join_RealShellReadsBackEachArgumentUnchanged(string awkward)
    {
        // A real /bin/sh (dash) parses the line: the strongest check that quoting is right.
        string[] arguments = ["printf", "%s\\0", awkward, "after", awkward];
        var line = PosixShell.Join(arguments);
        await using var shell = new LocalHostShell();

        var result = await shell.RunAsync(["sh", "-c", line]);

        Assert.Equal(new[] { awkward, "after", awkward }, result.StandardOutput.Split('\0')[..^1]);
    }

    [Fact]
    public async Task Join_BashReadsBackAllAwkwardArgumentsAtOnce()
    {
        var all = AwkwardArguments.Cast<object[]>().Select(row => (string)row[0]).ToArray();
        await using var shell = new LocalHostShell();

        var result = await shell.RunAsync(["bash", "-c", PosixShell.Join(["printf", "%s\\0", .. all])]);

        Assert.Equal(all, result.StandardOutput.Split('\0')[..^1]);
    }
}
