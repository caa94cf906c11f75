/**
 * Offline replay: {@link io.tdsagent.replay.ReplayMain} reads pcap/pcapng files, finds TDS
 * connections by their content, feeds each to the decoder and the agent's own tracer ({@code
 * io.tdsagent.trace}), so a capture gives the spans the agent would have exported, plus what only a
 * capture shows (who closed the connection, how, TCP damage) in a {@code SQL Server connection}
 * span; written as a waterfall, JSON lines or OTLP/HTTP. Spans are written as they complete, so
 * memory follows the connections open at a time, not the file size.
 */
package io.tdsagent.replay;
