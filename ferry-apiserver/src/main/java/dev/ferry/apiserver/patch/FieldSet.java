package dev.ferry.apiserver.patch;

import dev.ferry.apiserver.patch.PatchSchema.ListOf;
import dev.ferry.apiserver.patch.PatchSchema.Struct;
import dev.ferry.apiserver.patch.PatchSchema.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, as structured-merge-diff's {@code fieldpath.Set}: a trie whose nodes hold the path elements
 * that end a member path ({@code members}) and the sub-sets below each element ({@code children}). A path can be both
 * a member and a prefix of other members; FieldsV1 writes that as {@code ".": {}}.
 *
 * <p>Mutable only while being built ({@link #insert}); the set algebra returns new sets.
 */
final class FieldSet {
    private final TreeSet<PathElement> members = new TreeSet<>();
    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();

    static FieldSet empty() {
        return new FieldSet();
    }

    void insert(List<PathElement> path) {
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.computeIfAbsent(path.get(i), k -> new FieldSet());
        }
        if (!path.isEmpty()) {
            node.members.add(path.get(path.size() - 1));
        }
    }

    boolean has(List<PathElement> path) {
        FieldSet node = this;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.children.get(path.get(i));
            if (node == null) {
                return false;
            }
        }
        return !path.isEmpty() && node.members.contains(path.get(path.size() - 1));
    }

    boolean hasMember(PathElement pe) {
        return members.contains(pe);
    }

    /** The set of suffixes of paths that start with {@code pe} (empty when none). */
    FieldSet withPrefix(PathElement pe) {
        FieldSet c = children.get(pe);
        return c == null ? EMPTY : c;
    }

    private static final FieldSet EMPTY = new FieldSet();

    boolean isEmpty() {
        return members.isEmpty() && children.isEmpty();
    }

    FieldSet copy() {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((k, v) -> out.children.put(k, v.copy()));
        return out;
    }

    FieldSet union(FieldSet o) {
        FieldSet out = copy();
        out.members.addAll(o.members);
        o.children.forEach((k, v) -> out.children.merge(k, v.copy(), FieldSet::union));
        return out;
    }

    FieldSet difference(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (!o.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((k, v) -> {
            FieldSet other = o.children.get(k);
            FieldSet d = other == null ? v.copy() : v.difference(other);
            if (!d.isEmpty()) {
                out.children.put(k, d);
            }
        });
        return out;
    }

    FieldSet intersection(FieldSet o) {
        FieldSet out = new FieldSet();
        for (PathElement m : members) {
            if (o.members.contains(m)) {
                out.members.add(m);
            }
        }
        children.forEach((k, v) -> {
            FieldSet other = o.children.get(k);
            if (other != null) {
                FieldSet i = v.intersection(other);
                if (!i.isEmpty()) {
                    out.children.put(k, i);
                }
            }
        });
        return out;
    }

    /**
     * A copy where every named struct field that has children is also a member (structured-merge-diff's
     * {@code EnsureNamedFieldsAreMembers}), so that pruning can remove a struct field the applier no longer sets.
     */
    FieldSet ensureNamedFieldsAreMembers(Type type) {
        FieldSet out = new FieldSet();
        out.members.addAll(members);
        children.forEach((pe, sub) -> {
            Type childType = PatchSchema.Deduced.INSTANCE;
            if (pe instanceof PathElement.FieldName f) {
                if (type instanceof Struct s && s.field(f.name()) != null) {
                    out.members.add(pe);
                }
                childType = PatchSchema.childType(type, f.name());
            } else if (pe instanceof PathElement.Key && type instanceof ListOf l) {
                childType = l.element();
            }
            out.children.put(pe, sub.ensureNamedFieldsAreMembers(childType));
        });
        return out;
    }

    /** Every member path: a node's members first, then its children's (structured-merge-diff Set.Iterate). */
    void iterate(Consumer<List<PathElement>> action) {
        iterate(new ArrayList<>(), action);
    }

    private void iterate(List<PathElement> prefix, Consumer<List<PathElement>> action) {
        for (PathElement m : members) {
            prefix.add(m);
            action.accept(List.copyOf(prefix));
            prefix.remove(prefix.size() - 1);
        }
        children.forEach((pe, c) -> {
            prefix.add(pe);
            c.iterate(prefix, action);
            prefix.remove(prefix.size() - 1);
        });
    }

    /** Every member path, in FieldsV1 order. */
    void forEachPath(Consumer<List<PathElement>> action) {
        walk(new ArrayList<>(), action);
    }

    private void walk(List<PathElement> prefix, Consumer<List<PathElement>> action) {
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement pe : all) {
            prefix.add(pe);
            if (members.contains(pe)) {
                action.accept(List.copyOf(prefix));
            }
            FieldSet c = children.get(pe);
            if (c != null) {
                c.walk(prefix, action);
            }
            prefix.remove(prefix.size() - 1);
        }
    }

    /** The FieldsV1 JSON form: {@code {"f:spec":{"f:ports":{"k:{...}":{".":{},"f:port":{}}}}}}. */
    ObjectNode toFieldsV1() {
        ObjectNode out = Values.object();
        emit(out, false);
        return out;
    }

    private void emit(ObjectNode out, boolean includeSelf) {
        if (includeSelf) {
            out.putObject(".");
        }
        TreeSet<PathElement> all = new TreeSet<>(members);
        all.addAll(children.keySet());
        for (PathElement pe : all) {
            ObjectNode child = out.putObject(pe.serialize());
            FieldSet c = children.get(pe);
            if (c != null) {
                c.emit(child, members.contains(pe));
            }
        }
    }

    /** Parses FieldsV1 JSON; throws IllegalArgumentException when malformed. */
    static FieldSet fromFieldsV1(JsonNode json) {
        FieldSet out = new FieldSet();
        if (json == null || json.isNull()) {
            return out;
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("FieldsV1 must be an object");
        }
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            if (e.getKey().equals(".")) {
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            JsonNode body = e.getValue();
            if (!body.isObject()) {
                throw new IllegalArgumentException("FieldsV1 member " + e.getKey() + " must be an object");
            }
            if (body.isEmpty() || body.has(".")) {
                out.members.add(pe);
            }
            FieldSet sub = fromFieldsV1(body);
            if (!sub.isEmpty()) {
                out.children.put(pe, sub);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet f && f.members.equals(members) && f.children.equals(children);
    }

    @Override
    public int hashCode() {
        return members.hashCode() * 31 + children.hashCode();
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }
}
