using Vigil.Core.Projects;

namespace Vigil.Core.Tests.Projects;

public class ProjectSlugTests
{
    [Theory]
    [InlineData("Support bot", "support-bot")]
    [InlineData("  Café Ünïcode!! ", "cafe-unicode")]
    [InlineData("RAG_pipeline v2", "rag-pipeline-v2")]
    [InlineData("日本語", "project")]
    [InlineData("---", "project")]
    public void A_name_becomes_a_valid_id(string name, string expected)
    {
        Assert.Equal(expected, ProjectSlug.From(name));
        Assert.True(ProjectSlug.IsValid(ProjectSlug.From(name)));
    }

    [Fact]
    public void A_long_name_leaves_room_for_a_suffix()
    {
        var slug = ProjectSlug.From(new string('a', 300));
        Assert.True(slug.Length <= ProjectSlug.MaxLength - 7);
        Assert.True(ProjectSlug.IsValid(slug + "-123456"));
    }

    [Fact]
    public async Task Names_that_derive_the_same_id_get_numbered_ids()
    {
        await using var host = await CoreTestHost.StartAsync();
        var projects = host.Get<ProjectService>();
        Assert.Equal("support-bot", (await projects.CreateFromNameAsync("Support bot", null)).Project.Id);
        Assert.Equal("support-bot-2", (await projects.CreateFromNameAsync("Support Bot!", null)).Project.Id);
        Assert.Equal("support-bot-3", (await projects.CreateFromNameAsync("support bot", "third")).Project.Id);
    }

    [Fact]
    public async Task Creating_a_taken_id_throws_ProjectExistsException()
    {
        await using var host = await CoreTestHost.StartAsync();
        await Assert.ThrowsAsync<ProjectExistsException>(() => host.Get<ProjectService>().CreateAsync("p1", "again", null));
    }
}
