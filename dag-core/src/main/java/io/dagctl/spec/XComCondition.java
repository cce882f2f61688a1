package io.dagctl.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;
import java.util.function.Function;

/**
 * A test on one returned value: {@code path}, {@code !path}, {@code path == literal} or {@code path != literal},
 * the literal being JSON ({@code true}, {@code 3}, {@code "text"}, {@code null}). Deliberately tiny: it is checked
 * when the DAG is read, and cannot run code.
 */
public record XComCondition(XComPath path, Operator operator, JsonNode literal) {
    public enum Operator { EQUALS, NOT_EQUALS }

    /**
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static XComCondition parse(String text) {
        String condition = text.strip();
        int equals = condition.indexOf("==");
        int notEquals = condition.indexOf("!=");
        if (equals < 0 && notEquals < 0) {
            boolean negated = condition.startsWith("!");
            XComPath path = XComPath.parse(negated ? condition.substring(1) : condition);
            return new XComCondition(path, negated ? Operator.NOT_EQUALS : Operator.EQUALS,
                    JsonNodeFactory.instance.booleanNode(true));
        }
        boolean isEquals = equals >= 0 && (notEquals < 0 || equals < notEquals);
        int at = isEquals ? equals : notEquals;
        XComPath path = XComPath.parse(condition.substring(0, at));
        String literalText = condition.substring(at + 2).strip();
        JsonNode literal;
        try {
            literal = Literals.MAPPER.readTree(literalText);
        } catch (JsonProcessingException e) {
            literal = null;
        }
        if (literal == null || literal.isMissingNode() || literal.isContainerNode()) {
            throw new IllegalArgumentException("condition '" + condition + "' compares with '" + literalText
                    + "', which is not a JSON literal; use true, false, null, a number or a \"quoted string\"");
        }
        return new XComCondition(path, isEquals ? Operator.EQUALS : Operator.NOT_EQUALS, literal);
    }

    /**
     * Whether the condition holds, given the JSON each task returned ({@code returned} answers by task id, empty when
     * the task returned nothing); a missing value equals only {@code null}.
     */
    public boolean test(Function<String, Optional<JsonNode>> returned) {
        JsonNode value = returned.apply(path.taskId()).flatMap(path::select)
                .orElse(JsonNodeFactory.instance.nullNode());
        boolean equal = value.isNumber() && literal.isNumber()
                ? value.decimalValue().compareTo(literal.decimalValue()) == 0
                : value.equals(literal);
        return operator == Operator.EQUALS ? equal : !equal;
    }

    @Override
    public String toString() {
        return path + (operator == Operator.EQUALS ? " == " : " != ") + literal;
    }

    /**
     * Made when a condition first compares with a literal, not with the class: every command that reads DAGs reads
     * their conditions, and the bare {@code path} ones need no parser.
     */
    private static final class Literals {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
