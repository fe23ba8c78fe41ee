package io.couloy.engine.types;

import io.couloy.engine.format.CollectionHeader;
import io.couloy.engine.keydir.KeyDir;

/**
 * One incarnation of a collection key: its kind, its id (which its member records carry) and the
 * in-memory index of its members. A key deleted and created again is a new Collection with a new
 * id; the old one's member records are dead from that moment, without being rewritten.
 *
 * <p>The member index maps each member (a hash field, a set member, a list element's sequence
 * number) to its record's location; for lists it is a {@link ListIndex}.
 * Values stay on disk; memory holds the member bytes and 14 bytes of location plus a 6-byte slot.
 * It is thread-safe as a {@link KeyDir} is; writers are serialised by the engine.
 */
public final class Collection {
    private final int kind;
    private final long id;
    private final KeyDir members;

    public Collection(int kind, long id) {
        this.kind = kind;
        this.id = id;
        this.members = switch (kind) {
            case CollectionHeader.KIND_LIST -> new ListIndex();
            case CollectionHeader.KIND_ZSET -> new ZSetIndex();
            default -> KeyDir.forMembers();
        };
    }

    /** The kind code stored in the key's {@link io.couloy.engine.format.CollectionHeader}. */
    public int kind() {
        return kind;
    }

    public long id() {
        return id;
    }

    /** The member index. */
    public KeyDir members() {
        return members;
    }

    /** The list index of a list. */
    public ListIndex list() {
        return (ListIndex) members;
    }

    /** The index of a sorted set. */
    public ZSetIndex zset() {
        return (ZSetIndex) members;
    }

    /**
     * Frees what the member index holds outside the heap (a long list's pages) once the
     * collection is deleted or replaced; a reader that still holds it sees no members.
     */
    public void release() {
        if (members instanceof ListIndex list) {
            list.release();
        }
    }

    /** Members held. */
    public long size() {
        return members.size();
    }
}
