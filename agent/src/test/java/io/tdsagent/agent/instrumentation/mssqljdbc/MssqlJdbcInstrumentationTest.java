package io.tdsagent.agent.instrumentation.mssqljdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class MssqlJdbcInstrumentationTest {
  @Test
  void theDriverOnTheBuildPathHasEveryHook() {
    TypeDescription channel = TypePool.Default.ofSystemLoader().describe(MssqlJdbcInstrumentation.TDS_CHANNEL).resolve();
    assertEquals(List.of(), MssqlJdbcInstrumentation.missingHooks(channel));
  }

  @Test
  void aChannelWithoutTheHooksIsNamedPrecisely() {
    TypeDescription other = TypeDescription.ForLoadedType.of(OldChannel.class);
    assertEquals(List.of("write(byte[],int,int)", "enableSSL(String,int,...)"),
        MssqlJdbcInstrumentation.missingHooks(other));
  }

  @SuppressWarnings("unused")
  static final class OldChannel {
    int read(byte[] b, int off, int len) {
      return 0;
    }

    void write(byte[] b, int off) {}

    // 6.1-8.2: open returned void, which fits (the peer is then read from the socket)
    void open(String host, int port, int timeout) {}

    void close() {}

    InetSocketAddress unrelated() {
      return null;
    }
  }
}
