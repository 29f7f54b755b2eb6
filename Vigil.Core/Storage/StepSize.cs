namespace Vigil.Core.Storage;

/// <summary>
/// The size of the next step of work that holds the write gate (history deletion, index compaction and merges, vacuum),
/// from how long the last one took: scaled down to the target when it took longer, doubled when it took under half.
/// </summary>
internal static class StepSize
{
    public static int Next(int size, double ms, double targetMs, int min, int max) =>
        ms > targetMs ? Math.Max(min, (int)(size * targetMs / ms)) : ms < targetMs / 2 ? Math.Min(max, size * 2) : size;
}
