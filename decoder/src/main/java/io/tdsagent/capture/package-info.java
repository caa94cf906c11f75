/** pcap/pcapng reading, TCP reassembly and replay of captures into TdsConversation. */
package io.tdsagent.capture;
