namespace Vigil.Core.Ingest;

/// <summary>
/// The rollup of a trace created by the batch being written, summed from its spans' merged rows as the upserts
/// return them. A trace created by this batch has no other spans (spans need their trace row), so this equals what
/// the provider's refresh from all stored spans would compute, without reading the spans back. It mirrors that SQL: root
/// span = earliest span without a parent (first written on ties); models distinct and sorted; sums compensated
/// like SQLite's SUM.
/// </summary>
internal sealed class TraceRollup
{
    private readonly HashSet<string> _spanIds = new(StringComparer.Ordinal);
    private SortedSet<string>? _models; // most traces' spans name no model: allocated on the first one
    private double _cost, _costCompensation;
    private long _rootStartUs = long.MaxValue;

    /// <summary>False once a span id came twice in the batch: its rows were merged, so the SQL refresh must run.</summary>
    public bool Usable { get; private set; } = true;

    public int SpanCount => _spanIds.Count;
    public int ErrorCount { get; private set; }
    public long InputTokens { get; private set; }
    public long OutputTokens { get; private set; }
    public double CostUsd => _cost + _costCompensation;
    public long StartUs { get; private set; } = long.MaxValue;
    public long? EndUs { get; private set; }
    public double? DurationMs => EndUs is { } end ? (end - StartUs) / 1000.0 : null;
    public string? Models => _models is null ? null : string.Join(',', _models);
    public string? RootName { get; private set; }
    public string? RootStatus { get; private set; }

    /// <summary>Whether a span id came earlier in the batch (then that span is stored and this one updates it).</summary>
    public bool Contains(string spanId) => _spanIds.Contains(spanId);

    public void Add(string spanId, string? parentSpanId, string name, string status, long startUs, long? endUs,
        string? model, long? inputTokens, long? outputTokens, double? costUsd)
    {
        if (!_spanIds.Add(spanId)) { Usable = false; return; }
        if (status == Traces.SpanStatus.Error) ErrorCount++;
        InputTokens += inputTokens ?? 0;
        OutputTokens += outputTokens ?? 0;
        if (costUsd is { } c) AddCost(c);
        if (startUs < StartUs) StartUs = startUs;
        if (endUs is { } e && (EndUs is null || e > EndUs)) EndUs = e;
        if (model is not null) (_models ??= new SortedSet<string>(StringComparer.Ordinal)).Add(model);
        if (parentSpanId is null && startUs < _rootStartUs)
        {
            _rootStartUs = startUs;
            RootName = name;
            RootStatus = status;
        }
    }

    // Neumaier summation, as SQLite's SUM does, so both rollup paths agree to the last bit on typical inputs.
    private void AddCost(double value)
    {
        var t = _cost + value;
        _costCompensation += Math.Abs(_cost) >= Math.Abs(value) ? (_cost - t) + value : (value - t) + _cost;
        _cost = t;
    }
}
