using Microsoft.Extensions.Logging;

namespace AiBaseline.Controller.Tests;

/// <summary>Writes the runtime's logs into the test's output, so a failing test shows what the runtime saw.</summary>
internal sealed class TestLog<T> : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {typeof(T).Name}: {formatter(state, exception)} {exception?.Message}");
        }
        catch (InvalidOperationException)
        {
            // The test has already finished; its output is closed.
        }
    }
}
