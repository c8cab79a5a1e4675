using Xunit;

namespace BackupWorkflows.Testing.Guests;

/// <summary>
/// One booted <see cref="TestGuest"/> shared by a test collection (booting under TCG takes seconds;
/// share it where tests can). Derive to change <see cref="Options"/> or the name.
/// </summary>
public class TestGuestFixture : IAsyncLifetime
{
    private TestGuest? _guest;

    /// <summary>The guest; available once the fixture is initialized.</summary>
    public TestGuest Guest => _guest ?? throw new InvalidOperationException("The guest fixture is not initialized.");

    /// <summary>Short name used in the domain name.</summary>
    protected virtual string Name => "shared";

    /// <summary>How the guest is made. Default: 64 MiB vda and a 32 MiB vdb.</summary>
    protected virtual TestGuestOptions Options => new() { DataDiskMiB = 32 };

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _guest = await TestGuest.CreateAsync(Name, Options);

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_guest is not null)
        {
            await _guest.DisposeAsync();
        }
    }
}
