namespace AiBaseline.Controller.Queue;

/// <summary>What a work queue reports; <see cref="Hosting.ControllerMetrics"/> turns it into the workqueue_* metrics.</summary>
public interface IWorkQueueMetrics
{
    /// <summary>A key was added that was not already waiting.</summary>
    void Added();

    /// <summary>The number of keys waiting to be processed changed.</summary>
    void DepthChanged(int depth);

    /// <summary>A key waited this long between being added and being handed to a worker.</summary>
    void Waited(TimeSpan duration);

    /// <summary>A key was put back after a failure.</summary>
    void Retried();
}
