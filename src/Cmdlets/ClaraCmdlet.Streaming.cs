using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace MdaiClara.Cmdlets;

public abstract partial class ClaraCmdlet
{
    /// <summary>How long a stopped stream's worker gets to end its work cleanly (e.g. C-CANCEL, drain, release) before the cmdlet returns anyway.</summary>
    private static readonly TimeSpan StreamWindDown = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Enumerates an engine sequence on a worker thread and hands each item to <paramref name="emit"/> on the pipeline
    /// thread as soon as it arrives (Write* stays on the pipeline thread). When the pipeline stops early (Ctrl+C, or a
    /// downstream Select-Object -First), the worker's token is cancelled and its enumerator disposed, so the engine can
    /// end its request cleanly; the cmdlet waits for that (bounded) before the stop goes on.
    /// </summary>
    protected void StreamFromWorker<T>(Func<CancellationToken, IEnumerable<T>> source, Action<T> emit)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        var queue = new ConcurrentQueue<T>();
        using var arrived = new SemaphoreSlim(0);
        var task = Task.Run(() =>
        {
            try
            {
                foreach (var item in source(linked.Token))
                {
                    queue.Enqueue(item);
                    arrived.Release();
                }
            }
            finally
            {
                arrived.Release();
            }
        }, linked.Token);

        var completed = false;
        try
        {
            while (true)
            {
                arrived.Wait(50);
                Log.Drain(this);
                while (queue.TryDequeue(out var item))
                {
                    emit(item);
                }

                if (task.IsCompleted && queue.IsEmpty)
                {
                    break;
                }

                if (StopToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
            }

            Log.Drain(this);
            completed = true;
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }
        finally
        {
            if (!completed)
            {
                // Stopped early (Ctrl+C, a downstream -First, an error writing): end the worker's request, and give it a bounded time to finish.
                linked.Cancel();
                try
                {
                    task.Wait(StreamWindDown);
                }
                catch (AggregateException)
                {
                    // The worker ends with the cancellation (or the failure it met while ending); the stop already decides what the user sees.
                }
            }
        }
    }
}
