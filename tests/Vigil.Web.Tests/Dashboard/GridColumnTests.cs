using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Vigil.Core.Traces;
using Vigil.Tests;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Dashboard;

/// <summary>
/// A MudBlazor <c>PropertyColumn</c> compiles its <c>Property</c> expression (Reflection.Emit) whenever it receives one it
/// has not seen, and an inline lambda in Razor is a new expression tree at every render: on a live grid that was five
/// compilations a refresh, plus a finalizer thread busy collecting them (14 % of the server's samples in the soak). The
/// grids pass the cached expressions of their row types instead; this keeps new columns from bringing the lambda back.
/// </summary>
public partial class GridColumnTests
{
    [Fact]
    public void Property_columns_take_cached_expressions_not_inline_lambdas()
    {
        var web = Path.Combine(Repository.Root, "Vigil.Web");
        var razorFiles = Directory.GetFiles(web, "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToList();
        var columns = razorFiles.SelectMany(f => PropertyColumn().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Tag: m.Value))).ToList();

        Assert.NotEmpty(columns); // the trace list, sessions and users grids have sortable property columns
        var inline = columns.Where(c => c.Tag.Contains("=>")).Select(c => $"{c.File}: {c.Tag}").ToList();
        Assert.True(inline.Count == 0, "PropertyColumn with an inline lambda (use a static readonly expression):\n" + string.Join("\n", inline));
    }

    [Fact]
    public void The_cached_expressions_name_the_properties_the_sorts_map()
    {
        Assert.Equal(TraceSort.Duration, TraceRow.SortOf(PropertyName(TraceRow.ByDurationMs)));
        Assert.Equal(TraceSort.Cost, TraceRow.SortOf(PropertyName(TraceRow.ByCostUsd)));
        Assert.Equal(TraceSort.Tokens, TraceRow.SortOf(PropertyName(TraceRow.ByTokens)));
        Assert.Equal(TraceSort.SpanCount, TraceRow.SortOf(PropertyName(TraceRow.BySpanCount)));
        Assert.Equal(TraceSort.StartTime, TraceRow.SortOf(PropertyName(TraceRow.ByStartTimeUs)));
    }

    private static string PropertyName<T, TP>(Expression<Func<T, TP>> e) =>
        ((MemberExpression)e.Body).Member.Name;

    [GeneratedRegex("<PropertyColumn\\b[^>]*?\\sProperty=\"[^\"]*\"", RegexOptions.Singleline)]
    private static partial Regex PropertyColumn();
}
