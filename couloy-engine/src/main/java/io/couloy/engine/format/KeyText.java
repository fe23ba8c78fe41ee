package io.couloy.engine.format;

/** Keys as text for messages and dumps: printable ASCII as is, other bytes as \xNN. */
public final class KeyText {
    private KeyText() {}

    /** {@code key} quoted, cut after {@code max} bytes with "..." when longer. */
    public static String of(byte[] key, int max) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < Math.min(key.length, max); i++) {
            int b = key[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.append(key.length > max ? "...\"" : "\"").toString();
    }
}
