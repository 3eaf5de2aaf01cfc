using Elbo.Engine.Tensors;

namespace Elbo.Engine.Autograd;

/// <summary>Reverse-mode differentiation: orders the graph below a root topologically (iterative depth-first search,
/// no recursion) and runs each node's backward rule from the root down. Reuses its work lists, so a backward pass
/// allocates nothing in the steady state.</summary>
internal static class Backprop
{
    [ThreadStatic] private static List<Tensor>? _order;
    [ThreadStatic] private static Stack<(Tensor Node, int Next)>? _stack;
    private static int _epoch;

    public static void Run(Tensor root, ReadOnlySpan<float> seed)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("backward: the tensor does not require grad (no parameter or input with RequiresGrad led to it, or it was computed under NoGrad)");
        if (seed.IsEmpty && root.Numel != 1)
            throw new InvalidOperationException($"backward: a tensor of shape {root.ShapeString} needs an explicit gradient; only one-element tensors default to 1");
        if (!seed.IsEmpty && seed.Length != root.Numel)
            throw new ArgumentException($"backward: gradient of {seed.Length} elements for a tensor of shape {root.ShapeString}");

        var order = _order ??= new List<Tensor>(256);
        var stack = _stack ??= new Stack<(Tensor, int)>(256);
        order.Clear();
        int mark = Interlocked.Increment(ref _epoch);
        Visit(root, mark, order, stack);

        var target = root.GradTarget();
        if (seed.IsEmpty)
        {
            if (target.Overwrite) target.Span.Fill(1f);
            else for (int i = 0; i < target.Span.Length; i++) target.Span[i] += 1f;
        }
        else if (target.Overwrite) seed.CopyTo(target.Span);
        else for (int i = 0; i < seed.Length; i++) target.Span[i] += seed[i];

        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (node.GradFn != null && node.Grad != null) node.GradFn.Backward(node);
        }
        order.Clear();
    }

    // Post-order DFS: a node is appended after all of its inputs, so walking the list backwards visits every node
    // after all the nodes that consume it.
    private static void Visit(Tensor root, int mark, List<Tensor> order, Stack<(Tensor Node, int Next)> stack)
    {
        root.VisitMark = mark;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var child = InputAt(node, next, out bool more);
            if (!more)
            {
                order.Add(node);
                continue;
            }
            stack.Push((node, next + 1));
            if (child != null && child.RequiresGrad && child.VisitMark != mark)
            {
                child.VisitMark = mark;
                stack.Push((child, 0));
            }
        }
    }

    private static Tensor? InputAt(Tensor node, int index, out bool exists)
    {
        if (node.GradFn == null)
        {
            exists = false;
            return null;
        }
        exists = true;
        switch (index)
        {
            case 0: return node.In0;
            case 1: return node.In1;
            case 2: return node.In2;
        }
        int k = index - 3;
        if (node.InList != null && k < node.InListCount) return node.InList[k];
        exists = false;
        return null;
    }
}
