package io.dagctl.internal.discovery;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Methods in the order their class declares them. Reflection returns methods in no specified order; javac writes them
 * to the class file in source order, so this reads the method table of the class file. When the class file cannot be
 * read (a class defined at run time), methods are ordered by name and then descriptor, which is at least stable.
 */
final class DeclarationOrder {
    private DeclarationOrder() {
    }

    static List<Method> sort(Class<?> type, List<Method> methods) {
        List<String> declared = methodKeys(type);
        // Each method's key and place once: found per comparison, they cost a class of 1,000 tasks tens of ms.
        Map<String, Integer> places = new HashMap<>();
        for (String key : declared) {
            places.putIfAbsent(key, places.size());
        }
        Map<Method, String> keys = new HashMap<>();
        methods.forEach(m -> keys.put(m, m.getName() + descriptor(m)));
        // For equal names, comparing the keys compares the descriptors.
        Comparator<Method> byName = Comparator.comparing(Method::getName).thenComparing(keys::get);
        Comparator<Method> order = declared.isEmpty() ? byName
                : Comparator.<Method>comparingInt(m -> places.getOrDefault(keys.get(m), -1)).thenComparing(byName);
        return methods.stream().sorted(order).toList();
    }

    /** {@code name + descriptor} of each method in the class file, in file order; empty when unreadable. */
    private static List<String> methodKeys(Class<?> type) {
        String fileName = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(fileName)) {
            return in == null ? List.of() : readMethodKeys(new DataInputStream(in));
        } catch (IOException | IndexOutOfBoundsException | ClassCastException e) {
            return List.of();
        }
    }

    private static List<String> readMethodKeys(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            return List.of();
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int constantCount = in.readUnsignedShort();
        Object[] constants = new Object[constantCount];
        for (int i = 1; i < constantCount; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> constants[i] = in.readUTF();
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.skipNBytes(6);
        in.skipNBytes(2L * in.readUnsignedShort());
        skipMembers(in);
        int methodCount = in.readUnsignedShort();
        List<String> keys = new ArrayList<>(methodCount);
        for (int i = 0; i < methodCount; i++) {
            in.skipNBytes(2);
            String name = (String) constants[in.readUnsignedShort()];
            String descriptor = (String) constants[in.readUnsignedShort()];
            skipAttributes(in);
            keys.add(name + descriptor);
        }
        return keys;
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.skipNBytes(6);
            skipAttributes(in);
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.skipNBytes(2);
            in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
        }
    }

    private static String descriptor(Method method) {
        StringBuilder out = new StringBuilder("(");
        for (Class<?> parameter : method.getParameterTypes()) {
            out.append(descriptor(parameter));
        }
        return out.append(')').append(descriptor(method.getReturnType())).toString();
    }

    private static String descriptor(Class<?> type) {
        if (type.isArray()) {
            return "[" + descriptor(type.getComponentType());
        }
        if (!type.isPrimitive()) {
            return "L" + type.getName().replace('.', '/') + ";";
        }
        return switch (type.getName()) {
            case "boolean" -> "Z";
            case "byte" -> "B";
            case "char" -> "C";
            case "short" -> "S";
            case "int" -> "I";
            case "long" -> "J";
            case "float" -> "F";
            case "double" -> "D";
            default -> "V";
        };
    }
}
