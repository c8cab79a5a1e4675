namespace BackupWorkflows.Server.Hosting;

/// <summary>
/// Where the server's configuration comes from, lowest precedence first: <c>appsettings.json</c> next to the
/// program (the shipped logging levels), the optional file named by <c>--config FILE</c> (or <c>BWF_CONFIG</c>),
/// the <c>BWF_</c> environment variables, then the command line.
/// </summary>
/// <remarks>
/// The content root is the program's directory (see Program.cs), not the working directory, so the shipped
/// <c>appsettings.json</c> is found wherever the server is started from; the working directory only resolves
/// relative paths such as the default <c>--data ./data</c>. The console log needs nothing here for scripts:
/// .NET's console logger writes no colour codes when its output is not a terminal or when <c>NO_COLOR</c> is set.
/// </remarks>
public static class ConfigurationSources
{
    /// <summary>Adds the configuration file (when named), the <c>BWF_</c> variables and the command line again so they win.</summary>
    /// <exception cref="InvalidOperationException">The named configuration file does not exist.</exception>
    public static WebApplicationBuilder AddServerConfigurationSources(this WebApplicationBuilder builder, string[] args)
    {
        var named = new ConfigurationBuilder().AddEnvironmentVariables("BWF_").AddCommandLine(args).Build()["config"];
        if (!string.IsNullOrWhiteSpace(named))
        {
            var file = Path.GetFullPath(named);
            if (!File.Exists(file)) throw new InvalidOperationException($"--config: the configuration file '{file}' does not exist.");
            builder.Configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
        }
        builder.Configuration.AddEnvironmentVariables("BWF_").AddCommandLine(args);
        builder.WebHost.UseUrls(builder.Configuration["urls"] is { Length: > 0 } urls ? urls : ServerConfiguration.DefaultUrls);
        return builder;
    }
}
