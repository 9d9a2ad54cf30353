package dev.ferry.api.validation;

import dev.ferry.api.Json;
import tools.jackson.databind.JsonNode;

/**
 * One validation failure at one field, as Kubernetes' {@code field.Error}: rendered as
 * {@code <field>: <type>: <value>: <detail>} and as a {@code Status.details.causes[]} entry.
 *
 * @param badValue the offending value (String, Number, Boolean, JsonNode or null); ignored for
 *                 {@link Type#REQUIRED}, {@link Type#FORBIDDEN}, {@link Type#TOO_MANY} and {@link Type#INTERNAL}
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

    /** The error types, with the cause reason and the text upstream prints. */
    public enum Type {
        NOT_FOUND("FieldValueNotFound", "Not found"),
        REQUIRED("FieldValueRequired", "Required value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        INTERNAL("InternalError", "Internal error");

        public final String reason;
        public final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(Type.DUPLICATE, field, value, "");
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError tooLong(String field, Object value, int max) {
        return new FieldError(Type.TOO_LONG, field, value, "may not be more than " + max + " bytes");
    }

    public static FieldError tooMany(String field, int actual, int max) {
        return new FieldError(Type.TOO_MANY, field, actual, "must have at most " + max + " items");
    }

    /** {@code valid} lists the supported values, quoted in the detail as upstream does. */
    public static FieldError notSupported(String field, Object value, String... valid) {
        StringBuilder detail = new StringBuilder("supported values: ");
        for (int i = 0; i < valid.length; i++) {
            if (i > 0) {
                detail.append(", ");
            }
            detail.append('"').append(valid[i]).append('"');
        }
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail.toString());
    }

    /** The cause message: everything after the field path, e.g. {@code Invalid value: "x": must be ...}. */
    public String message() {
        StringBuilder s = new StringBuilder(type.text);
        boolean showValue = switch (type) {
            case REQUIRED, FORBIDDEN, TOO_MANY, INTERNAL -> false;
            default -> true;
        };
        if (showValue) {
            s.append(": ").append(renderValue(badValue));
        }
        if (detail != null && !detail.isEmpty()) {
            s.append(": ").append(detail);
        }
        return s.toString();
    }

    /** The whole error as upstream prints it: {@code <field>: <message>}. */
    @Override
    public String toString() {
        return field + ": " + message();
    }

    private static String renderValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return Json.MAPPER.writeValueAsString(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof JsonNode node) {
            return node.isString() ? Json.MAPPER.writeValueAsString(node.asString()) : node.toString();
        }
        return Json.MAPPER.writeValueAsString(value);
    }
}
