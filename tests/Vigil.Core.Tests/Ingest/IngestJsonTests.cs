using System.Text;
using Vigil.Core.Ingest;

namespace Vigil.Core.Tests.Ingest;

public class IngestJsonTests
{
    [Fact]
    public void A_truncated_body_is_invalid_json_not_a_depth_error()
    {
        var ex = Assert.Throws<IngestFormatException>(() => IngestJson.Parse(Encoding.UTF8.GetBytes("""{"spans":[{"span_id":"""), new IngestOptions()));
        Assert.Null(ex.Limit);
        Assert.StartsWith("The body is not valid JSON", ex.Message);
    }

    [Fact]
    public void Too_deep_names_the_limit()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 10)) + string.Concat(Enumerable.Repeat("]", 10));
        var ex = Assert.Throws<IngestFormatException>(() => IngestJson.Parse(Encoding.UTF8.GetBytes(deep), new IngestOptions { MaxJsonDepth = 5 }));
        Assert.Equal("Vigil:Ingest:MaxJsonDepth", ex.Limit);
    }
}
