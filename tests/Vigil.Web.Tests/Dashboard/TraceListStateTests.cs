using Vigil.Core.Traces;
using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Dashboard;

public class TraceListStateTests
{
    private static TraceListState Parse(Dictionary<string, string> query) => TraceListState.Parse(k => query.GetValueOrDefault(k));

    [Fact]
    public void Round_trips_through_query_parameters()
    {
        var state = new TraceListState
        {
            Status = "error", Name = "agent", Model = "gpt-4o", Q = "Paris", Errors = true, Range = TimeRange.Custom,
            From = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), To = new DateTimeOffset(2026, 1, 2, 12, 30, 0, TimeSpan.Zero),
            Sort = TraceSort.Cost, Descending = false, Page = 3, PageSize = 100,
        };
        var query = state.ToQueryParameters().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
        Assert.Equal("cost_asc", query["sort"]);
        Assert.Equal("4", query["page"]); // one-based in the URL
        Assert.Equal(state, Parse(query));
    }

    [Fact]
    public void Defaults_are_left_out_of_the_url()
    {
        Assert.All(new TraceListState().ToQueryParameters().Values, Assert.Null);
    }

    [Fact]
    public void Malformed_values_fall_back_to_defaults()
    {
        var state = Parse(new() { ["status"] = "<b>", ["sort"] = "nonsense", ["page"] = "-2", ["size"] = "7", ["range"] = "1y", ["errors"] = "maybe" });
        Assert.Equal(new TraceListState(), state);
    }

    [Fact]
    public void A_preset_range_is_relative_to_now_and_pages_become_offsets()
    {
        var now = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var q = Parse(new() { ["range"] = "1h", ["page"] = "3", ["sort"] = "-duration" }).ToQuery(now);
        Assert.Equal(now.AddHours(-1), q.StartDate);
        Assert.Null(q.EndDate);
        Assert.Equal(100, q.Offset);
        Assert.Equal(TraceSort.Duration, q.Sort);
        Assert.True(q.Descending);
    }
}
