namespace Vigil.Core.Alerting.Channels;

/// <summary>What one delivery attempt POSTs: a JSON body and the headers that go with it.</summary>
public sealed record ChannelMessage(byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers);
