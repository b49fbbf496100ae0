package org.blindspot.engine.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header dictionary of an NPY file, {@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (2, 3), }}, parsed by a small reader of the Python literals NumPy writes there (strings,
 * integers, {@code True}/{@code False}, tuples, lists, dicts). Anything else is a {@link
 * BadDataException} naming the file.
 */
final class NpyHeader {

    /** {@code descr}: a string such as {@code <f4}, or a list for a structured type. */
    final Object descriptor;
    final boolean fortranOrder;
    final long[] shape;

    private NpyHeader(Object descriptor, boolean fortranOrder, long[] shape) {
        this.descriptor = descriptor;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
    }

    /** The header text NumPy's {@code write_array} writes, without its padding. */
    static String format(NpyDtype dtype, long[] shape) {
        return "{'descr': '" + dtype.descriptor() + "', 'fortran_order': False, 'shape': "
                + NpyArray.shapeString(shape) + ", }";
    }

    static NpyHeader parse(String source, String text) {
        Parser parser = new Parser(source, text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected text after the header dictionary");
        }
        if (!(value instanceof Map<?, ?> dictionary)) {
            throw new BadDataException(source, "NPY header is not a dictionary: " + text.strip());
        }
        Object descriptor = required(source, dictionary, "descr");
        Object fortran = required(source, dictionary, "fortran_order");
        Object shapeValue = required(source, dictionary, "shape");
        if (!(fortran instanceof Boolean fortranOrder)) {
            throw new BadDataException(source, "NPY header 'fortran_order' is " + fortran + ", expected True or False");
        }
        if (!(shapeValue instanceof List<?> dimensions)) {
            throw new BadDataException(source, "NPY header 'shape' is " + shapeValue + ", expected a tuple of integers");
        }
        long[] shape = new long[dimensions.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dimensions.get(i) instanceof Long dimension) || dimension < 0) {
                throw new BadDataException(source, "NPY header 'shape' has dimension " + dimensions.get(i)
                        + ", expected a non-negative integer");
            }
            shape[i] = dimension;
        }
        return new NpyHeader(descriptor, fortranOrder, shape);
    }

    private static Object required(String source, Map<?, ?> dictionary, String key) {
        if (!dictionary.containsKey(key)) {
            throw new BadDataException(source, "NPY header lacks the key '" + key + "'; it has " + dictionary.keySet());
        }
        return dictionary.get(key);
    }

    /** Recursive descent over the Python literal subset. */
    private static final class Parser {
        private final String source;
        private final String text;
        private int position;

        Parser(String source, String text) {
            this.source = source;
            this.text = text;
        }

        Object value() {
            skipSpace();
            if (position >= text.length()) {
                throw error("header ends early");
            }
            char c = text.charAt(position);
            return switch (c) {
                case '{' -> dictionary();
                case '(' -> sequence(')');
                case '[' -> sequence(']');
                case '\'', '"' -> string();
                default -> c == '-' || Character.isDigit(c) ? integer() : word();
            };
        }

        private Map<Object, Object> dictionary() {
            Map<Object, Object> map = new LinkedHashMap<>();
            position++;
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    position++;
                    return map;
                }
                Object key = value();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    position++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}' in the header dictionary");
                }
            }
        }

        private List<Object> sequence(char close) {
            List<Object> items = new ArrayList<>();
            position++;
            while (true) {
                skipSpace();
                if (peek() == close) {
                    position++;
                    return items;
                }
                items.add(value());
                skipSpace();
                if (peek() == ',') {
                    position++;
                } else if (peek() != close) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        private String string() {
            char quote = text.charAt(position++);
            int end = text.indexOf(quote, position);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(position, end);
            position = end + 1;
            return value;
        }

        private Long integer() {
            int start = position;
            if (peek() == '-') {
                position++;
            }
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            if (peek() == 'L') {
                position++;
            }
            try {
                return Long.parseLong(text.substring(start, position).replace("L", ""));
            } catch (NumberFormatException e) {
                throw error("bad integer '" + text.substring(start, position) + "'");
            }
        }

        private Object word() {
            int start = position;
            while (position < text.length() && Character.isLetter(text.charAt(position))) {
                position++;
            }
            String word = text.substring(start, position);
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> "None";
                default -> throw error("unexpected '" + (word.isEmpty() ? text.charAt(start) : word) + "'");
            };
        }

        private char peek() {
            if (position >= text.length()) {
                throw error("header ends early");
            }
            return text.charAt(position);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        void skipSpace() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        BadDataException error(String problem) {
            return new BadDataException(source, "garbled NPY header at character " + position + ": " + problem
                    + " in " + text.strip());
        }
    }
}
