using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Accounts;
using Vigil.Core.Audit;
using Vigil.Core.Alerting;
using Vigil.Core.Alerting.Channels;
using Vigil.Core.Alerting.Delivery;
using Vigil.Core.Alerting.Monitors;
using Vigil.Core.Drift;
using Vigil.Core.Ingest.Logs;
using Vigil.Core.Metrics;
using Vigil.Core.Notifications;
using Vigil.Core.Projects;
using Vigil.Core.Replay;
using Vigil.Core.Scores;
using Vigil.Core.Sessions;
using Vigil.Core.Traces;

namespace Vigil.Core.Storage;

/// <summary>
/// One database for telemetry and accounts: Identity's tables live beside the domain's (prefixed <c>identity_</c>).
/// The model is the same on every provider; each provider derives its own context type (<c>Storage/Sqlite</c>,
/// <c>Storage/Postgres</c>) for its own migrations and column types. Names are snake_case (EFCore.NamingConventions,
/// set where the provider is configured), so hand-written SQL reads the same everywhere.
/// </summary>
public abstract class VigilDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<TraceRecord> Traces => Set<TraceRecord>();
    public DbSet<SpanRecord> Spans => Set<SpanRecord>();
    public DbSet<ReplayRun> ReplayRuns => Set<ReplayRun>();
    public DbSet<DriftAlert> DriftAlerts => Set<DriftAlert>();
    public DbSet<DriftMeasurement> DriftMeasurements => Set<DriftMeasurement>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<EndUserRecord> EndUsers => Set<EndUserRecord>();
    public DbSet<SessionUserRecord> SessionUsers => Set<SessionUserRecord>();
    public DbSet<ScoreRecord> Scores => Set<ScoreRecord>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<MetricRollup> MetricRollups => Set<MetricRollup>();
    public DbSet<ProjectCount> ProjectCounts => Set<ProjectCount>();
    public DbSet<PendingSpanLog> PendingSpanLogs => Set<PendingSpanLog>();
    public DbSet<AlertChannel> AlertChannels => Set<AlertChannel>();
    public DbSet<OutboxEntry> AlertOutbox => Set<OutboxEntry>();
    public DbSet<AlertDelivery> AlertDeliveries => Set<AlertDelivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<AlertMonitor> Monitors => Set<AlertMonitor>();
    public DbSet<MonitorStateChange> MonitorStateChanges => Set<MonitorStateChange>();
    public DbSet<MonitorSample> MonitorSamples => Set<MonitorSample>();
    /// <summary>The Data Protection key ring where instances must share it (PostgreSQL); SQLite keeps it in files.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.Entity<AppUser>().ToTable("identity_users");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityRole>().ToTable("identity_roles");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserRole<string>>().ToTable("identity_user_roles");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<string>>().ToTable("identity_user_claims");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<string>>().ToTable("identity_user_logins");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<string>>().ToTable("identity_user_tokens");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityRoleClaim<string>>().ToTable("identity_role_claims");

        b.Entity<ProjectMember>(e =>
        {
            e.ToTable("project_members");
            e.HasKey(m => new { m.ProjectId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Project>(e =>
        {
            e.ToTable("projects");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasMaxLength(64);
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Description).HasMaxLength(2000);
        });

        b.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Name).HasMaxLength(200);
            e.Property(k => k.Prefix).HasMaxLength(32);
            e.Property(k => k.Hash).HasMaxLength(64);
            e.HasIndex(k => k.Hash).IsUnique();
            e.HasIndex(k => k.ProjectId);
            e.HasOne<Project>().WithMany().HasForeignKey(k => k.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<TraceRecord>(e =>
        {
            e.ToTable("traces");
            e.HasKey(t => t.Id);
            e.Property(t => t.TraceId).HasMaxLength(128);
            e.Property(t => t.Name).HasMaxLength(512);
            e.Property(t => t.Status).HasMaxLength(16);
            e.Property(t => t.ExternalId).HasMaxLength(256);
            e.Property(t => t.ReplayOf).HasMaxLength(128);
            e.Property(t => t.SessionId).HasMaxLength(SessionLimits.MaxIdLength);
            e.Property(t => t.UserId).HasMaxLength(SessionLimits.MaxIdLength);
            e.HasAlternateKey(t => new { t.ProjectId, t.TraceId });
            e.HasIndex(t => new { t.ProjectId, t.StartTimeUs });
            // Trace explorer sorts and filters: the first page reads an index in order instead of sorting every row
            // (the primary key, SQLite's rowid, is the implicit last column, so the id tie-break comes free).
            e.HasIndex(t => new { t.ProjectId, t.CostUsd });
            e.HasIndex(t => new { t.ProjectId, t.DurationMs });
            e.HasIndex(t => new { t.ProjectId, t.Status, t.StartTimeUs });
            // A session's turns in order, a user's traces, and the trace list's session/user filters; partial, so traffic
            // without sessions or users pays nothing for them.
            e.HasIndex(t => new { t.ProjectId, t.SessionId, t.StartTimeUs }).HasFilter("session_id IS NOT NULL");
            e.HasIndex(t => new { t.ProjectId, t.UserId, t.StartTimeUs }).HasFilter("user_id IS NOT NULL");
            // Sorts with many equal values carry the id, so PostgreSQL reads the tie-break in order too (SQLite's rowid is
            // the implicit last column of every index anyway).
            e.HasIndex(t => new { t.ProjectId, t.SpanCount, t.Id });
            e.HasIndex(t => new { t.ProjectId, t.Name, t.Id });
            // has_errors=true: the few traces with errors, newest first, without reading the others.
            e.HasIndex(t => new { t.ProjectId, t.StartTimeUs }, "errors_by_start").HasDatabaseName("ix_traces_project_id_errors_start_time_us").HasFilter("error_count > 0");
            e.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<SessionRecord>(e =>
        {
            e.ToTable("sessions");
            e.HasKey(s => s.Id);
            e.Property(s => s.SessionId).HasMaxLength(SessionLimits.MaxIdLength);
            e.HasAlternateKey(s => new { s.ProjectId, s.SessionId });
            // One index per sort of the sessions list, ending in the id the sort breaks ties on: its first page reads an index
            // in order (without the id PostgreSQL sorts every tied row, e.g. all sessions of 5 turns, for a page of 50).
            e.HasIndex(s => new { s.ProjectId, s.LastTimeUs, s.Id });
            e.HasIndex(s => new { s.ProjectId, s.CostUsd, s.Id });
            e.HasIndex(s => new { s.ProjectId, s.TotalTokens, s.Id });
            e.HasIndex(s => new { s.ProjectId, s.TraceCount, s.Id });
            e.HasIndex(s => new { s.ProjectId, s.ErrorCount, s.Id });
            e.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<EndUserRecord>(e =>
        {
            e.ToTable("end_users");
            e.HasKey(u => u.Id);
            e.Property(u => u.UserId).HasMaxLength(SessionLimits.MaxIdLength);
            e.HasAlternateKey(u => new { u.ProjectId, u.UserId });
            e.HasIndex(u => new { u.ProjectId, u.LastTimeUs, u.Id });
            e.HasIndex(u => new { u.ProjectId, u.CostUsd, u.Id });
            e.HasIndex(u => new { u.ProjectId, u.TotalTokens, u.Id });
            e.HasIndex(u => new { u.ProjectId, u.TraceCount, u.Id });
            e.HasIndex(u => new { u.ProjectId, u.SessionCount, u.Id });
            e.HasIndex(u => new { u.ProjectId, u.ErrorTraceCount, u.Id });
            e.HasOne<Project>().WithMany().HasForeignKey(u => u.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<SessionUserRecord>(e =>
        {
            e.ToTable("session_users");
            e.HasKey(x => new { x.ProjectId, x.SessionId, x.UserId });
            e.Property(x => x.SessionId).HasMaxLength(SessionLimits.MaxIdLength);
            e.Property(x => x.UserId).HasMaxLength(SessionLimits.MaxIdLength);
            e.HasIndex(x => new { x.ProjectId, x.UserId, x.SessionId });
            e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ScoreRecord>(e =>
        {
            e.ToTable("scores");
            e.HasKey(s => s.Id);
            e.Property(s => s.TraceId).HasMaxLength(128);
            e.Property(s => s.SpanId).HasMaxLength(128);
            e.Property(s => s.Name).HasMaxLength(ScoreLimits.MaxNameLength);
            e.Property(s => s.DataType).HasMaxLength(16);
            e.Property(s => s.StringValue).HasMaxLength(ScoreLimits.MaxCategoryLength);
            e.Property(s => s.Comment).HasMaxLength(ScoreLimits.MaxCommentLength);
            e.Property(s => s.Source).HasMaxLength(16);
            e.Property(s => s.Author).HasMaxLength(256);
            // A trace's scores (its spans' too), whether or not the trace exists yet.
            e.HasIndex(s => new { s.ProjectId, s.TraceId });
            // One name over time: metrics, drift, monitors.
            e.HasIndex(s => new { s.ProjectId, s.Name, s.CreatedAtUs });
            // The list, newest first, and drift windows over every name.
            e.HasIndex(s => new { s.ProjectId, s.CreatedAtUs });
            // The trace list's score filter: traces whose score of a name is in a range.
            e.HasIndex(s => new { s.ProjectId, s.Name, s.Value });
            e.HasOne<Project>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<SpanRecord>(e =>
        {
            e.ToTable("spans");
            e.HasKey(s => s.Id);
            e.Property(s => s.TraceId).HasMaxLength(128);
            e.Property(s => s.SpanId).HasMaxLength(128);
            e.Property(s => s.ParentSpanId).HasMaxLength(128);
            e.Property(s => s.Name).HasMaxLength(512);
            e.Property(s => s.Kind).HasMaxLength(16);
            e.Property(s => s.Status).HasMaxLength(16);
            e.Property(s => s.Model).HasMaxLength(128);
            e.Property(s => s.Provider).HasMaxLength(64);
            // A span belongs to its trace through the trace's row id (see SpanRecord.TracePk): (project, trace id) is
            // resolved once per trace on the traces table, and the span indexes grow at their right edge.
            e.HasIndex(s => new { s.TracePk, s.SpanId }).IsUnique();
            // Ends with start time so "the trace's root span, earliest first" (the rollup on every batch) is an index seek.
            e.HasIndex(s => new { s.TracePk, s.ParentSpanId, s.StartTimeUs });
            e.HasIndex(s => new { s.ProjectId, s.StartTimeUs });
            e.HasIndex(s => new { s.ProjectId, s.Kind, s.StartTimeUs });
            e.HasOne<TraceRecord>().WithMany().HasForeignKey(s => s.TracePk).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<MetricRollup>(e =>
        {
            e.ToTable("metric_rollups");
            e.HasKey(r => new { r.ProjectId, r.BucketSeconds, r.BucketStartUs, r.Kind, r.Model, r.Shard });
            e.Property(r => r.Kind).HasMaxLength(16);
            e.Property(r => r.Model).HasMaxLength(128);
            e.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ProjectCount>(e =>
        {
            e.ToTable("project_counts");
            e.HasKey(c => new { c.ProjectId, c.Shard });
            e.HasOne<Project>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<ReplayRun>(e =>
        {
            e.ToTable("replay_runs");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(32);
            e.Property(r => r.OriginalTraceId).HasMaxLength(128);
            e.Property(r => r.ResultTraceId).HasMaxLength(128);
            e.Property(r => r.Status).HasMaxLength(16);
            e.Property(r => r.LeaseOwner).HasMaxLength(200);
            e.HasIndex(r => new { r.ProjectId, r.CreatedAtUs });
            // The queue: confirmed runs oldest first, and running ones whose lease may have expired.
            e.HasIndex(r => new { r.Status, r.CreatedAtUs });
            e.HasIndex(r => new { r.ProjectId, r.OriginalTraceId });
            e.HasOne<Project>().WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<DriftAlert>(e =>
        {
            e.ToTable("drift_alerts");
            e.HasKey(a => a.Id);
            e.Property(a => a.SpanKind).HasMaxLength(16);
            e.Property(a => a.SpanName).HasMaxLength(512);
            e.Property(a => a.Model).HasMaxLength(128);
            e.Property(a => a.Metric).HasMaxLength(DriftMetric.MaxLength);
            e.Property(a => a.Severity).HasMaxLength(16);
            e.HasIndex(a => new { a.ProjectId, a.Resolved, a.CreatedAtUs });
            e.HasOne<Project>().WithMany().HasForeignKey(a => a.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<DriftMeasurement>(e =>
        {
            e.ToTable("drift_measurements");
            e.HasKey(m => m.Id);
            e.Property(m => m.SpanKind).HasMaxLength(16);
            e.Property(m => m.SpanName).HasMaxLength(512);
            e.Property(m => m.Model).HasMaxLength(128);
            e.Property(m => m.Metric).HasMaxLength(DriftMetric.MaxLength);
            e.HasIndex(m => new { m.ProjectId, m.SpanKind, m.Metric, m.MeasuredAtUs });
            e.HasOne<Project>().WithMany().HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Notification>(e =>
        {
            e.ToTable("notifications");
            e.HasKey(n => n.Id);
            e.Property(n => n.Type).HasMaxLength(32);
            e.Property(n => n.Title).HasMaxLength(512);
            e.Property(n => n.ReferenceId).HasMaxLength(128);
            e.HasIndex(n => new { n.ProjectId, n.Read, n.CreatedAtUs });
            e.HasOne<Project>().WithMany().HasForeignKey(n => n.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<PendingSpanLog>(e =>
        {
            e.ToTable("pending_span_logs");
            e.HasKey(p => p.Id);
            e.Property(p => p.TraceId).HasMaxLength(128);
            e.Property(p => p.SpanId).HasMaxLength(128);
            e.HasIndex(p => new { p.ProjectId, p.TraceId, p.SpanId }).IsUnique();
            e.HasIndex(p => p.UpdatedAtUs);
            e.HasIndex(p => p.AppliedAtUs);
            e.HasOne<Project>().WithMany().HasForeignKey(p => p.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        // No foreign keys: the log outlives the accounts, keys and projects it names.
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(a => a.Id);
            e.Property(a => a.ActorId).HasMaxLength(128);
            e.Property(a => a.ActorName).HasMaxLength(256);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Target).HasMaxLength(256);
            e.Property(a => a.ProjectId).HasMaxLength(64);
            e.Property(a => a.Detail).HasMaxLength(2000);
            e.Property(a => a.Address).HasMaxLength(64);
            e.HasIndex(a => a.AtUs);
            e.HasIndex(a => new { a.ProjectId, a.AtUs });
        });
        AlertingModel.Configure(b);
    }
}
