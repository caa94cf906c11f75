package io.tdsagent.mars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeTDS's ODBC driver sends a parameterised statement as {@code sp_prepexec} with the statement as an NTEXT
 * parameter, which in an RPC has no TextPointer/Timestamp (MS-TDS 2.2.5.2.3, TYPE_VARBYTE). Captured with
 * tcpdump against the lab server and replayed with the replay jar: the statement text is decoded and no decode
 * error is reported.
 */
class FreeTdsPreparedTest {
    static final Path REPLAY_JAR = MarsFreeTdsTest.REPLAY_JAR;

    static String python;
    static Path driver;
    static String tcpdump;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        driver = MarsTools.require(MarsTools.freeTdsDriver(), "FreeTDS ODBC driver (libtdsodbc.so)");
        python = MarsTools.require(MarsTools.pythonWithPyodbc(), "python3 with pyodbc");
        tcpdump = MarsTools.require(MarsTools.tcpdump(), "tcpdump");
    }

    @Test
    void spPrepexecWithAnNtextStatementIsDecoded() throws Exception {
        Path pcap = dir.resolve("prepexec.pcap");
        Path script = dir.resolve("prepared_client.py");
        try (InputStream in = FreeTdsPreparedTest.class.getResourceAsStream("/mars/prepared_client.py")) {
            Files.copy(in, script);
        }
        String out;
        try (LabServer server = LabServer.builder().login("sa", "Secret-1").encryption(Encryption.NOT_SUPPORTED).build()
                .start();
                LoopbackCapture capture = LoopbackCapture.start(tcpdump, server.port(), pcap)) {
            out = MarsTools.run(List.of(python, script.toString(), driver.toString(), Integer.toString(server.port()),
                    "sa", "Secret-1"), 60).trim();
            capture.stop();
        }
        assertEquals(42, MarsFreeTdsTest.jsonInt(out, "answer"), out);
        String json = MarsTools.run(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", REPLAY_JAR.toString(), "--json", "--raw-sql", pcap.toString()), 60);
        assertTrue(json.contains("\"rpc.procedure\"") || json.contains("sp_prepexec"), json);
        assertFalse(json.contains("tds.decode_error"), json);
        assertTrue(json.contains("SELECT @P1 AS answer"), json);
    }
}
