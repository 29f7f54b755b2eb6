namespace Vigil.Core.Drift;

/// <summary>
/// A PSI score with the bins it was computed over. <see cref="Edges"/> has one more entry than the share arrays:
/// bin i spans Edges[i]..Edges[i+1]. Shares include the epsilon (they are what entered the sum).
/// </summary>
public sealed record PsiResult(double Score, double[] Edges, double[] BaselineShares, double[] CurrentShares)
{
    public static readonly PsiResult Empty = new(0, [], [], []);
}
