package io.tdsagent.tds.types;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@code maxChars} characters of text fed in arbitrary pieces (UTF-16LE, or one
 * byte per character for non-Unicode types) and counts the rest. A code unit split across pieces is
 * carried over.
 */
public final class TextCapture implements ValueSkipper.Sink {
  private final int maxChars;
  private final boolean unicode;
  private char[] chars;
  private int length;
  private long totalBytes;
  private int pendingByte = -1;

  public TextCapture(int maxChars, boolean unicode) {
    this.maxChars = Math.max(0, maxChars);
    this.unicode = unicode;
    this.chars = new char[Math.min(this.maxChars, 256)];
  }

  @Override
  public void onData(byte[] buf, int off, int len) {
    totalBytes += len;
    int end = off + len;
    int p = off;
    if (!unicode) {
      while (p < end && length < maxChars) {
        put(
            (char)
                (buf[p++] & 0xFF)); // ISO-8859-1 view of a code-page string: enough for a summary
      }
      return;
    }
    if (pendingByte >= 0 && p < end) {
      put((char) (pendingByte | (buf[p++] & 0xFF) << 8));
      pendingByte = -1;
    }
    while (p + 1 < end && length < maxChars) {
      put((char) ((buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8));
      p += 2;
    }
    if (p + 1 == end && length < maxChars) {
      pendingByte = buf[p] & 0xFF;
    }
  }

  private void put(char c) {
    if (length == maxChars) {
      return;
    }
    if (length == chars.length) {
      chars = java.util.Arrays.copyOf(chars, Math.min(maxChars, chars.length * 2 + 16));
    }
    chars[length++] = c;
  }

  /** Characters in the whole text (kept or not). */
  public long totalChars() {
    return unicode ? totalBytes / 2 : totalBytes;
  }

  public boolean isTruncated() {
    return totalChars() > length;
  }

  public String text() {
    int n = length;
    // never end on half a surrogate pair
    if (n > 0 && isTruncated() && Character.isHighSurrogate(chars[n - 1])) {
      n--;
    }
    return new String(chars, 0, n);
  }

  /** Convenience for whole buffers. */
  public static String decode(byte[] b, boolean unicode) {
    return new String(b, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
  }
}
