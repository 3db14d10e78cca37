namespace Pipeline.Registry;

/// <summary>
/// Base of every error an image source raises. Messages are written to fit on one stderr line and name the
/// registry, repository or digest concerned, never a credential.
/// </summary>
public class RegistryException : Exception
{
    public RegistryException(string message)
        : base(message)
    {
    }

    public RegistryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The registry could not be reached: connection refused, unknown host, TLS failure or timeout.</summary>
public sealed class RegistryUnreachableException(string message, Exception? innerException = null)
    : RegistryException(message, innerException);

/// <summary>The registry refused the request (401 or 403), with or without credentials.</summary>
public sealed class RegistryAuthenticationException(string message) : RegistryException(message);

/// <summary>The manifest, tag, platform or blob does not exist (404, or missing from a layout or archive).</summary>
public sealed class ImageNotFoundException(string message) : RegistryException(message);

/// <summary>A manifest, config or layer has a media type the scanner does not understand.</summary>
public sealed class UnsupportedMediaTypeException(string mediaType, string message) : RegistryException(message)
{
    /// <summary>The media type that was not understood.</summary>
    public string MediaType { get; } = mediaType;
}

/// <summary>Content did not hash to the digest that names it.</summary>
public sealed class DigestMismatchException(string expected, string actual, string what)
    : RegistryException($"Digest mismatch for {what}: expected {expected}, got {actual}.")
{
    public string Expected { get; } = expected;

    public string Actual { get; } = actual;
}

/// <summary>The reference names a registry outside <see cref="RegistryOptions.AllowedRegistries"/>; raised before any network call.</summary>
public sealed class RegistryNotAllowedException(string registry)
    : RegistryException($"Registry '{registry}' is not in the list of allowed registries.")
{
    public string Registry { get; } = registry;
}

/// <summary>A manifest, index or config is malformed or inconsistent (for example diff_ids not matching layers).</summary>
public sealed class InvalidImageException(string message, Exception? innerException = null)
    : RegistryException(message, innerException);
