namespace Vigil.Core.Alerting.Monitors;

/// <summary>
/// Exact quantiles without sorting: selection (expected linear time) for the two order statistics the linear
/// interpolation needs, the same definition as <see cref="Drift.Psi.QuantileOfSorted"/> ((n − 1)·q between neighbours).
/// Reorders <c>values</c> in place; several quantiles of one array may be taken one after the other.
/// </summary>
internal static class Quantile
{
    public static double Of(double[] values, double q)
    {
        var n = values.Length;
        if (n == 0) throw new ArgumentException("no values", nameof(values));
        if (n == 1) return values[0];
        var h = (n - 1) * q;
        var lo = (int)Math.Floor(h);
        var a = Select(values, lo);
        if (lo + 1 >= n) return a;
        // After selecting lo, everything right of it is at least as large: its minimum is the (lo + 1)-th value.
        var b = double.PositiveInfinity;
        for (var i = lo + 1; i < n; i++) if (values[i] < b) b = values[i];
        return a + (h - lo) * (b - a);
    }

    /// <summary>The k-th smallest (0-based); afterwards values[k] holds it, smaller ones are left of it, larger right.</summary>
    internal static double Select(double[] values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (right > left)
        {
            // Median of three as the pivot keeps sorted and reversed inputs linear.
            var mid = left + (right - left) / 2;
            if (values[mid] < values[left]) Swap(values, mid, left);
            if (values[right] < values[left]) Swap(values, right, left);
            if (values[right] < values[mid]) Swap(values, right, mid);
            var pivot = values[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) Swap(values, i++, j--);
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return values[k];
        }
        return values[k];
    }

    private static void Swap(double[] a, int i, int j) => (a[i], a[j]) = (a[j], a[i]);
}
