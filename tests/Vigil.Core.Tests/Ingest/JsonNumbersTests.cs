using Vigil.Core.Ingest;

namespace Vigil.Core.Tests.Ingest;

public class JsonNumbersTests
{
    [Theory]
    [InlineData("""{"a":1,"b":-2.5e10,"c":[true,false,null],"d":"1e999999"}""")]
    [InlineData("""{"big":1E+100000,"small":2.0e-100000}""")]
    [InlineData("""[0.5e3, 12345678901234567890123456789]""")]
    public void Numbers_any_store_keeps_pass(string json) => Assert.True(JsonNumbers.FitEveryStore(json));

    [Theory]
    [InlineData("""{"x":1e999999}""")]
    [InlineData("""{"x":[1, 2.5E-100001]}""")]
    [InlineData("""{"x":"e","y":9e+18446744073709551617}""")]
    public void A_number_past_what_jsonb_holds_is_caught(string json) => Assert.False(JsonNumbers.FitEveryStore(json));

    [Fact]
    public void A_hundred_thousand_and_one_digits_are_caught() =>
        Assert.False(JsonNumbers.FitEveryStore("[" + new string('7', JsonNumbers.MaxDigits + 1) + "]"));
}
