using Mono.Cecil;
using Mono.Cecil.Cil;

namespace CycleGan.Tests.Architecture;

/// <summary>
/// Which namespaces of a compiled assembly use which, read from the IL: base types, interfaces, fields, properties,
/// method signatures and every type, method and field a method body names. `using` lines would miss fully
/// qualified names and a namespace's implicit access to its parents, so the compiled code is the one source.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> edges = new(StringComparer.Ordinal);

    private NamespaceGraph(string prefix) => Prefix = prefix;

    /// <summary>Only namespaces under this prefix are nodes.</summary>
    public string Prefix { get; }

    public IEnumerable<string> Namespaces => edges.Keys;

    /// <summary>The namespaces <paramref name="from"/> uses, each with one example of a use.</summary>
    public IReadOnlyDictionary<string, string> Uses(string from) =>
        edges.TryGetValue(from, out var to) ? to : new Dictionary<string, string>();

    public static NamespaceGraph Read(string assemblyPath, string prefix)
    {
        var graph = new NamespaceGraph(prefix);
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        foreach (TypeDefinition type in assembly.MainModule.GetTypes())
        {
            graph.AddType(type);
        }

        return graph;
    }

    /// <summary>Groups of namespaces that reach each other (strongly connected components of more than one).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();
        int next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (string w in Uses(v).Keys)
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    result.Add(component);
                }
            }
        }

        foreach (string v in edges.Keys.ToList())
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="from"/> reaches <paramref name="to"/> through any chain of uses.</summary>
    public bool Reaches(string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out string? v))
        {
            foreach (string w in Uses(v).Keys)
            {
                if (w == to)
                {
                    return true;
                }

                if (seen.Add(w))
                {
                    queue.Enqueue(w);
                }
            }
        }

        return false;
    }

    private void AddType(TypeDefinition type)
    {
        string from = NamespaceOf(type);
        if (!from.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return;
        }

        edges.TryAdd(from, new Dictionary<string, string>(StringComparer.Ordinal));
        string where = type.FullName;
        Use(from, type.BaseType, where);
        foreach (var i in type.Interfaces)
        {
            Use(from, i.InterfaceType, where);
        }

        foreach (FieldDefinition field in type.Fields)
        {
            Use(from, field.FieldType, $"{where}.{field.Name}");
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            Use(from, property.PropertyType, $"{where}.{property.Name}");
        }

        foreach (MethodDefinition method in type.Methods)
        {
            string at = $"{where}.{method.Name}";
            Use(from, method.ReturnType, at);
            foreach (var p in method.Parameters)
            {
                Use(from, p.ParameterType, at);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var v in method.Body.Variables)
            {
                Use(from, v.VariableType, at);
            }

            foreach (Instruction instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        Use(from, t, at);
                        break;
                    case MethodReference m:
                        Use(from, m.DeclaringType, at);
                        Use(from, m.ReturnType, at);
                        foreach (var p in m.Parameters)
                        {
                            Use(from, p.ParameterType, at);
                        }

                        if (m is GenericInstanceMethod g)
                        {
                            foreach (var a in g.GenericArguments)
                            {
                                Use(from, a, at);
                            }
                        }

                        break;
                    case FieldReference f:
                        Use(from, f.DeclaringType, at);
                        Use(from, f.FieldType, at);
                        break;
                }
            }
        }
    }

    private void Use(string from, TypeReference? type, string where)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                Use(from, generic.ElementType, where);
                foreach (var a in generic.GenericArguments)
                {
                    Use(from, a, where);
                }

                return;
            case TypeSpecification spec: // arrays, by-ref, pointers
                Use(from, spec.ElementType, where);
                return;
        }

        string to = NamespaceOf(type);
        if (to != from && to.StartsWith(Prefix, StringComparison.Ordinal))
        {
            edges[from].TryAdd(to, $"{where} uses {type.FullName}");
            edges.TryAdd(to, new Dictionary<string, string>(StringComparer.Ordinal));
        }
    }

    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }
}
