/**
 * Session Multiplex Protocol (MC-SMP), the framing MARS connections use after the login: a 16-byte
 * header ({@link io.tdsagent.smp.SmpHeader}) before every packet, framed out of arbitrary chunks by
 * {@link io.tdsagent.smp.SmpFramer}, and per-SID session state, sequence numbers and windows kept
 * by {@link io.tdsagent.smp.SmpDemultiplexer}, which hands each session's DATA payload, a TDS
 * stream of its own, to a {@link io.tdsagent.smp.SmpDemultiplexer.SessionSink}. Knows nothing of
 * TDS.
 */
package io.tdsagent.smp;
