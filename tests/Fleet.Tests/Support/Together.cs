using System.Net;

namespace Fleet.Tests.Support;

/// <summary>Sends requests released together by one gate, so that they race for real rather than one after another.</summary>
public static class Together
{
    public static async Task<HttpStatusCode[]> Send(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new CountdownEvent(count);
        var requests = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            ready.Signal();
            await gate.Task;
            using var response = await send(i);
            return response.StatusCode;
        })).ToArray();
        ready.Wait(TimeSpan.FromSeconds(30));
        gate.SetResult();
        return await Task.WhenAll(requests);
    }
}
