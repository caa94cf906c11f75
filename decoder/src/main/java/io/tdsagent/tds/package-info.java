/**
 * The TDS decoder: bytes of one connection in, immutable events ({@code tds.event}) out. Each
 * subpackage has one job; {@code tds.conversation} ties them together per connection.
 *
 * <p>Accessors are named after what they return, {@code name()}, {@code tdsVersion()}, with no
 * {@code get} prefix. Booleans keep the JavaBeans {@code isX()} form ({@code isNull()}, {@code
 * isTruncated()}, {@code isStopped()}) so that they read as questions. The one {@code get} left,
 * {@code LoginAck.getInterface()}, is there because {@code interface} is a Java keyword.
 */
package io.tdsagent.tds;
