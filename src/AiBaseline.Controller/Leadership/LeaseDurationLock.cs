using k8s.LeaderElection;

namespace AiBaseline.Controller.Leadership;

/// <summary>
/// Makes <see cref="LeaderElector"/> judge a lease by the duration written in the Lease, not by its own setting.
/// The elector compares "last change seen + its configured lease duration" against now, so a holder that wrote a
/// longer duration would be overthrown early, and a holder that released the lease (duration 1 s) would be waited
/// for a full term. Reading the record swaps the configured duration for the holder's; writing puts ours back.
/// </summary>
internal sealed class LeaseDurationLock(ILock inner, LeaderElectionConfig config, TimeSpan ownDuration) : ILock
{
    public string Identity => inner.Identity;

    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        var record = await inner.GetAsync(cancellationToken);
        config.LeaseDuration = record is { HolderIdentity: { } holder, LeaseDurationSeconds: > 0 } && holder != Identity
            ? TimeSpan.FromSeconds(record.LeaseDurationSeconds)
            : ownDuration;
        return record!;
    }

    public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(WithOwnDuration(record), cancellationToken);

    public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(WithOwnDuration(record), cancellationToken);

    public string Describe() => inner.Describe();

    private LeaderElectionRecord WithOwnDuration(LeaderElectionRecord record)
    {
        record.LeaseDurationSeconds = (int)Math.Ceiling(ownDuration.TotalSeconds);
        return record;
    }
}
