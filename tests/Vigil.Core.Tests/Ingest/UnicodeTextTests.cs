using Vigil.Core.Ingest;

namespace Vigil.Core.Tests.Ingest;

/// <summary>Found by fuzzing on PostgreSQL: an escaped lone surrogate in a payload was stored on SQLite and a 500 on PostgreSQL.</summary>
public class UnicodeTextTests
{
    [Theory]
    [InlineData("""{"a":"plain"}""")]
    [InlineData("""{"a":"\ud83d\ude00 pair escaped"}""")]
    [InlineData("""{"a":"😀 pair raw"}""")]
    [InlineData("""{"a":"\\ud800 an escaped backslash, then text"}""")]
    [InlineData("""{"a":"\n\t\" \u00e9"}""")]
    [InlineData("""{"a":"ends in a backslash escape \\"}""")]
    public void Valid_text_passes(string json) => Assert.True(UnicodeText.IsValidJson(json));

    [Theory]
    [InlineData("""{"a":"\ud800"}""")]
    [InlineData("""{"a":"\udc00"}""")]
    [InlineData("""{"a":"\ud800x"}""")]
    [InlineData("""{"a":"\ud800\u0041"}""")]
    [InlineData("""{"a":"\ude00\ud83d"}""")]
    public void Lone_surrogates_escaped_fail(string json) => Assert.False(UnicodeText.IsValidJson(json));

    [Fact]
    public void Lone_surrogates_raw_fail()
    {
        Assert.False(UnicodeText.IsValidJson("{\"a\":\"" + '\ud800' + "\"}"));
        Assert.False(UnicodeText.IsValidJson("{\"a\":\"" + '\udc00' + "x\"}"));
        Assert.False(UnicodeText.IsValidJson("{\"a\":\"" + '\ud800' + "\\n\"}"));
    }
}
