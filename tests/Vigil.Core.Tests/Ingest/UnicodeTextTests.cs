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

    [Theory]
    [InlineData("""{"a":"M\u00fcnchen"}""", """{"a":"München"}""")]
    [InlineData("""{"\u00e9":"\u6771\u4eac"}""", """{"é":"東京"}""")]
    [InlineData("""{"a":"\ud83d\ude00 pair"}""", """{"a":"😀 pair"}""")]
    [InlineData("""{"a":"\\u00e9 an escaped backslash, then text"}""", """{"a":"\\u00e9 an escaped backslash, then text"}""")]
    [InlineData("""{"a":"\\\u00e9"}""", """{"a":"\\é"}""")]
    [InlineData("""{"a":"\u0022\u0041\n\u001f"}""", """{"a":"\u0022\u0041\n\u001f"}""")]
    [InlineData("""{"a":"\ud800 lone \udc00"}""", """{"a":"\ud800 lone \udc00"}""")]
    [InlineData("""{"a":"\ud83d\u0041"}""", """{"a":"\ud83d\u0041"}""")]
    [InlineData("""{"a":"plain"}""", """{"a":"plain"}""")]
    public void Non_ascii_escapes_become_characters_and_the_value_stays_the_same(string json, string expected)
    {
        var unescaped = UnicodeText.UnescapeNonAscii(json);
        Assert.Equal(expected, unescaped);
        if (UnicodeText.IsValidJson(json))
            Assert.True(System.Text.Json.JsonElement.DeepEquals(System.Text.Json.JsonDocument.Parse(json).RootElement,
                System.Text.Json.JsonDocument.Parse(unescaped).RootElement));
    }
}
