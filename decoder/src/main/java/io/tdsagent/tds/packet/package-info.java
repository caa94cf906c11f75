/** TDS framing (MS-TDS 2.2.3): packet headers and per-direction reassembly into messages. */
package io.tdsagent.tds.packet;
