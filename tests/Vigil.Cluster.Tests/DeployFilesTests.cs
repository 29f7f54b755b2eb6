using YamlDotNet.RepresentationModel;

namespace Vigil.Tests.Cluster;

/// <summary>
/// deploy/compose.yaml cannot run here (no Docker): it parses, and holds the services and settings the README names.
/// Its nginx configuration runs for real in tests/Vigil.E2E.Tests/Cluster/ProxiedClusterTests.
/// </summary>
public class DeployFilesTests
{
    private static string Deploy(string file) => Path.Combine(VigilProcess.RepoRoot(), "deploy", file);

    [Fact]
    public void Compose_runs_postgres_redis_two_instances_and_a_proxy_with_the_cluster_settings()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Deploy("compose.yaml"))) yaml.Load(reader);
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        Assert.Equal(["postgres", "redis", "vigil-1", "vigil-2", "proxy"], services.Children.Keys.Select(k => k.ToString()));

        foreach (var name in new[] { "vigil-1", "vigil-2" })
        {
            var env = (YamlMappingNode)((YamlMappingNode)services[name])["environment"];
            string Setting(string key) => env[key].ToString();
            Assert.Equal("Postgres", Setting("Vigil__Database__Provider"));
            Assert.Equal("redis:6379", Setting("Vigil__Redis__ConnectionString"));
            Assert.StartsWith("Host=postgres;", Setting("ConnectionStrings__Vigil"));
            Assert.Equal("172.30.0.10", Setting("Vigil__ForwardedHeaders__KnownProxies__0"));
        }
        var build = (YamlMappingNode)((YamlMappingNode)services["vigil-1"])["build"];
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Deploy("compose.yaml"))!, build["context"].ToString(), build["dockerfile"].ToString())));

        var proxy = (YamlMappingNode)services["proxy"];
        Assert.Contains("./nginx/vigil.conf:/etc/nginx/conf.d/default.conf:ro", ((YamlSequenceNode)proxy["volumes"]).Select(v => v.ToString()));
        var address = ((YamlMappingNode)((YamlMappingNode)proxy["networks"])["vigil"])["ipv4_address"].ToString();
        Assert.Equal("172.30.0.10", address);

        var redis = ((YamlSequenceNode)((YamlMappingNode)services["redis"])["command"]).Select(c => c.ToString()).ToList();
        Assert.Equal(["redis-server", "--save", "", "--appendonly", "no"], redis);
    }

    [Fact]
    public void The_proxy_configuration_names_both_instances_sticks_by_cookie_and_upgrades_websockets()
    {
        var conf = File.ReadAllText(Deploy("nginx/vigil.conf"));
        Assert.Contains("server vigil-1:5000", conf);
        Assert.Contains("server vigil-2:5000", conf);
        Assert.Contains("hash $vigil_affinity consistent;", conf);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", conf);
        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", conf);
        Assert.Contains("EXPOSE 5000", File.ReadAllText(Deploy("Dockerfile")));
    }
}
