using System.Runtime.ExceptionServices;

namespace AiBaseline.Audit;

/// <summary>How the audit spreads independent pieces of work (parts of the input, deployments to judge) over the cores.</summary>
internal static class Parallelism
{
    // The main thread's stack on Linux, so deeply nested YAML goes as deep on a worker as it would in one pass.
    private const int StackSize = 8 << 20;

    /// <summary>
    /// Runs <paramref name="body"/> for 0 to <paramref name="count"/> - 1 on one thread per core, the calling thread
    /// among them; the caller keeps the order by writing result <c>i</c> to slot <c>i</c>. The threads are its own, not
    /// the thread pool's, whose idle workers spin for new work: on a machine shared with other builds that spinning
    /// takes the cores from the work. A failure surfaces as itself, as it would from a loop.
    /// </summary>
    public static void For(int count, Action<int> body)
    {
        var workers = Math.Min(Environment.ProcessorCount, count);
        if (workers <= 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        var next = -1;
        Exception? failure = null;
        void Work()
        {
            for (var i = Interlocked.Increment(ref next); i < count && Volatile.Read(ref failure) is null; i = Interlocked.Increment(ref next))
            {
                try
                {
                    body(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }
        }

        var threads = Enumerable.Range(1, workers - 1).Select(_ => new Thread(Work, StackSize) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Work();
        threads.ForEach(t => t.Join());
        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
