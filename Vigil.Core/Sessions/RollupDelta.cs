namespace Vigil.Core.Sessions;

/// <summary>
/// What one write group changes in one session's or user's rollup: sums to add, the time range to widen, or
/// <see cref="Recompute"/> when a trace left or its time range shrank (a minimum or maximum cannot be taken back, so the
/// rollup is then read again from its traces).
/// </summary>
internal sealed class RollupDelta
{
    public int Traces;
    public int Errors;
    public int ErrorTraces;
    public long InputTokens;
    public long OutputTokens;
    public double CostUsd;
    public long FirstUs = long.MaxValue;
    public long LastUs = long.MinValue;
    /// <summary>For users: sessions gained or lost (from <see cref="SessionDeltas.Pairs"/> as applied).</summary>
    public int Sessions;
    public bool Recompute;

    public void Join(TraceState t)
    {
        Traces++;
        AddSums(t, 1);
        Widen(t);
    }

    public void Change(TraceState before, TraceState after)
    {
        AddSums(before, -1);
        AddSums(after, 1);
        Widen(after);
        if (after.StartUs > before.StartUs || after.LastUs < before.LastUs) Recompute = true;
    }

    private void AddSums(TraceState t, int sign)
    {
        Errors += sign * t.ErrorCount;
        ErrorTraces += sign * (t.ErrorCount > 0 ? 1 : 0);
        InputTokens += sign * t.InputTokens;
        OutputTokens += sign * t.OutputTokens;
        CostUsd += sign * t.CostUsd;
    }

    private void Widen(TraceState t)
    {
        if (t.StartUs < FirstUs) FirstUs = t.StartUs;
        if (t.LastUs > LastUs) LastUs = t.LastUs;
    }
}
