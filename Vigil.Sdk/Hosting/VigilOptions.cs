namespace Vigil.Sdk;

/// <summary>
/// Settings of a <see cref="VigilClient"/>. Endpoint, ApiKey and ProjectId default to the environment variables
/// <c>VIGIL_ENDPOINT</c>, <c>VIGIL_API_KEY</c> and <c>VIGIL_PROJECT_ID</c>. Checked by <see cref="Validate"/> when a
/// client is constructed; a bad value throws an <see cref="ArgumentException"/> that names the option.
/// </summary>
public sealed class VigilOptions
{
    public const string SectionName = "Vigil";

    /// <summary>Base URL of the Vigil server, e.g. <c>http://localhost:5000</c>; spans go to <c>{Endpoint}/v1/traces</c>.</summary>
    public string? Endpoint { get; set; } = Environment.GetEnvironmentVariable("VIGIL_ENDPOINT");

    /// <summary>Project API key, sent as <c>Authorization: Bearer</c>.</summary>
    public string? ApiKey { get; set; } = Environment.GetEnvironmentVariable("VIGIL_API_KEY");

    /// <summary>Optional; sent as <c>project_id</c> so the server can check the key belongs to it.</summary>
    public string? ProjectId { get; set; } = Environment.GetEnvironmentVariable("VIGIL_PROJECT_ID");

    /// <summary>When false spans are still created (so code runs the same) but nothing is queued or sent.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Spans per POST (1–1000; the server accepts at most 1000).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Longest time a finished span waits before it is sent.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Spans kept in memory while waiting or retrying; beyond it new spans are dropped and counted.</summary>
    public int MaxQueueSize { get; set; } = 10_000;

    internal const int MaxQueueSizeLimit = 1 << 24;

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts after the first before a batch is given up (counted as dropped).</summary>
    public int MaxRetries { get; set; } = 10;

    /// <summary>Extra HTTP headers on every export request.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest serialized input/output (bytes) sent per span; larger values are cut with a visible marker.</summary>
    public int MaxFieldBytes { get; set; } = 64 * 1024;

    /// <summary>Time <see cref="VigilClient.DisposeAsync"/> and host shutdown may spend delivering queued spans.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    // Test and benchmark hooks, not part of the public contract.
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    internal TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
    internal TimeSpan DropLogInterval { get; set; } = TimeSpan.FromSeconds(10);
    internal Export.IVigilTransport? Transport { get; set; }
    // Replaces the socket handler under the real HTTP transport, so benchmarks run the whole POST path without network.
    internal HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        if (Enabled)
        {
            if (string.IsNullOrWhiteSpace(Endpoint))
                throw Bad(nameof(Endpoint), "is required when Enabled (set Vigil:Endpoint or VIGIL_ENDPOINT)");
            if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw Bad(nameof(Endpoint), $"must be an absolute http(s) URL (was '{Endpoint}')");
            if (string.IsNullOrWhiteSpace(ApiKey) && Transport is null)
                throw Bad(nameof(ApiKey), "is required when Enabled (set Vigil:ApiKey or VIGIL_API_KEY)");
        }
        if (BatchSize is < 1 or > 1000) throw Bad(nameof(BatchSize), $"must be between 1 and 1000 (was {BatchSize})");
        if (FlushInterval <= TimeSpan.Zero) throw Bad(nameof(FlushInterval), $"must be positive (was {FlushInterval})");
        // The queue's slot array is allocated up front, rounded up to a power of two (8 bytes a slot): above 2^30
        // the array cannot be created at all, so cap it where the array stays at 128 MB.
        if (MaxQueueSize is < 1 or > MaxQueueSizeLimit)
            throw Bad(nameof(MaxQueueSize), $"must be between 1 and {MaxQueueSizeLimit} (was {MaxQueueSize})");
        if (Timeout <= TimeSpan.Zero) throw Bad(nameof(Timeout), $"must be positive (was {Timeout})");
        if (MaxRetries < 0) throw Bad(nameof(MaxRetries), $"must be 0 or more (was {MaxRetries})");
        if (MaxFieldBytes < 256) throw Bad(nameof(MaxFieldBytes), $"must be at least 256 (was {MaxFieldBytes})");
        if (ShutdownTimeout < TimeSpan.Zero) throw Bad(nameof(ShutdownTimeout), $"must not be negative (was {ShutdownTimeout})");
        if (ProjectId is { Length: > 128 }) throw Bad(nameof(ProjectId), "must be at most 128 characters");
        foreach (var (name, _) in Headers)
        {
            if (string.IsNullOrWhiteSpace(name)) throw Bad(nameof(Headers), "contains an empty header name");
        }
    }

    internal VigilOptions Clone()
    {
        var copy = (VigilOptions)MemberwiseClone();
        copy.Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        return copy;
    }

    private static ArgumentException Bad(string option, string problem) =>
        new($"VigilOptions.{option} {problem}.", option);
}
