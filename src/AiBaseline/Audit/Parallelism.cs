using System.Runtime.ExceptionServices;

namespace AiBaseline.Audit;

/// <summary>How the audit spreads independent pieces of work (parts of the input, deployments to judge) over the cores.</summary>
internal static class Parallelism
{
    /// <summary>
    /// Runs <paramref name="body"/> for 0 to <paramref name="count"/> - 1 on every core; the caller keeps the order by
    /// writing result <c>i</c> to slot <c>i</c>. A failure surfaces as itself, as it would from a loop.
    /// </summary>
    public static void For(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
