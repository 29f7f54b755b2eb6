using Vigil.Core.Traces;

namespace Vigil.Core.Tests.Traces;

public class TraceSortParserTests
{
    [Theory]
    [InlineData(null, TraceSort.StartTime, true)]
    [InlineData("start_time", TraceSort.StartTime, true)]
    [InlineData("start_time_asc", TraceSort.StartTime, false)]
    [InlineData("-duration", TraceSort.Duration, true)]
    [InlineData("cost:asc", TraceSort.Cost, false)]
    [InlineData("tokens_desc", TraceSort.Tokens, true)]
    [InlineData("name", TraceSort.Name, false)]
    public void Parses(string? value, TraceSort sort, bool desc)
    {
        Assert.True(TraceSortParser.TryParse(value, out var s, out var d));
        Assert.Equal((sort, desc), (s, d));
    }

    [Fact]
    public void Rejects_unknown_fields() => Assert.False(TraceSortParser.TryParse("banana", out _, out _));
}
