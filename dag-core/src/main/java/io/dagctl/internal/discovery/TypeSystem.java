package io.dagctl.internal.discovery;

import java.util.List;
import java.util.Optional;

/** The questions {@link DefinitionRules} asks about types, answered by reflection or by {@code javax.lang.model}. */
public interface TypeSystem<T> {
    /** Simple names with type arguments, e.g. {@code List<String>}; the same text from both readers. */
    String display(T type);

    boolean isVoid(T type);

    boolean isTaskContext(T type);

    /** Whether the type is or contains a type variable, which no XCom value can be read as. */
    boolean hasTypeVariable(T type);

    /** Equal after boxing primitives. */
    boolean isSame(T a, T b);

    /** Whether a value of type {@code value} may be passed where {@code target} is declared; boxing allowed. */
    boolean isAssignable(T value, T target);

    boolean isBoolean(T type);

    /** Whether the type is a primitive ({@code int}, {@code boolean}, ...), which cannot be {@code null}. */
    boolean isPrimitive(T type);

    /** {@code E} when the type is a {@code Collection<E>} (a {@code List<E>}, {@code Set<E>}, ...). */
    Optional<T> collectionElement(T type);

    /** {@code String} or assignable to {@code Collection<String>}. */
    boolean isTaskIdOrIds(T type);

    /** The params text form of the type, if it is one of the supported component types. */
    Optional<ParamType> paramType(T type);

    /** The constant names of an enum type. */
    List<String> enumConstants(T type);
}
