namespace Vigil.Sdk.Tracing;

/// <summary>Marks an interface method to run in a new trace when called through <see cref="VigilProxy"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class TraceAttribute : Attribute
{
    /// <summary>Trace name; defaults to the method name.</summary>
    public string? Name { get; set; }

    /// <summary>Record the arguments as input and the result as output (default true).</summary>
    public bool Capture { get; set; } = true;
}

/// <summary>Marks an interface method to run in a new span when called through <see cref="VigilProxy"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class SpanAttribute : Attribute
{
    public string? Name { get; set; }
    public SpanKind Kind { get; set; } = SpanKind.Custom;

    /// <summary>Record the arguments as input and the result as output (default true).</summary>
    public bool Capture { get; set; } = true;
}
