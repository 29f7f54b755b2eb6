using System.Text.RegularExpressions;

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
        var web = Path.Combine(RepoRoot(), "Vigil.Web");
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
        Assert.Equal(Vigil.Core.Traces.TraceSort.Duration, Vigil.Web.Components.Traces.TraceRow.SortOf(PropertyName(Vigil.Web.Components.Traces.TraceRow.ByDurationMs)));
        Assert.Equal(Vigil.Core.Traces.TraceSort.Cost, Vigil.Web.Components.Traces.TraceRow.SortOf(PropertyName(Vigil.Web.Components.Traces.TraceRow.ByCostUsd)));
        Assert.Equal(Vigil.Core.Traces.TraceSort.Tokens, Vigil.Web.Components.Traces.TraceRow.SortOf(PropertyName(Vigil.Web.Components.Traces.TraceRow.ByTokens)));
        Assert.Equal(Vigil.Core.Traces.TraceSort.SpanCount, Vigil.Web.Components.Traces.TraceRow.SortOf(PropertyName(Vigil.Web.Components.Traces.TraceRow.BySpanCount)));
        Assert.Equal(Vigil.Core.Traces.TraceSort.StartTime, Vigil.Web.Components.Traces.TraceRow.SortOf(PropertyName(Vigil.Web.Components.Traces.TraceRow.ByStartTimeUs)));
    }

    private static string PropertyName<T, TP>(System.Linq.Expressions.Expression<Func<T, TP>> e) =>
        ((System.Linq.Expressions.MemberExpression)e.Body).Member.Name;

    [GeneratedRegex("<PropertyColumn\\b[^>]*?\\sProperty=\"[^\"]*\"", RegexOptions.Singleline)]
    private static partial Regex PropertyColumn();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.sln"))) return dir.FullName;
        throw new InvalidOperationException("Vigil.sln not found above " + AppContext.BaseDirectory);
    }
}
