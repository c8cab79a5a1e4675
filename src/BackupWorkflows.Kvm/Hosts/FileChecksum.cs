namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// A file's checksum with the algorithm that made it, written <c>algorithm:hex</c>
/// (<c>blake3:…</c>, <c>sha256:…</c>). A bare 64-digit hex value is read as SHA-256, the form
/// recorded before algorithms were named.
/// </summary>
public sealed record FileChecksum(string Algorithm, string Hex)
{
    /// <summary>BLAKE3 (<c>b3sum</c>): cryptographic, multithreaded, about 5x faster than SHA-256 here.</summary>
    public const string Blake3 = "blake3";

    /// <summary>SHA-256 (<c>openssl dgst</c> or <c>sha256sum</c>): the fallback on hosts without b3sum.</summary>
    public const string Sha256 = "sha256";

    /// <summary>Reads <c>algorithm:hex</c>, or bare hex as SHA-256.</summary>
    /// <exception cref="FormatException">The text is neither.</exception>
    public static FileChecksum Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (algorithm, hex) = colon < 0 ? (Sha256, text) : (text[..colon], text[(colon + 1)..]);
        if (algorithm is not (Blake3 or Sha256))
            throw new FormatException($"checksum '{text}' names an unknown algorithm '{algorithm}' (known: {Blake3}, {Sha256})");
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new FormatException($"checksum '{text}' is not 64 hex digits after the algorithm");
        return new FileChecksum(algorithm, hex.ToLowerInvariant());
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Algorithm}:{Hex}";
}
