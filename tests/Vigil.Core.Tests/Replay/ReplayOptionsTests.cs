using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Core.Replay;

namespace Vigil.Core.Tests.Replay;

public class ReplayOptionsTests
{
    [Theory]
    [InlineData("Vigil:Replay:OpenAI:BaseUrl", "not a url", "Vigil:Replay:OpenAI:BaseUrl")]
    [InlineData("Vigil:Replay:Anthropic:BaseUrl", "ftp://x", "Vigil:Replay:Anthropic:BaseUrl")]
    [InlineData("Vigil:Replay:TimeoutSeconds", "0", "TimeoutSeconds")]
    [InlineData("Vigil:Replay:MaxRetries", "99", "MaxRetries")]
    public void Bad_settings_fail_validation_naming_the_setting(string key, string value, string named)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddVigilCore(config);
        services.AddVigilReplay(config);
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReplayOptions>>().Value);
        Assert.Contains(named, e.Message);
    }
}
