using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace RunsFleet.Tests.Infrastructure.Permissions;

/// <summary>One AWS SDK operation called from compiled code, e.g. (Amazon.DynamoDBv2, UpdateItem).</summary>
/// <param name="ServiceNamespace">SDK namespace of the service, e.g. <c>Amazon.DynamoDBv2</c>.</param>
/// <param name="Operation">Operation name without the Async suffix, e.g. <c>UpdateItem</c>.</param>
/// <param name="Caller">Type and method whose IL makes the call (for failure messages).</param>
public sealed record AwsOperationCall(string ServiceNamespace, string Operation, string Caller);

/// <summary>
/// Finds the AWS SDK operations an assembly calls by reading its IL: every method body of every type,
/// including compiler-generated async state machines and closures, is decoded instruction by instruction;
/// call / callvirt / ldftn / ldvirtftn operands that resolve to a method of an <c>Amazon.*.IAmazon*</c>
/// interface, an <c>Amazon*Client</c> class or a <c>*PaginatorFactory</c> are AWS operations.
/// Nothing is loaded or executed, so the result does not depend on which code paths a test happens to run.
/// </summary>
public static class AwsCallScanner
{
    private const int CallOpcode = 0x28;
    private const int CallvirtOpcode = 0x6F;
    private const int LdftnOpcode = 0xFE06;
    private const int LdvirtftnOpcode = 0xFE07;

    /// <summary>Scans the assembly file; <paramref name="includeTopLevelType"/> limits the scan to some top-level types (full names).</summary>
    public static IReadOnlyList<AwsOperationCall> Scan(string assemblyPath, Func<string, bool>? includeTopLevelType = null)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var calls = new List<AwsOperationCall>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            if (includeTopLevelType is not null && !includeTopLevelType(TopLevelName(metadata, typeHandle)))
            {
                continue;
            }

            var type = metadata.GetTypeDefinition(typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue; // abstract, extern or interface method: no body
                }

