namespace Vigil.Core.Audit;

/// <summary>The actions written to the audit log.</summary>
public static class AuditActions
{
    public const string AccountCreate = "account.create";
    public const string AccountDelete = "account.delete";
    public const string AccountPasswordResetLink = "account.password_reset_link";
    public const string AccountPasswordReset = "account.password_reset";
    public const string AccountPasswordChange = "account.password_change";
    public const string AccountSignOutEverywhere = "account.sign_out_everywhere";
    public const string MembershipAdd = "membership.add";
    public const string MembershipRemove = "membership.remove";
    public const string ProjectCreate = "project.create";
    public const string ProjectDelete = "project.delete";
    public const string RetentionSet = "project.retention";
    public const string RetentionRun = "project.retention_run";
    public const string KeyCreate = "key.create";
    public const string KeyRotate = "key.rotate";
    public const string KeyRevoke = "key.revoke";
    public const string KeysRotateAll = "key.rotate_all";
    public const string ProviderUpdate = "provider.update";
    /// <summary>Alert channels: where alerts (and so a view of the data) leave Vigil.</summary>
    public const string ChannelCreate = "channel.create";
    public const string ChannelUpdate = "channel.update";
    public const string ChannelDelete = "channel.delete";
}
