package io.tdsagent.tds.wire;

import java.util.Arrays;

/**
 * Reads elements that must be parsed whole (tokens, ALL_HEADERS, parameter metadata) from a stream
 * that arrives in chunks of any size. An element is parsed in place from the chunk; when the chunk
 * ends inside it, its bytes are held in a capped carry-over buffer and it is parsed again from its
 * start once the owner's retry point is reached, so the attempts at one element cost a bounded
 * multiple of its length whatever the chunking. Shared by the response token parser and the request
 * decoder. Not thread-safe.
 */
public final class ElementCarry {
  /** The decoder that knows the elements. */
  public interface Owner {
    /**
     * Parses one element from {@code r}, whose first byte is {@code buf[off]}, and applies its
     * effects. Throws {@link ShortReadException} when the bytes end inside it (nothing applied);
     * returns false when the element was bad and the owner has already reported it and given up on
     * the rest.
     */
    boolean parse(ByteReader r, byte[] buf, int off);

    /** Carry size at which the held element (first byte {@code code}) is worth parsing again. */
    long retryPoint(int code, int held, long needed);

    /** The element starting with {@code code} outgrew the carry-over buffer. */
    void tooLong(int code);

    /** Bytes held past the end of a finished element: decode them as if they had just arrived. */
    void refeed(byte[] rest);
  }

  private final Owner owner;
  private final BoundedBuffer carry;

  /** Carry size at which the held element is parsed again. */
  private long retryAt;

  /**
   * Bytes the element parser went through, failed attempts included: the cost that must stay
   * linear.
   */
  private long examined;

  public ElementCarry(Owner owner, int maxCarryBytes) {
    this.owner = owner;
    this.carry = new BoundedBuffer(Math.min(1024, maxCarryBytes), maxCarryBytes);
  }

  /** The carry-over buffer, also used by owners for whole-message collection. */
  public BoundedBuffer buffer() {
    return carry;
  }

  public long retryAt() {
    return retryAt;
  }

  /** Forget the retry point (message end, failure): a held element gets its last chance at once. */
  public void resetRetry() {
    retryAt = 0;
  }

  public long examined() {
    return examined;
  }

  /** Parses or holds the element starting at {@code buf[p]}; returns where decoding continues. */
  public int step(byte[] buf, int p, int end) {
    int carried = carry.size();
    ByteReader r;
    int take = 0;
    byte[] elementBuf;
    int elementOff;
    if (carried == 0) {
      r = new ByteReader(buf, p, end - p);
      elementBuf = buf;
      elementOff = p;
    } else {
      take = Math.min(end - p, carry.cap() - carried);
      carry.append(buf, p, take);
      if (carry.size() < retryAt && carry.size() < carry.cap()) {
        return p + take; // too few new bytes to be worth parsing the element again from its start
      }
      r = carry.reader();
      elementBuf = carry.array();
      elementOff = 0;
    }
    try {
      if (!owner.parse(r, elementBuf, elementOff)) {
        return end;
      }
    } catch (ShortReadException e) {
      examined += r.position();
      if (carried == 0) {
        if (!carry.append(buf, p, end - p)) {
          owner.tooLong(buf[p] & 0xFF);
          return end;
        }
        retryAt = owner.retryPoint(buf[p] & 0xFF, end - p, e.needed());
        return end;
      }
      if (carry.size() == carry.cap()) {
        owner.tooLong(carry.array()[0] & 0xFF);
        return end;
      }
      retryAt = owner.retryPoint(carry.array()[0] & 0xFF, carry.size(), e.needed());
      return p + take;
    }
    int consumed = r.position();
    examined += consumed;
    retryAt = 0;
    if (carried > 0) {
      if (consumed < carried) {
        // the element ended inside bytes held from earlier chunks: what follows it is decoded from
        // there
        byte[] rest = Arrays.copyOfRange(carry.array(), consumed, carried);
        carry.clear();
        owner.refeed(rest);
        return p;
      }
      carry.clear();
    }
    return p + consumed - carried;
  }
}
