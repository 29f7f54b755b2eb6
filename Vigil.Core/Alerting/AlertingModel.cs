using Microsoft.EntityFrameworkCore;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Projects;

namespace Vigil.Core.Alerting;

/// <summary>The alerting tables: channels, the outbox and its deliveries with their attempts, monitors with samples and state changes.</summary>
internal static class AlertingModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<AlertChannel>(e =>
        {
            e.ToTable("alert_channels");
            e.HasKey(c => c.Id);
            e.Property(c => c.Name).HasMaxLength(ChannelInput.MaxNameLength);
            e.Property(c => c.Type).HasMaxLength(16);
            e.Property(c => c.UrlHint).HasMaxLength(300);
            e.Property(c => c.Severities).HasMaxLength(64);
            e.Property(c => c.Sources).HasMaxLength(64);
            e.Ignore(c => c.SeverityList);
            e.Ignore(c => c.SourceList);
            e.HasIndex(c => c.ProjectId);
            e.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<OutboxEntry>(e =>
        {
            e.ToTable("alert_outbox");
            e.HasKey(o => o.Id);
            e.Property(o => o.Source).HasMaxLength(16);
            e.Property(o => o.Level).HasMaxLength(16);
            e.Property(o => o.EventId).HasMaxLength(64);
            e.HasIndex(o => o.DispatchedAtUs);
            e.HasIndex(o => o.CreatedAtUs);
            e.HasOne<Project>().WithMany().HasForeignKey(o => o.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AlertChannel>().WithMany().HasForeignKey(o => o.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<AlertDelivery>(e =>
        {
            e.ToTable("alert_deliveries");
            e.HasKey(d => d.Id);
            e.Property(d => d.IdempotencyKey).HasMaxLength(96);
            e.Property(d => d.Status).HasMaxLength(16);
            e.Property(d => d.LastError).HasMaxLength(1024);
            // An alert reaches a channel once: fan-out can never create a second delivery of the same pair.
            e.HasIndex(d => new { d.OutboxId, d.ChannelId }).IsUnique();
            e.HasIndex(d => new { d.Status, d.ChannelId, d.Id });
            e.HasIndex(d => new { d.ChannelId, d.Id });
            e.HasOne<OutboxEntry>().WithMany().HasForeignKey(d => d.OutboxId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AlertChannel>().WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<DeliveryAttempt>(e =>
        {
            e.ToTable("alert_delivery_attempts");
            e.HasKey(a => a.Id);
            e.Property(a => a.Outcome).HasMaxLength(16);
            e.Property(a => a.Error).HasMaxLength(1024);
            e.HasIndex(a => new { a.ChannelId, a.Id });
            e.HasIndex(a => a.DeliveryId);
            e.HasOne<AlertDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<AlertMonitor>(e =>
        {
            e.ToTable("monitors");
            e.HasKey(m => m.Id);
            e.Property(m => m.Name).HasMaxLength(MonitorInput.MaxNameLength);
            e.Property(m => m.Metric).HasMaxLength(32);
            e.Property(m => m.Direction).HasMaxLength(8);
            e.Property(m => m.SpanKind).HasMaxLength(16);
            e.Property(m => m.SpanName).HasMaxLength(512);
            e.Property(m => m.Model).HasMaxLength(128);
            e.Property(m => m.ScoreName).HasMaxLength(Scores.ScoreLimits.MaxNameLength);
            e.Property(m => m.State).HasMaxLength(16);
            e.Property(m => m.StateReason).HasMaxLength(16);
            e.Property(m => m.PendingState).HasMaxLength(16);
            e.HasIndex(m => m.ProjectId);
            e.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<MonitorStateChange>(e =>
        {
            e.ToTable("monitor_state_changes");
            e.HasKey(c => c.Id);
            e.Property(c => c.MonitorName).HasMaxLength(MonitorInput.MaxNameLength);
            e.Property(c => c.Metric).HasMaxLength(32);
            e.Property(c => c.FromState).HasMaxLength(16);
            e.Property(c => c.ToState).HasMaxLength(16);
            e.Property(c => c.Reason).HasMaxLength(16);
            e.Property(c => c.Direction).HasMaxLength(8);
            e.HasIndex(c => new { c.ProjectId, c.AtUs });
            e.HasIndex(c => new { c.MonitorId, c.AtUs });
            e.HasOne<AlertMonitor>().WithMany().HasForeignKey(c => c.MonitorId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<MonitorSample>(e =>
        {
            e.ToTable("monitor_samples");
            e.HasKey(s => new { s.MonitorId, s.AtUs });
            e.HasIndex(s => s.AtUs);
            e.HasOne<AlertMonitor>().WithMany().HasForeignKey(s => s.MonitorId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
