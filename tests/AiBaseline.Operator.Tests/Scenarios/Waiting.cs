namespace AiBaseline.Operator.Tests.Scenarios;

/// <summary>Polls until the cluster shows what a scenario expects, and fails naming it when it does not in time.</summary>
internal static class Waiting
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan patience, string what)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {patience.TotalSeconds:0} s: {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
