using System.Text;
using Vigil.Web.Api;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>What the API body guard refuses before an endpoint binds a body (each found by <see cref="ApiBodyFuzzTests"/>).</summary>
public class JsonBodyGuardTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"c":2},"d":[{"c":3},{"c":4}]}""", null)]
    [InlineData("""{"a":1,"a":2}""", "twice")]
    [InlineData("""{"m":{"s1":{"max_tokens":15,"max_tokens":10}}}""", "twice")]
    [InlineData("""{"a":"\ud800"}""", "not valid Unicode")]
    [InlineData("""{"a":""", "not valid JSON")]
    public void Refuses_what_an_endpoint_could_not_read(string body, string? problem)
    {
        var found = JsonBodyGuard.Problem(Encoding.UTF8.GetBytes(body));
        if (problem is null) Assert.Null(found);
        else Assert.Contains(problem, found);
    }
}
