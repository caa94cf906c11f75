/**
 * Offline replay: {@link io.tdsagent.replay.ReplayMain} reads pcap/pcapng files, finds TDS connections by their
 * content, decodes each with a {@code ConnectionDecoder}, turns what it saw into spans
 * ({@link io.tdsagent.replay.ConnectionTrace}) and writes them as a waterfall, JSON lines or OTLP/HTTP JSON.
 * Spans are written as they complete, so memory follows the connections open at a time, not the file size.
 */
package io.tdsagent.replay;
