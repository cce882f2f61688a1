package io.dagctl.internal.discovery;

import com.google.common.reflect.TypeToken;
import io.dagctl.TaskContext;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link TypeSystem} over {@code java.lang.reflect} types; generic assignability by Guava's {@link TypeToken}. */
final class ReflectiveTypes implements TypeSystem<Type> {
    private static final TypeToken<Collection<String>> TASK_IDS = new TypeToken<>() { };

    @Override
    public String display(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? display(c.getComponentType()) + "[]" : c.getSimpleName();
        }
        if (type instanceof ParameterizedType p) {
            return display(p.getRawType()) + Arrays.stream(p.getActualTypeArguments()).map(this::display)
                    .collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof GenericArrayType a) {
            return display(a.getGenericComponentType()) + "[]";
        }
        if (type instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + display(w.getLowerBounds()[0]);
            }
            Type upper = w.getUpperBounds()[0];
            return upper == Object.class ? "?" : "? extends " + display(upper);
        }
        return type.getTypeName();
    }

    @Override
    public boolean isVoid(Type type) {
        return type == void.class || type == Void.class;
    }

    @Override
    public boolean isTaskContext(Type type) {
        return type == TaskContext.class;
    }

    @Override
    public boolean hasTypeVariable(Type type) {
        if (type instanceof TypeVariable<?>) {
            return true;
        }
        if (type instanceof ParameterizedType p) {
            return Arrays.stream(p.getActualTypeArguments()).anyMatch(this::hasTypeVariable);
        }
        if (type instanceof GenericArrayType a) {
            return hasTypeVariable(a.getGenericComponentType());
        }
        if (type instanceof WildcardType w) {
            return Arrays.stream(w.getUpperBounds()).anyMatch(this::hasTypeVariable)
                    || Arrays.stream(w.getLowerBounds()).anyMatch(this::hasTypeVariable);
        }
        return false;
    }

    @Override
    public boolean isSame(Type a, Type b) {
        return TypeToken.of(a).wrap().equals(TypeToken.of(b).wrap());
    }

    @Override
    public boolean isAssignable(Type value, Type target) {
        return TypeToken.of(target).wrap().isSupertypeOf(TypeToken.of(value).wrap());
    }

    @Override
    public boolean isBoolean(Type type) {
        return type == boolean.class || type == Boolean.class;
    }

    @Override
    public boolean isPrimitive(Type type) {
        return type instanceof Class<?> c && c.isPrimitive();
    }

    @Override
    public Optional<Type> collectionElement(Type type) {
        if (type instanceof java.lang.reflect.ParameterizedType parameterized
                && parameterized.getRawType() instanceof Class<?> raw && java.util.Collection.class.isAssignableFrom(raw)
                && parameterized.getActualTypeArguments().length == 1
                && !(parameterized.getActualTypeArguments()[0] instanceof java.lang.reflect.WildcardType)) {
            return Optional.of(parameterized.getActualTypeArguments()[0]);
        }
        return Optional.empty();
    }

    @Override
    public boolean isTaskIdOrIds(Type type) {
        return type == String.class || TASK_IDS.isSupertypeOf(type);
    }

    @Override
    public Optional<ParamType> paramType(Type type) {
        return type instanceof Class<?> c ? ParamType.of(c.getName(), c.isEnum()) : Optional.empty();
    }

    @Override
    public List<String> enumConstants(Type type) {
        // read from the fields, not getEnumConstants(), which would run the enum's static initialiser
        return Arrays.stream(((Class<?>) type).getDeclaredFields()).filter(Field::isEnumConstant)
                .map(Field::getName).toList();
    }
}
