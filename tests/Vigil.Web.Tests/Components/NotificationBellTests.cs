using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using Vigil.Web.Components.Shared;
using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Components;

public class NotificationBellTests : VigilComponentTest
{
    [Fact]
    public async Task The_unread_count_follows_new_notifications_live_and_clears_on_read_all()
    {
        var notifications = Services.GetRequiredService<NotificationService>();
        await notifications.CreateAsync("p1", NotificationType.ReplayComplete, "Replay finished", null, "r1");
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<NotificationBell>();
        cut.WaitForAssertion(() => Assert.Contains(">1<", cut.Find("[data-testid=notification-count]").OuterHtml.Replace(" ", "")));

        await notifications.CreateAsync("p1", NotificationType.DriftAlert, "Latency drift on llm", "PSI 0.42", "7");
        cut.WaitForAssertion(() => Assert.Contains(">2<", cut.Find("[data-testid=notification-count]").OuterHtml.Replace(" ", "")), TimeSpan.FromSeconds(5));

        await notifications.MarkAllReadAsync("p1");
        Assert.Equal(0, await notifications.UnreadCountAsync("p1"));
        await notifications.CreateAsync("p1", NotificationType.ReplayFailed, "Replay failed", null, "r2");
        cut.WaitForAssertion(() => Assert.Contains(">1<", cut.Find("[data-testid=notification-count]").OuterHtml.Replace(" ", "")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Disposing_the_bell_unsubscribes()
    {
        var feed = Services.GetRequiredService<LiveFeed>();
        var cut = Render<NotificationBell>();
        // It subscribes once it has resolved its project (a database read).
        cut.WaitForAssertion(() => Assert.Equal(1, feed.SubscriberCount), TimeSpan.FromSeconds(10));
        await DisposeComponentsAsync();
        Assert.Equal(0, feed.SubscriberCount);
    }
}
