namespace Vigil.Core.Ingest;

/// <summary>The body could not be read as a batch at all (not JSON, too deep, too many spans). Maps to a 4xx.</summary>
public sealed class IngestFormatException(string message, string? limit = null) : Exception(message)
{
    /// <summary>The configuration key of the limit that was exceeded, when a limit was the cause.</summary>
    public string? Limit { get; } = limit;
}