                var caller = $"{TypeName(metadata, typeHandle)}.{metadata.GetString(method.Name)}";
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? [];
                foreach (var token in CalledMethodTokens(il))
                {
                    if (TryResolve(metadata, System.Reflection.Metadata.Ecma335.MetadataTokens.EntityHandle(token), out var service, out var operation))
                    {
                        calls.Add(new AwsOperationCall(service, operation, caller));
                    }
                }
            }
        }

        return calls;
    }

    /// <summary>Method tokens of every call-like instruction in a method body's IL.</summary>
    public static IReadOnlyList<int> CalledMethodTokens(byte[] il)
    {
        ArgumentNullException.ThrowIfNull(il);
        var tokens = new List<int>();
        var offset = 0;
        while (offset < il.Length)
        {
            int opcode = il[offset++];
            if (opcode == 0xFE)
            {
                opcode = 0xFE00 | il[offset++];
            }

            if (opcode is CallOpcode or CallvirtOpcode or LdftnOpcode or LdvirtftnOpcode)
            {
                tokens.Add(BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(offset)));
                offset += 4;
            }
            else if (opcode == 0x45)
            {
                // switch: a 4-byte count, then that many 4-byte targets
                offset += 4 + (BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(offset)) * 4);
            }
            else
            {
                offset += OperandSize(opcode);
            }
        }

        return tokens;
    }

    /// <summary>Operand size in bytes of an IL opcode (ECMA-335 III), switch excluded.</summary>
    public static int OperandSize(int opcode) => opcode switch
    {
        >= 0x0E and <= 0x13 => 1, // ldarg.s ldarga.s starg.s ldloc.s ldloca.s stloc.s
        0x1F => 1, // ldc.i4.s
        0x20 or 0x22 => 4, // ldc.i4 ldc.r4
        0x21 or 0x23 => 8, // ldc.i8 ldc.r8
        0x27 or 0x28 or 0x29 => 4, // jmp call calli
        >= 0x2B and <= 0x37 => 1, // short branches
        >= 0x38 and <= 0x44 => 4, // long branches
        >= 0x6F and <= 0x75 => 4, // callvirt cpobj ldobj ldstr newobj castclass isinst
        0x79 => 4, // unbox
        >= 0x7B and <= 0x81 => 4, // field access, stobj
        0x8C or 0x8D or 0x8F => 4, // box newarr ldelema
        >= 0xA3 and <= 0xA5 => 4, // ldelem stelem unbox.any
        0xC2 or 0xC6 or 0xD0 => 4, // refanyval mkrefany ldtoken
        0xDD => 4, // leave
        0xDE => 1, // leave.s
        0xFE06 or 0xFE07 => 4, // ldftn ldvirtftn
        >= 0xFE09 and <= 0xFE0E => 2, // ldarg ldarga starg ldloc ldloca stloc
        0xFE12 => 1, // unaligned.
        0xFE15 or 0xFE16 or 0xFE1C => 4, // initobj constrained. sizeof
        _ => 0,
    };

    private static bool TryResolve(MetadataReader metadata, EntityHandle handle, out string service, out string operation)
    {
        service = operation = string.Empty;
        string methodName;
        EntityHandle declaringType;
        switch (handle.Kind)
        {
            case HandleKind.MethodSpecification:
                return TryResolve(metadata, metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method, out service, out operation);
            case HandleKind.MemberReference:
                var reference = metadata.GetMemberReference((MemberReferenceHandle)handle);
                methodName = metadata.GetString(reference.Name);
                declaringType = reference.Parent;
                break;
            case HandleKind.MethodDefinition:
                var definition = metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                methodName = metadata.GetString(definition.Name);
                declaringType = definition.GetDeclaringType();
                break;
            default:
                return false;
        }

        if (!TryTypeName(metadata, declaringType, out var ns, out var name) || !ns.StartsWith("Amazon.", StringComparison.Ordinal))
        {
            return false;
        }

        var isClient = name.StartsWith("IAmazon", StringComparison.Ordinal)
            || (name.StartsWith("Amazon", StringComparison.Ordinal) && name.EndsWith("Client", StringComparison.Ordinal));
        if (isClient && methodName.EndsWith("Async", StringComparison.Ordinal))
        {
            service = ns;
            operation = methodName[..^"Async".Length];
            return true;
        }

        // client.Paginators.DescribeInstances(request): the paginator issues DescribeInstances requests.
        if (name.EndsWith("PaginatorFactory", StringComparison.Ordinal) && !methodName.StartsWith("get_", StringComparison.Ordinal))
        {
            service = ns.EndsWith(".Model", StringComparison.Ordinal) ? ns[..^".Model".Length] : ns;
            operation = methodName;
            return true;
        }

        return false;
    }

    private static bool TryTypeName(MetadataReader metadata, EntityHandle handle, out string ns, out string name)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                var reference = metadata.GetTypeReference((TypeReferenceHandle)handle);
                ns = metadata.GetString(reference.Namespace);
                name = metadata.GetString(reference.Name);
                return true;
            case HandleKind.TypeDefinition:
                var definition = metadata.GetTypeDefinition((TypeDefinitionHandle)handle);
                ns = metadata.GetString(definition.Namespace);
                name = metadata.GetString(definition.Name);
                return true;
            default:
                // TypeSpecification: a generic instantiation; no AWS client type is generic.
                ns = name = string.Empty;
                return false;
        }
    }

    private static string TypeName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        var name = metadata.GetString(type.Name);
        return declaring.IsNil
            ? Qualified(metadata.GetString(type.Namespace), name)
            : TypeName(metadata, declaring) + "+" + name;
    }

    private static string TopLevelName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil
            ? Qualified(metadata.GetString(type.Namespace), metadata.GetString(type.Name))
            : TopLevelName(metadata, declaring);
    }

    private static string Qualified(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
}
