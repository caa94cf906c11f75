/**
 * Bounds-checked byte reading shared by every decoder (ByteReader, DecodeException, BoundedBuffer).
 */
package io.tdsagent.tds.wire;
