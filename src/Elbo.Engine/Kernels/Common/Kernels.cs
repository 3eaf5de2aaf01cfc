using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Kernels.Common;

// The load-invoke-store step of each arity over pinned pointers. TMode folds "assign or accumulate" at JIT time.

internal readonly unsafe struct UnaryKernel<TOp, TMode> : IElementwiseKernel
    where TOp : struct, IUnaryOperator where TMode : struct, IStoreMode
{
    private readonly float* _x, _d;
    private readonly TOp _op;

    public UnaryKernel(float* x, float* d, TOp op)
    {
        _x = x;
        _d = d;
        _op = op;
    }

    public void Scalar(nint i)
    {
        float r = _op.Invoke(_x[i]);
        _d[i] = TMode.Accumulate ? _d[i] + r : r;
    }

    public void Vector256At(nint i)
    {
        var r = _op.Invoke(Vector256.Load(_x + i));
        if (TMode.Accumulate) r += Vector256.Load(_d + i);
        r.Store(_d + i);
    }

    public void Vector512At(nint i)
    {
        var r = _op.Invoke(Vector512.Load(_x + i));
        if (TMode.Accumulate) r += Vector512.Load(_d + i);
        r.Store(_d + i);
    }
}

internal readonly unsafe struct BinaryKernel<TOp, TMode> : IElementwiseKernel
    where TOp : struct, IBinaryOperator where TMode : struct, IStoreMode
{
    private readonly float* _a, _b, _d;
    private readonly TOp _op;

    public BinaryKernel(float* a, float* b, float* d, TOp op)
    {
        _a = a;
        _b = b;
        _d = d;
        _op = op;
    }

    public void Scalar(nint i)
    {
        float r = _op.Invoke(_a[i], _b[i]);
        _d[i] = TMode.Accumulate ? _d[i] + r : r;
    }

    public void Vector256At(nint i)
    {
        var r = _op.Invoke(Vector256.Load(_a + i), Vector256.Load(_b + i));
        if (TMode.Accumulate) r += Vector256.Load(_d + i);
        r.Store(_d + i);
    }

    public void Vector512At(nint i)
    {
        var r = _op.Invoke(Vector512.Load(_a + i), Vector512.Load(_b + i));
        if (TMode.Accumulate) r += Vector512.Load(_d + i);
        r.Store(_d + i);
    }
}

internal readonly unsafe struct TernaryKernel<TOp, TMode> : IElementwiseKernel
    where TOp : struct, ITernaryOperator where TMode : struct, IStoreMode
{
    private readonly float* _a, _b, _c, _d;
    private readonly TOp _op;

    public TernaryKernel(float* a, float* b, float* c, float* d, TOp op)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
        _op = op;
    }

    public void Scalar(nint i)
    {
        float r = _op.Invoke(_a[i], _b[i], _c[i]);
        _d[i] = TMode.Accumulate ? _d[i] + r : r;
    }

    public void Vector256At(nint i)
    {
        var r = _op.Invoke(Vector256.Load(_a + i), Vector256.Load(_b + i), Vector256.Load(_c + i));
        if (TMode.Accumulate) r += Vector256.Load(_d + i);
        r.Store(_d + i);
    }

    public void Vector512At(nint i)
    {
        var r = _op.Invoke(Vector512.Load(_a + i), Vector512.Load(_b + i), Vector512.Load(_c + i));
        if (TMode.Accumulate) r += Vector512.Load(_d + i);
        r.Store(_d + i);
    }
}

internal readonly unsafe struct QuaternaryKernel<TOp, TMode> : IElementwiseKernel
    where TOp : struct, IQuaternaryOperator where TMode : struct, IStoreMode
{
    private readonly float* _a, _b, _c, _e, _d;
    private readonly TOp _op;

    public QuaternaryKernel(float* a, float* b, float* c, float* e, float* d, TOp op)
    {
        _a = a;
        _b = b;
        _c = c;
        _e = e;
        _d = d;
        _op = op;
    }

    public void Scalar(nint i)
    {
        float r = _op.Invoke(_a[i], _b[i], _c[i], _e[i]);
        _d[i] = TMode.Accumulate ? _d[i] + r : r;
    }

    public void Vector256At(nint i)
    {
        var r = _op.Invoke(Vector256.Load(_a + i), Vector256.Load(_b + i), Vector256.Load(_c + i), Vector256.Load(_e + i));
        if (TMode.Accumulate) r += Vector256.Load(_d + i);
        r.Store(_d + i);
    }

    public void Vector512At(nint i)
    {
        var r = _op.Invoke(Vector512.Load(_a + i), Vector512.Load(_b + i), Vector512.Load(_c + i), Vector512.Load(_e + i));
        if (TMode.Accumulate) r += Vector512.Load(_d + i);
        r.Store(_d + i);
    }
}

// In-place updates: every state vector is loaded, rewritten by the operator and stored back.

internal readonly unsafe struct Update2Kernel<TOp> : IElementwiseKernel where TOp : struct, IUpdate2Operator
{
    private readonly float* _s, _t, _g;
    private readonly TOp _op;

    public Update2Kernel(float* s, float* t, float* g, TOp op)
    {
        _s = s;
        _t = t;
        _g = g;
        _op = op;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Scalar(nint i) => _op.Invoke(ref _s[i], ref _t[i], _g[i]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Vector256At(nint i)
    {
        Vector256<float> s = Vector256.Load(_s + i), t = Vector256.Load(_t + i);
        _op.Invoke(ref s, ref t, Vector256.Load(_g + i));
        s.Store(_s + i);
        t.Store(_t + i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Vector512At(nint i)
    {
        Vector512<float> s = Vector512.Load(_s + i), t = Vector512.Load(_t + i);
        _op.Invoke(ref s, ref t, Vector512.Load(_g + i));
        s.Store(_s + i);
        t.Store(_t + i);
    }
}

internal readonly unsafe struct Update3Kernel<TOp> : IElementwiseKernel where TOp : struct, IUpdate3Operator
{
    private readonly float* _s, _t, _u, _g;
    private readonly TOp _op;

    public Update3Kernel(float* s, float* t, float* u, float* g, TOp op)
    {
        _s = s;
        _t = t;
        _u = u;
        _g = g;
        _op = op;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Scalar(nint i) => _op.Invoke(ref _s[i], ref _t[i], ref _u[i], _g[i]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Vector256At(nint i)
    {
        Vector256<float> s = Vector256.Load(_s + i), t = Vector256.Load(_t + i), u = Vector256.Load(_u + i);
        _op.Invoke(ref s, ref t, ref u, Vector256.Load(_g + i));
        s.Store(_s + i);
        t.Store(_t + i);
        u.Store(_u + i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Vector512At(nint i)
    {
        Vector512<float> s = Vector512.Load(_s + i), t = Vector512.Load(_t + i), u = Vector512.Load(_u + i);
        _op.Invoke(ref s, ref t, ref u, Vector512.Load(_g + i));
        s.Store(_s + i);
        t.Store(_t + i);
        u.Store(_u + i);
    }
}
