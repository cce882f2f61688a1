package io.dagctl.internal.processor;

import io.dagctl.internal.discovery.ParamType;
import io.dagctl.internal.discovery.TypeSystem;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** {@link TypeSystem} over {@code javax.lang.model} types, answering as the reflective one does. */
final class MirrorTypes implements TypeSystem<TypeMirror> {
    private final Types types;
    private final TypeMirror taskIds;
    private final TypeMirror collection;

    MirrorTypes(Types types, Elements elements) {
        this.types = types;
        this.collection = types.erasure(elements.getTypeElement("java.util.Collection").asType());
        this.taskIds = types.getDeclaredType(elements.getTypeElement("java.util.Collection"),
                elements.getTypeElement("java.lang.String").asType());
    }

    @Override
    public String display(TypeMirror type) {
        return switch (type.getKind()) {
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                String name = declared.asElement().getSimpleName().toString();
                yield declared.getTypeArguments().isEmpty() ? name : name + declared.getTypeArguments().stream()
                        .map(this::display).collect(Collectors.joining(", ", "<", ">"));
            }
            case ARRAY -> display(((ArrayType) type).getComponentType()) + "[]";
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                if (wildcard.getSuperBound() != null) {
                    yield "? super " + display(wildcard.getSuperBound());
                }
                yield wildcard.getExtendsBound() == null ? "?" : "? extends " + display(wildcard.getExtendsBound());
            }
            default -> type.toString();
        };
    }

    @Override
    public boolean isVoid(TypeMirror type) {
        return type.getKind() == TypeKind.VOID || isNamed(type, "java.lang.Void");
    }

    @Override
    public boolean isTaskContext(TypeMirror type) {
        return isNamed(type, "io.dagctl.TaskContext");
    }

    @Override
    public boolean hasTypeVariable(TypeMirror type) {
        return switch (type.getKind()) {
            case TYPEVAR -> true;
            case DECLARED -> ((DeclaredType) type).getTypeArguments().stream().anyMatch(this::hasTypeVariable);
            case ARRAY -> hasTypeVariable(((ArrayType) type).getComponentType());
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                yield wildcard.getExtendsBound() != null && hasTypeVariable(wildcard.getExtendsBound())
                        || wildcard.getSuperBound() != null && hasTypeVariable(wildcard.getSuperBound());
            }
            default -> false;
        };
    }

    @Override
    public boolean isSame(TypeMirror a, TypeMirror b) {
        return types.isSameType(boxed(a), boxed(b));
    }

    @Override
    public boolean isAssignable(TypeMirror value, TypeMirror target) {
        return types.isAssignable(boxed(value), boxed(target));
    }

    @Override
    public boolean isBoolean(TypeMirror type) {
        return type.getKind() == TypeKind.BOOLEAN || isNamed(type, "java.lang.Boolean");
    }

    @Override
    public boolean isPrimitive(TypeMirror type) {
        return type.getKind().isPrimitive();
    }

    @Override
    public Optional<TypeMirror> collectionElement(TypeMirror type) {
        if (type instanceof javax.lang.model.type.DeclaredType declared && declared.getTypeArguments().size() == 1
                && types.isAssignable(types.erasure(type), collection)
                && declared.getTypeArguments().get(0).getKind() != javax.lang.model.type.TypeKind.WILDCARD) {
            return Optional.of(declared.getTypeArguments().get(0));
        }
        return Optional.empty();
    }

    @Override
    public boolean isTaskIdOrIds(TypeMirror type) {
        return isNamed(type, "java.lang.String") || types.isAssignable(type, taskIds);
    }

    @Override
    public Optional<ParamType> paramType(TypeMirror type) {
        if (type.getKind().isPrimitive()) {
            return ParamType.of(type.toString(), false);
        }
        if (type.getKind() != TypeKind.DECLARED || !((DeclaredType) type).getTypeArguments().isEmpty()) {
            return Optional.empty();
        }
        TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
        return ParamType.of(element.getQualifiedName().toString(), element.getKind() == ElementKind.ENUM);
    }

    @Override
    public List<String> enumConstants(TypeMirror type) {
        return ((DeclaredType) type).asElement().getEnclosedElements().stream()
                .filter(e -> e.getKind() == ElementKind.ENUM_CONSTANT)
                .map(e -> e.getSimpleName().toString()).toList();
    }

    private TypeMirror boxed(TypeMirror type) {
        return type.getKind().isPrimitive() ? types.boxedClass((PrimitiveType) type).asType() : type;
    }

    private static boolean isNamed(TypeMirror type, String qualifiedName) {
        return type.getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals(qualifiedName);
    }
}
