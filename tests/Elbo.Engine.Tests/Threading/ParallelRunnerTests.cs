using Elbo.Engine.Threading;

namespace Elbo.Engine.Tests.Threading;

[Collection("GlobalSettings")]
public class ParallelRunnerTests
{
    private unsafe struct CountBody : IParallelBody
    {
        public int* Hits;
        public void Invoke(int index) => Interlocked.Increment(ref Hits[index]);
    }

    private unsafe struct NestedBody : IParallelBody
    {
        public int* Hits;
        public int Inner;
        public void Invoke(int index)
        {
            var inner = new CountBody { Hits = Hits + index * Inner };
            ParallelRunner.For(Inner, ref inner);
        }
    }

    private struct ThrowingBody : IParallelBody
    {
        public void Invoke(int index)
        {
            if (index == 7) throw new InvalidOperationException("item 7");
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(2, 1000)]
    [InlineData(4, 37)]
    public unsafe void EveryIndexRunsExactlyOnce(int threads, int count)
    {
        int saved = ParallelRunner.Threads;
        try
        {
            ParallelRunner.Threads = threads;
            var hits = new int[count];
            fixed (int* p = hits)
            {
                var body = new CountBody { Hits = p };
                for (int rep = 0; rep < 20; rep++) ParallelRunner.For(count, ref body);
            }
            Assert.All(hits, h => Assert.Equal(20, h));
        }
        finally { ParallelRunner.Threads = saved; }
    }

    [Fact]
    public unsafe void NestedLoopsRunSeriallyInsteadOfDeadlocking()
    {
        int saved = ParallelRunner.Threads;
        try
        {
            ParallelRunner.Threads = 2;
            var hits = new int[10 * 10];
            fixed (int* p = hits)
            {
                var body = new NestedBody { Hits = p, Inner = 10 };
                ParallelRunner.For(10, ref body);
            }
            Assert.All(hits, h => Assert.Equal(1, h));
        }
        finally { ParallelRunner.Threads = saved; }
    }

    [Fact]
    public void AnExceptionInTheBodyReachesTheCallerAndThePoolStaysUsable()
    {
        int saved = ParallelRunner.Threads;
        try
        {
            ParallelRunner.Threads = 2;
            var body = new ThrowingBody();
            Assert.ThrowsAny<Exception>(() => ParallelRunner.For(100, ref body));
            EveryIndexRunsExactlyOnce(2, 50);
        }
        finally { ParallelRunner.Threads = saved; }
    }

    [Fact]
    public unsafe void WorkersCreatedForADispatchJoinIt()
    {
        int saved = ParallelRunner.Threads;
        try
        {
            for (int threads = 2; threads <= 8; threads++)
            {
                ParallelRunner.Threads = threads; // a new worker is made by the next dispatch
                var run = Task.Run(() =>
                {
                    var hits = new int[64];
                    fixed (int* p = hits)
                    {
                        var body = new CountBody { Hits = p };
                        ParallelRunner.For(hits.Length, ref body);
                    }
                    return hits;
                });
                Assert.True(run.Wait(TimeSpan.FromSeconds(20)), $"a dispatch with {threads} threads did not finish");
                Assert.All(run.Result, h => Assert.Equal(1, h));
            }
        }
        finally { ParallelRunner.Threads = saved; }
    }

    [Fact]
    public void ThreadsBelowOneAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ParallelRunner.Threads = 0);
    }

    private unsafe struct InLoopBody : IParallelBody
    {
        public int* Seen;
        public void Invoke(int index) => Seen[index] = ParallelRunner.InLoop ? 1 : 0;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public unsafe void InLoopHoldsOnEveryThreadRunningItemsAndNowhereElse(int threads)
    {
        int saved = ParallelRunner.Threads;
        try
        {
            ParallelRunner.Threads = threads;
            Assert.False(ParallelRunner.InLoop);
            var seen = new int[64];
            fixed (int* p = seen)
            {
                var body = new InLoopBody { Seen = p };
                ParallelRunner.For(seen.Length, ref body);
            }
            Assert.All(seen, s => Assert.Equal(1, s));
            Assert.False(ParallelRunner.InLoop);          // restored after the loop
            bool elsewhere = Task.Run(() => ParallelRunner.InLoop).Result;
            Assert.False(elsewhere);
        }
        finally { ParallelRunner.Threads = saved; }
    }
}
