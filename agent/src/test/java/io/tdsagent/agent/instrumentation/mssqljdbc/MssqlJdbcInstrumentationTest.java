package io.tdsagent.agent.instrumentation.mssqljdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.agent.instrumentation.weave.ClassBytes;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MssqlJdbcInstrumentationTest {
  @Test
  void theDriverOnTheBuildPathHasEveryHook() {
    assertEquals(
        List.of(),
        MssqlJdbcInstrumentation.missingHooks(ClassBytes.of(MssqlJdbcInstrumentation.TDS_CHANNEL)));
  }

  @Test
  void aChannelWhoseOpenReturnsNothingFits() {
    assertEquals(List.of(), MssqlJdbcInstrumentation.missingHooks(ClassBytes.of(Channel74.class)));
  }

  @Test
  void aChannelWithoutTheHooksIsNamedPrecisely() {
    assertEquals(
        List.of("write(byte[],int,int)", "open(String,int,...)", "enableSSL(String,int,...)"),
        MssqlJdbcInstrumentation.missingHooks(ClassBytes.of(OldChannel.class)));
  }

  /** The shape of mssql-jdbc 6.1 to 8.2's TDSChannel (checked with javap on 6.4.0 and 7.4.1). */
  @SuppressWarnings("unused")
  static final class Channel74 {
    final void open(String host, int port, int timeout, boolean a, boolean b, boolean c, int d) {}

    void enableSSL(String host, int port) {}

    final int read(byte[] b, int off, int len) {
      return 0;
    }

    final void write(byte[] b, int off, int len) {}

    final void close() {}
  }

  @SuppressWarnings("unused")
  static final class OldChannel {
    int read(byte[] b, int off, int len) {
      return 0;
    }

    void write(byte[] b, int off) {}

    // open returns InetSocketAddress (8.3 on) or nothing (6.1 to 8.2); never a number
    int open(String host, int port, int timeout) {
      return 0;
    }

    void close() {}

    InetSocketAddress unrelated() {
      return null;
    }
  }
}
