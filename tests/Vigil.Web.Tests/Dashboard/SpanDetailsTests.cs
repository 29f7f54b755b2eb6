using Vigil.Web.Components.Traces;

namespace Vigil.Web.Tests.Dashboard;

public class SpanDetailsTests
{
    private const string ExceptionEvent = """[{"name":"exception","timestamp":"2027-01-15T08:00:01Z","attributes":{"exception.type":"PermissionError","exception.message":"denied","exception.stacktrace":"Traceback:\n  line 42"}}]""";

    [Fact]
    public void Metadata_error_message_takes_type_and_stack_from_the_exception_event()
    {
        var span = Spans.Make("s", null, 0, 10, status: "error", metadata: """{"error":"PermissionError: [Errno 13] Permission denied"}""", events: ExceptionEvent);
        var error = SpanDetails.From(span).Error!;
        Assert.Equal("PermissionError: [Errno 13] Permission denied", error.Message);
        Assert.Equal("PermissionError", error.Type);
        Assert.Equal("Traceback:\n  line 42", error.StackTrace);
    }

    [Fact]
    public void Events_have_offsets_from_the_span_start_and_readable_attributes()
    {
        var start = new DateTimeOffset(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
        var span = Spans.Make("s", null, 0, 10, events: ExceptionEvent);
        span.StartTimeUs = Vigil.Core.Storage.UnixMicros.From(start);
        var e = Assert.Single(SpanDetails.From(span).Events);
        Assert.Equal(1000, e.OffsetMs);
        Assert.Equal("Traceback:\n  line 42", e.Attribute("exception.stacktrace"));
    }

    [Fact]
    public void An_ok_span_has_no_error_and_pretty_json_keeps_unicode_readable()
    {
        var span = Spans.Make("s", null, 0, 10, output: """{"content":"21 °C \"quoted\""}""");
        var details = SpanDetails.From(span);
        Assert.Null(details.Error);
        Assert.Contains("21 °C \\\"quoted\\\"", SpanDetails.PrettyJson(details.Output));
    }
}
