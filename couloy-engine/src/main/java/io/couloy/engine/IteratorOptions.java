package io.couloy.engine;

/**
 * What an iterator visits: keys in unsigned byte order (descending if {@code reverse}), limited
 * to those starting with {@code prefix} and within [{@code start}, {@code end}) when set.
 *
 * @param prefix only keys with this prefix; null for all
 * @param start smallest key visited (inclusive); null for no bound
 * @param end keys from here on are not visited (exclusive); null for no bound
 * @param reverse descending order
 * @param keysOnly do not read values ({@link Entry#value()} is null): a scan of keys touches no disk
 */
public record IteratorOptions(byte[] prefix, byte[] start, byte[] end, boolean reverse, boolean keysOnly) {
    /** Every key, ascending, with values. */
    public static final IteratorOptions ALL = new IteratorOptions(null, null, null, false, false);

    public IteratorOptions {
        prefix = prefix == null ? null : prefix.clone();
        start = start == null ? null : start.clone();
        end = end == null ? null : end.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder for {@link IteratorOptions}. */
    public static final class Builder {
        private byte[] prefix;
        private byte[] start;
        private byte[] end;
        private boolean reverse;
        private boolean keysOnly;

        public Builder prefix(byte[] prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder start(byte[] inclusive) {
            this.start = inclusive;
            return this;
        }

        public Builder end(byte[] exclusive) {
            this.end = exclusive;
            return this;
        }

        public Builder reverse(boolean reverse) {
            this.reverse = reverse;
            return this;
        }

        public Builder keysOnly(boolean keysOnly) {
            this.keysOnly = keysOnly;
            return this;
        }

        public IteratorOptions build() {
            return new IteratorOptions(prefix, start, end, reverse, keysOnly);
        }
    }
}
