namespace Pipeline.Analysis.Streams;

/// <summary>A layer could not be analyzed. The message is one line fit for stderr and the report.</summary>
public class LayerException : Exception
{
    public LayerException(string message)
        : base(message)
    {
    }

    public LayerException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The bytes read do not hash to the digest the manifest or config promised.</summary>
public sealed class LayerDigestMismatchException(string message) : LayerException(message);

/// <summary>A configured bound (decompressed size, entry count) was exceeded: the layer is refused.</summary>
public sealed class LayerLimitExceededException(string message) : LayerException(message);

/// <summary>The layer is not a readable tar in a known compression.</summary>
public sealed class CorruptLayerException(string message, Exception inner) : LayerException(message, inner);
