using Microsoft.AspNetCore.DataProtection;

namespace BackupWorkflows.Server.Hosting;

/// <summary>
/// Where ASP.NET Core Data Protection keeps its key ring: <c>DATA/data-protection-keys</c> (mode 0700,
/// key files 0600), not the user profile, so it moves and is backed up with the rest of the server's state.
/// </summary>
/// <remarks>
/// Nothing the server does depends on Data Protection today (API keys are random tokens checked by their
/// hash, event tickets are random tokens held in memory), but ASP.NET Core's authentication registers it
/// and creates a key at start. On Windows the key is encrypted with DPAPI. Linux has no DPAPI, and a
/// certificate or password kept next to the key ring would protect nothing from someone who can read the
/// data directory (which holds the database too), so the keys are stored unencrypted and the one warning
/// ASP.NET Core logs about that (XmlKeyManager, event 35) is not written: the Server README says why.
/// </remarks>
internal static class KeyRingSetup
{
    /// <summary>Folder of the key ring inside the data directory.</summary>
    public const string Folder = "data-protection-keys";

    /// <summary>Persists the key ring to the data directory (DPAPI-encrypted on Windows).</summary>
    public static WebApplicationBuilder AddKeyRingInDataDirectory(this WebApplicationBuilder builder, ServerConfiguration config)
    {
        var directory = Directory.CreateDirectory(Path.Combine(config.DataDirectory, Folder));
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName("BackupWorkflows")
            .PersistKeysToFileSystem(directory);
        if (OperatingSystem.IsWindows())
        {
            protection.ProtectKeysWithDpapi();
        }
        else
        {
            File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);
        }
        return builder;
    }
}
